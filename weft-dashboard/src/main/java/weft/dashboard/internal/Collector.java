package weft.dashboard.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import weft.jobs.Job;
import weft.jobs.JobState;
import weft.jobs.Jobs;
import weft.process.Node;
import weft.process.Pid;
import weft.process.ProcessInfo;
import weft.scheduler.Scheduler;
import weft.scheduler.SchedulerStats;
import weft.supervisor.ChildInfo;
import weft.supervisor.ChildType;
import weft.supervisor.Supervisor;
import weft.web.pubsub.PubSub;

/**
 * Takes {@link Sample}s. Runs in the sampler process: reading the tree calls the supervisors, each
 * with a short timeout (a supervisor busy restarting shows as such, it does not stall the sample).
 */
public final class Collector {

  private static final int TOP = 10;
  private static final Duration TREE_CALL = Duration.ofMillis(500);

  private final Node node;
  private final PubSub pubsub;
  private final String root;
  private final Jobs jobs;
  private final com.sun.management.OperatingSystemMXBean os =
      ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);

  /**
   * A collector.
   *
   * @param node the node
   * @param pubsub the PubSub whose topics are shown
   * @param root the root supervisor's registered name, or null
   * @param jobs the jobs, or null
   */
  public Collector(Node node, PubSub pubsub, String root, Jobs jobs) {
    this.node = node;
    this.pubsub = pubsub;
    this.root = root;
    this.jobs = jobs;
  }

  /**
   * Takes a sample now.
   *
   * @return the sample
   */
  public Sample take() {
    Instant now = Instant.now();
    List<ProcessInfo> all = node.processes();
    Map<Pid, ProcessInfo> byPid = new java.util.HashMap<>();
    all.forEach(p -> byPid.put(p.pid(), p));
    return new Sample(
        now.toEpochMilli(),
        nodeStats(),
        processes(all, now),
        root == null ? null : tree(root, byPid),
        sockets(all),
        topics(pubsub.topics()),
        jobs == null ? null : jobs());
  }

  private Sample.NodeStats nodeStats() {
    var memory = ManagementFactory.getMemoryMXBean();
    MemoryUsage heap = memory.getHeapMemoryUsage();
    long gcCount = 0;
    long gcTime = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount());
      gcTime += Math.max(0, gc.getCollectionTime());
    }
    SchedulerStats scheduler = Scheduler.stats();
    int carriers = scheduler.carriers();
    int busy = scheduler.busy();
    return new Sample.NodeStats(
        node.name(),
        ManagementFactory.getRuntimeMXBean().getUptime(),
        heap.getUsed(),
        heap.getCommitted(),
        heap.getMax(),
        memory.getNonHeapMemoryUsage().getUsed(),
        gcCount,
        gcTime,
        carriers,
        busy,
        scheduler.queued(),
        carriers == 0 ? 0 : Math.min(1.0, (double) busy / carriers),
        Math.max(0, os.getProcessCpuLoad()),
        scheduler.mode().name(),
        scheduler.preemptions(),
        scheduler.compensations(),
        scheduler.longSchedules());
  }

  private static Sample.Processes processes(List<ProcessInfo> all, Instant now) {
    List<Sample.ProcessRow> byMailbox =
        all.stream()
            .filter(p -> p.mailboxLength() > 0)
            .sorted(Comparator.comparingInt(ProcessInfo::mailboxLength).reversed())
            .limit(TOP)
            .map(p -> row(p, now))
            .toList();
    List<Sample.ProcessRow> oldest =
        all.stream()
            .sorted(Comparator.comparing(ProcessInfo::startedAt))
            .limit(TOP)
            .map(p -> row(p, now))
            .toList();
    List<Sample.ProcessRow> longSchedules =
        all.stream()
            .filter(p -> p.longSchedules() > 0)
            .sorted(Comparator.comparingInt(ProcessInfo::longSchedules).reversed())
            .limit(TOP)
            .map(p -> row(p, now))
            .toList();
    return new Sample.Processes(all.size(), byMailbox, oldest, longSchedules);
  }

  private static Sample.ProcessRow row(ProcessInfo p, Instant now) {
    return new Sample.ProcessRow(
        p.pid().toString(),
        p.name().orElse(null),
        p.behaviour().orElse(null),
        p.mailboxLength(),
        Duration.between(p.startedAt(), now).toMillis(),
        p.preemptions(),
        p.longSchedules());
  }

  private Sample.TreeNode tree(String name, Map<Pid, ProcessInfo> byPid) {
    Pid pid = node.whereis(name).orElse(null);
    if (pid == null) {
      return new Sample.TreeNode(name, null, "supervisor", "not running", List.of());
    }
    return supervisor(name, pid, byPid, 0);
  }

  private Sample.TreeNode supervisor(String id, Pid pid, Map<Pid, ProcessInfo> byPid, int depth) {
    List<Sample.TreeNode> children = new ArrayList<>();
    String behaviour = behaviour(pid, byPid);
    try {
      for (ChildInfo c : Supervisor.whichChildren(pid, TREE_CALL)) {
        Pid child = c.pid().orElse(null);
        String childId = String.valueOf(c.id());
        if (child != null && c.type() == ChildType.SUPERVISOR && depth < 8) {
          children.add(supervisor(childId, child, byPid, depth + 1));
        } else {
          children.add(
              new Sample.TreeNode(
                  childId,
                  child == null ? null : child.toString(),
                  c.type() == ChildType.SUPERVISOR ? "supervisor" : "worker",
                  child == null ? "restarting" : behaviour(child, byPid),
                  List.of()));
        }
      }
    } catch (RuntimeException e) {
      behaviour = behaviour + " (busy)";
    }
    return new Sample.TreeNode(id, pid.toString(), "supervisor", behaviour, children);
  }

  private static String behaviour(Pid pid, Map<Pid, ProcessInfo> byPid) {
    ProcessInfo info = byPid.get(pid);
    return info == null ? null : info.behaviour().orElse(null);
  }

  /** Sockets and channels, read off the processes' behaviours ({@code Channel(Type) topic}). */
  private static Sample.Sockets sockets(List<ProcessInfo> all) {
    int sockets = 0;
    int channels = 0;
    Map<String, Integer> perTopic = new TreeMap<>();
    for (ProcessInfo p : all) {
      String b = p.behaviour().orElse("");
      if (b.equals("Socket")) {
        sockets++;
      } else if (b.startsWith("Channel(")) {
        channels++;
        int space = b.indexOf(") ");
        if (space > 0) {
          perTopic.merge(b.substring(space + 2), 1, Integer::sum);
        }
      }
    }
    return new Sample.Sockets(sockets, channels, topics(perTopic));
  }

  private static List<Sample.Topic> topics(Map<String, Integer> counts) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(50)
        .map(e -> new Sample.Topic(e.getKey(), e.getValue()))
        .toList();
  }

  private Sample.JobsView jobs() {
    Map<String, Pid> pids = jobs.queueProcesses();
    Map<String, Map<JobState, Long>> counts = jobs.counts();
    List<Sample.QueueRow> queues = new ArrayList<>();
    java.util.Set<String> names = new java.util.TreeSet<>(counts.keySet());
    names.addAll(pids.keySet());
    for (String q : names) {
      Map<String, Long> states = new LinkedHashMap<>();
      for (JobState s : JobState.values()) {
        states.put(s.column(), counts.getOrDefault(q, Map.of()).getOrDefault(s, 0L));
      }
      Pid pid = pids.get(q);
      queues.add(new Sample.QueueRow(q, pid == null ? null : pid.toString(), states));
    }
    List<Sample.JobRow> recent = new ArrayList<>();
    for (Job j : jobs.recent(20)) {
      String error = null;
      if (j.errors() != null && j.errors().isArray() && !j.errors().isEmpty()) {
        var last = j.errors().get(j.errors().size() - 1);
        error = last.has("error") ? last.get("error").asString() : last.toString();
      }
      recent.add(
          new Sample.JobRow(
              j.id(),
              j.queue(),
              j.worker(),
              j.state().column(),
              j.attempt(),
              j.maxAttempts(),
              error));
    }
    return new Sample.JobsView(queues, recent);
  }
}
