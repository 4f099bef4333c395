package weft.examples.chat;

import java.util.Optional;
import weft.jobs.Job;
import weft.jobs.JobResult;
import weft.jobs.Worker;
import weft.jobs.WorkerOptions;
import weft.store.Sql;
import weft.store.Store;
import weft.web.channel.Socket;
import weft.web.pubsub.PubSub;

/**
 * Delivers a mention: stores a notification for the mentioned user (once per message) and pushes
 * {@code mention} on their {@code user:<name>} channel. A user who is not connected finds it among
 * the unread mentions when they next join their channel. The job and the notification hold only the
 * message's id: its room, author and body are read from the message, stored once; a message deleted
 * meanwhile (retention) takes its notifications with it and its jobs end doing nothing.
 */
final class MentionWorker implements Worker {

  record Args(String to, long id) {}

  private final Store store;
  private final PubSub pubsub;

  MentionWorker(Store store, PubSub pubsub) {
    this.store = store;
    this.pubsub = pubsub;
  }

  @Override
  public JobResult perform(Job job) {
    Args a = job.args(Args.class);
    String topic = "user:" + a.to();
    boolean online = pubsub.subscriberCount(topic) > 0;
    Optional<UserChannel.Mention> stored =
        store.transaction(c -> {
          Optional<UserChannel.Mention> m =
              Sql.one(
                  c,
                  "select room, user_name, id, body from messages where id = ?",
                  UserChannel::mention,
                  a.id());
          if (m.isEmpty()) {
            return m;
          }
          int added =
              Sql.update(
                  c,
                  "insert into notifications (user_name, message_id, delivered) values (?, ?, ?)"
                      + " on conflict do nothing",
                  a.to(),
                  a.id(),
                  online ? 1 : 0);
          return added == 1 ? m : Optional.empty();
        });
    if (online && stored.isPresent()) {
      Socket.broadcast(pubsub, topic, "mention", stored.get());
    }
    return JobResult.ok();
  }

  @Override
  public WorkerOptions options() {
    return WorkerOptions.defaults().withQueue("mentions").withMaxAttempts(5);
  }

  @Override
  public String name() {
    return "mention";
  }
}
