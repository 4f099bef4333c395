package weft.examples.chat;

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
 * the unread mentions when they next join their channel.
 */
final class MentionWorker implements Worker {

  record Args(String to, String room, String from, long id, String body) {}

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
    int stored =
        store.transaction(c ->
            Sql.update(
                c,
                "insert into notifications (user_name, message_id, room, from_user, body, delivered)"
                    + " values (?, ?, ?, ?, ?, ?) on conflict do nothing",
                a.to(),
                a.id(),
                a.room(),
                a.from(),
                a.body(),
                online ? 1 : 0));
    if (stored == 1 && online) {
      Socket.broadcast(
          pubsub, topic, "mention", new UserChannel.Mention(a.room(), a.from(), a.id(), a.body()));
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
