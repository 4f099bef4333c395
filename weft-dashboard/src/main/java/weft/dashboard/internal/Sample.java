package weft.dashboard.internal;

import java.util.List;
import java.util.Map;

/**
 * One look at the running system, sent to the dashboard as JSON. Times are epoch milliseconds and
 * durations milliseconds; sizes are bytes.
 *
 * @param at when it was taken
 * @param node the JVM and its carriers
 * @param processes process counts and the top lists
 * @param tree the application's supervision tree, or null
 * @param sockets connected sockets and joined channels
 * @param pubsub topics with subscribers on this node, busiest first
 * @param jobs queues and recent jobs, or null
 */
public record Sample(
    long at,
    NodeStats node,
    Processes processes,
    TreeNode tree,
    Sockets sockets,
    List<Topic> pubsub,
    JobsView jobs) {

  /** The JVM: uptime, memory, GC and carrier threads. */
  public record NodeStats(
      String name,
      long uptime,
      long heapUsed,
      long heapCommitted,
      long heapMax,
      long nonHeapUsed,
      long gcCount,
      long gcTime,
      int carriers,
      int carriersBusy,
      long queuedVirtualThreads,
      double utilisation,
      double cpu,
      String scheduler,
      long preemptions,
      long compensations,
      long longSchedules) {}

  /**
   * Process counts and the top ten by mailbox length, by age, and by the watchdog's reports (those
   * that held a carrier without reaching a yield point).
   */
  public record Processes(
      int count,
      List<ProcessRow> byMailbox,
      List<ProcessRow> oldest,
      List<ProcessRow> longSchedules) {}

  /** One process. */
  public record ProcessRow(
      String pid,
      String name,
      String behaviour,
      int mailbox,
      long age,
      int preemptions,
      int longSchedules) {}

  /** A supervisor or worker in the tree. */
  public record TreeNode(
      String id, String pid, String type, String behaviour, List<TreeNode> children) {}

  /** Sockets and channels on this node. */
  public record Sockets(int sockets, int channels, List<Topic> topics) {}

  /** A topic and how many processes use it. */
  public record Topic(String topic, int count) {}

  /** Jobs by queue and state, and the latest jobs. */
  public record JobsView(List<QueueRow> queues, List<JobRow> recent) {}

  /** A queue's counts by state. */
  public record QueueRow(String queue, String pid, Map<String, Long> states) {}

  /** A job. */
  public record JobRow(
      long id,
      String queue,
      String worker,
      String state,
      int attempt,
      int maxAttempts,
      String error) {}

  /** The numbers the charts draw. */
  public record Point(
      long at, long heapUsed, int processes, double utilisation, int sockets, long jobsExecuting) {}

  /**
   * Its chart point.
   *
   * @return the point
   */
  public Point point() {
    long executing =
        jobs == null
            ? 0
            : jobs.queues().stream().mapToLong(q -> q.states().getOrDefault("executing", 0L)).sum();
    return new Point(
        at, node.heapUsed(), processes.count(), node.utilisation(), sockets.sockets(), executing);
  }
}
