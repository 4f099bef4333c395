package weft.jobs.engine;

import java.util.Optional;
import java.util.function.Consumer;
import weft.supervisor.ChildSpec;

/**
 * How nodes sharing an engine hear of each other's new jobs, so that a job inserted on one node
 * starts on another without waiting for a poll (Oban's {@code Notifier}). Polling stays the safety
 * net: a lost notification delays a job by at most the poll interval.
 *
 * <p>The sending side is {@link #announce(String)}, called after jobs were inserted on this node;
 * the receiving side is a process in the jobs' supervision tree ({@link #listener(Consumer)}).
 */
public interface JobNotifier {

  /**
   * Tells the other nodes that a queue has new jobs. Called by {@link weft.jobs.Jobs} after an
   * insert on this node; must not block for long (a notifier that cannot reach its transport logs
   * and returns).
   *
   * @param queue the queue
   */
  void announce(String queue);

  /**
   * The process that hears announcements from other nodes and calls {@code wake} with each queue's
   * name, started in the jobs' tree (id {@code "notifier"}); empty when nothing needs to listen.
   *
   * @param wake wakes this node's runner of a queue (safe from any thread, never blocks)
   * @return the child spec, or empty
   */
  Optional<ChildSpec> listener(Consumer<String> wake);

  /**
   * No notifications: for an engine not shared between nodes.
   *
   * @return the notifier
   */
  static JobNotifier none() {
    return new JobNotifier() {
      @Override
      public void announce(String queue) {}

      @Override
      public Optional<ChildSpec> listener(Consumer<String> wake) {
        return Optional.empty();
      }

      @Override
      public String toString() {
        return "JobNotifier.none()";
      }
    };
  }
}
