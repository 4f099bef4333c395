package weft.examples.chat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import weft.jobs.JobSpec;
import weft.jobs.Jobs;
import weft.process.Process;
import weft.store.Store;
import weft.web.channel.Channel;
import weft.web.channel.ChannelContext;
import weft.web.channel.Frame;
import weft.web.channel.InResult;
import weft.web.channel.JoinResult;
import weft.web.presence.Presence;

/** A chat room, {@code room:<name>}: history on join, messages, typing, presence, mentions. */
final class RoomChannel implements Channel {

  /** The longest message, in characters (Unicode code points: an emoji is one). */
  static final int MAX_BODY = 2000;

  /**
   * The distinct {@code @names} of a message that are looked at; those that belong to users are
   * notified, the rest of the message's mentions are plain text.
   */
  static final int MAX_MENTIONS = 10;

  private final Store store;
  private final Messages messages;
  private final Presence presence;
  private final Jobs jobs;
  private final MentionWorker mentions;
  private String room;
  private String user;

  RoomChannel(
      Store store, Messages messages, Presence presence, Jobs jobs, MentionWorker mentions) {
    this.store = store;
    this.messages = messages;
    this.presence = presence;
    this.jobs = jobs;
    this.mentions = mentions;
  }

  @Override
  public JoinResult join(String topic, JsonNode params, ChannelContext ctx) {
    room = topic.substring("room:".length());
    if (!Names.valid(room)) {
      return JoinResult.error(
          Map.of("reason", "invalid room name: use 1-32 letters, digits, _ or -"));
    }
    user = (String) ctx.assigns().get("user");
    Process.send(Process.self(), "after_join");
    return JoinResult.ok(Map.of("messages", messages.page(room, null, 50)));
  }

  @Override
  public void handleInfo(Object message, ChannelContext ctx) {
    if ("after_join".equals(message)) {
      presence.track(ctx, user, Map.of("online_at", Instant.now().toString()));
      presence.pushState(ctx);
    }
  }

  @Override
  public InResult handleIn(String event, Frame.Payload payload, ChannelContext ctx) {
    JsonNode json = payload instanceof Frame.JsonPayload(JsonNode j) ? j : null;
    return switch (event) {
      case "new_msg" -> {
        JsonNode body = json == null ? null : json.get("body");
        yield body != null && body.isString()
            ? newMessage(body.asString(), ctx)
            : InResult.replyError(Map.of("reason", "body must be a string"));
      }
      case "typing" -> {
        ctx.broadcastFrom("typing", Map.of("user", user));
        yield InResult.reply(Map.of());
      }
      default -> InResult.replyError(Map.of("reason", "unknown event " + event));
    };
  }

  private InResult newMessage(String raw, ChannelContext ctx) {
    String body = raw.strip();
    if (body.isEmpty() || body.codePointCount(0, body.length()) > MAX_BODY) {
      return InResult.replyError(Map.of("reason", "a message is 1-" + MAX_BODY + " characters"));
    }
    List<String> named =
        Names.mentions(body).stream().filter(n -> !n.equals(user)).limit(MAX_MENTIONS).toList();
    Messages.Message saved =
        store.transaction(c -> {
          Messages.Message m = messages.insert(c, room, user, body, Instant.now());
          for (String to : Users.existing(c, named)) {
            jobs.insert(c, JobSpec.of(mentions, new MentionWorker.Args(to, m.id())));
          }
          return m;
        });
    ctx.broadcast("new_msg", saved);
    return InResult.reply(Map.of("id", saved.id()));
  }
}
