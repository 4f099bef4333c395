package weft.examples.chat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import weft.store.Sql;
import weft.store.Store;

/** The chat's messages: stored in SQLite, read newest-first and returned oldest-first. */
final class Messages {

  /**
   * One message, as clients see it.
   *
   * @param id its id
   * @param user who wrote it
   * @param body what they wrote
   * @param at when, ISO-8601 UTC
   */
  record Message(long id, String user, String body, String at) {}

  private final Store store;

  Messages(Store store) {
    this.store = store;
  }

  /** Stores a message on the caller's connection (so a mention job can join its transaction). */
  Message insert(Connection c, String room, String user, String body, Instant at)
      throws SQLException {
    Sql.update(
        c,
        "insert into messages (room, user_name, body, at) values (?, ?, ?, ?)",
        room,
        user,
        body,
        at.toEpochMilli());
    long id = Sql.one(c, "select last_insert_rowid()", rs -> rs.getLong(1)).orElseThrow();
    return new Message(id, user, body, at.toString());
  }

  /** The last {@code limit} messages before {@code before} (or the latest), oldest first. */
  List<Message> page(String room, Long before, int limit) {
    List<Message> newestFirst =
        store.transaction(c ->
            Sql.query(
                c,
                "select id, user_name, body, at from messages where room = ? and id < ? order by id desc limit ?",
                rs ->
                    new Message(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        Instant.ofEpochMilli(rs.getLong(4)).toString()),
                room,
                before == null ? Long.MAX_VALUE : before,
                limit));
    List<Message> out = new ArrayList<>(newestFirst);
    java.util.Collections.reverse(out);
    return out;
  }

  /** Deletes messages older than the cut-off; returns how many. */
  int deleteBefore(Instant cutoff) {
    return store.transaction(
        c -> Sql.update(c, "delete from messages where at < ?", cutoff.toEpochMilli()));
  }
}
