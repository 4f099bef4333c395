package weft.examples.chat;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import weft.store.Sql;
import weft.store.Store;
import weft.web.channel.Channel;
import weft.web.channel.ChannelContext;
import weft.web.channel.JoinResult;

/** A user's own channel, {@code user:<name>}: mentions live, and the unread ones on join. */
final class UserChannel implements Channel {

  record Mention(String room, String from, long id, String body) {}

  /** A mention from a row of (room, author, message id, body). */
  static Mention mention(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Mention(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4));
  }

  private final Store store;

  UserChannel(Store store) {
    this.store = store;
  }

  @Override
  public JoinResult join(String topic, JsonNode params, ChannelContext ctx) {
    String name = topic.substring("user:".length());
    if (!name.equals(ctx.assigns().get("user"))) {
      return JoinResult.error(Map.of("reason", "unauthorized"));
    }
    List<Mention> unread =
        store.transaction(c -> {
          List<Mention> out =
              Sql.query(
                  c,
                  "select m.room, m.user_name, m.id, m.body from notifications n"
                      + " join messages m on m.id = n.message_id"
                      + " where n.user_name = ? and n.delivered = 0 order by n.id",
                  UserChannel::mention,
                  name);
          Sql.update(
              c,
              "update notifications set delivered = 1 where user_name = ? and delivered = 0",
              name);
          return out;
        });
    return JoinResult.ok(Map.of("unread", unread));
  }
}
