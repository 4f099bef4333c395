package weft.process.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.ProcessBody;
import weft.process.Ref;
import weft.process.TimeSource;

/*
 * Design: the per-node state behind the public Node facade: the process table, the name table,
 * the timer wheel and node-scoped extensions (named tables, registries). There is no global
 * state: two Nodes in one JVM share nothing, which is how multi-node tests run in one process;
 * the one exception is the scheduler, whose carrier threads belong to the JVM.
 *
 * Scheduling seam: every process thread is made by newThread(), from Scheduling. Processes are
 * virtual threads; what makes their scheduling fair is Weft's own, in four parts:
 *
 *   1. Weft's scheduler (WeftScheduler, Carrier): the executor of every process's virtual thread,
 *      installed through a JDK-internal constructor that the agent opens. One FIFO run queue per
 *      carrier thread plus a global one; a process woken by a message runs next on the sender's
 *      carrier without waking another (as on the BEAM), and idle carriers steal.
 *   2. Yield points (weft-agent, YieldPoint): the agent rewrites class files as they load, with the
 *      JDK's ClassFile API, adding a check at each loop back-edge and at the entry of each method
 *      that calls others. The check reads its carrier's preemption flag: a register load, a type
 *      check and a volatile read on the fast path. Application classes get a variant that also
 *      ends a killed process, so Process.exit(pid, KILL) stops `while (true) {}`.
 *   3. The ticker: every tick (100 us) it looks at each carrier; a process that has held one for a
 *      slice (200 us) while work waits is asked to yield at its next yield point; Thread.yield()
 *      puts it at the back of the global queue. This is time-based where the BEAM counts
 *      reductions: a counter per back-edge would cost a store on every loop iteration.
 *   4. The watchdog, for code that yield points cannot reach (JDK code, JNI, uninstrumented
 *      classes): a carrier held without progress past compensateAfter while work waits gets a spare
 *      carrier; past longSchedule its holder is named in a log line and counted (Watchdog). Work
 *      known to block a carrier, such as JDBC over SQLite's native library, runs on a DirtyPool
 *      of platform threads instead, as the BEAM runs NIFs on dirty schedulers.
 *
 * Without the agent (or with -Dweft.scheduler=jdk) processes run on the JDK's scheduler, with no
 * preemption; Scheduling logs that once. The design, the settings and the costs are in the
 * README's "Scheduling" section and on weft.scheduler.Scheduler.
 *
 * Timers run on one platform daemon thread per node; a timer only enqueues a message, so the
 * thread never runs user code.
 */
/** The state of one node. Internal: use {@link Node}. */
public final class Kernel {

  private static final AtomicInteger NODE_NUMBERS = new AtomicInteger();

  private final Node node;
  private final String nodeName;
  private final int number = NODE_NUMBERS.incrementAndGet();
  private final AtomicLong ids = new AtomicLong();
  private final ProcessTable processes = new ProcessTable();
  private final ConcurrentHashMap<String, ProcessCore> names = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Ref, TimeSource.Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Object, Object> extensions = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor timerThread;
  // The node's time for timers and timeouts; null: the system's (System.nanoTime, the timer
  // thread, WaitTimer), kept apart so that the common case pays no indirection.
  private final TimeSource time;
  private final ThreadFactory threads;
  private final ProcessCore outside;

  /** The running kernels, for the watchdog's search of the process that holds a carrier. */
  private static final Set<Kernel> LIVE = ConcurrentHashMap.newKeySet();

  private volatile boolean stopping;

  /**
   * Creates the state for a node.
   *
   * @param node the facade
   * @param nodeName the node's name
   * @param time the node's time for timers and timeouts, or null for the system's
   */
  public Kernel(Node node, String nodeName, TimeSource time) {
    this.node = node;
    this.nodeName = nodeName;
    this.time = time;
    this.threads = Scheduling.get().threads();
    this.timerThread =
        (ScheduledThreadPoolExecutor)
            Executors.newScheduledThreadPool(
                1,
                r -> {
                  Thread t = new Thread(r, "weft-" + nodeName + "-timers");
                  t.setDaemon(true);
                  return t;
                });
    this.timerThread.setRemoveOnCancelPolicy(true);
    this.outside = new ProcessCore(this, 0, null);
    LIVE.add(this);
  }

  /** The live process whose thread is mounted on the carrier, if any (slow: scans every node). */
  static Optional<ProcessCore> findMountedOn(Thread carrier) {
    for (Kernel k : LIVE) {
      for (ProcessCore p : k.processes.list()) {
        Thread t = p.thread();
        if (t != null && JdkHooks.carrierOf(t) == carrier) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** The public facade. */
  public Node node() {
    return node;
  }

  /** The node's name. */
  public String name() {
    return nodeName;
  }

  int number() {
    return number;
  }

  Thread newThread(ProcessCore process) {
    return threads.newThread(process);
  }

  // ---------------------------------------------------------------- processes

  /**
   * Spawns a process.
   *
   * @param parent the spawning process, or null from outside
   * @param body what it runs
   * @param link whether to link it to the parent before it starts
   * @param setup run on the new process before it starts (monitors, labels), may be null
   * @return the new process
   */
  public ProcessCore spawn(
      ProcessCore parent,
      ProcessBody body,
      boolean link,
      java.util.function.Consumer<ProcessCore> setup) {
    if (timerThread.isShutdown()) {
      throw new IllegalStateException("node " + nodeName + " is stopped");
    }
    ProcessCore p = new ProcessCore(this, ids.incrementAndGet(), parent);
    processes.add(p);
    if (link) {
      parent.linkUnstarted(p);
    }
    if (setup != null) {
      setup.accept(p);
    }
    p.start(body);
    return p;
  }

  void removeProcess(ProcessCore p) {
    processes.remove(p);
    if (stopping && processes.isEmpty()) {
      synchronized (processes) {
        processes.notifyAll();
      }
    }
  }

  /** The process in whose name signals from non-process threads are sent. */
  public ProcessCore outside() {
    return outside;
  }

  /** The live processes, in no particular order. */
  public List<ProcessCore> processes() {
    return processes.list();
  }

  /** Number of live processes. */
  public int processCount() {
    return processes.size();
  }

  /** Converts a pid of this node to its implementation; rejects pids of other kinds. */
  public static ProcessCore core(Pid pid) {
    if (pid instanceof ProcessCore p) {
      return p;
    }
    throw new IllegalArgumentException("not a Weft pid: " + pid);
  }

  // ---------------------------------------------------------------- names

  /**
   * Registers a unique name.
   *
   * @throws IllegalArgumentException if the name is taken, the process has a name, or is dead
   */
  public void register(String name, ProcessCore p) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a registered name must be a non-empty string");
    }
    synchronized (p) {
      if (p.isDead()) {
        throw new IllegalArgumentException("cannot register " + name + ": " + p + " is not alive");
      }
      if (p.name() != null) {
        throw new IllegalArgumentException(
            "cannot register " + name + ": " + p + " is already registered as " + p.name());
      }
      ProcessCore holder = names.putIfAbsent(name, p);
      if (holder != null) {
        throw new IllegalArgumentException("name " + name + " is already registered to " + holder);
      }
      p.name(name);
    }
    if (p.isDead()) {
      unregister(name, p);
    }
  }

  /** Removes a name; returns whether it was registered. */
  public boolean unregister(String name) {
    ProcessCore p = names.get(name);
    return p != null && unregister(name, p);
  }

  boolean unregister(String name, ProcessCore p) {
    synchronized (p) {
      if (names.remove(name, p)) {
        p.name(null);
        return true;
      }
      return false;
    }
  }

  /** The process registered under the name. */
  public Optional<Pid> whereis(String name) {
    return Optional.ofNullable(names.get(name));
  }

  /** All registered names. */
  public List<String> registered() {
    return List.copyOf(names.keySet());
  }

  // ---------------------------------------------------------------- timers

  /** The node's time, in nanoseconds (System.nanoTime unless started with a TimeSource). */
  public long nanoTime() {
    return time == null ? System.nanoTime() : time.nanoTime();
  }

  /** The deadline {@code nanos} from now on the node's time, saturating. */
  public long deadline(long nanos) {
    long now = nanoTime();
    return nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
  }

  /** Parks the calling thread until the deadline on the node's time (or earlier: see callers). */
  public void parkUntil(Object blocker, long deadline) {
    if (time == null) {
      WaitTimer.parkUntil(blocker, deadline);
    } else {
      time.parkUntil(blocker, deadline);
    }
  }

  /** Delivers a message after a delay; see {@code Process.sendAfter}. */
  public Ref sendAfter(ProcessCore target, Object message, Duration delay) {
    Ref ref = Ref.make();
    Runnable fire =
        () -> {
          if (timers.remove(ref) != null) {
            target.deliver(message);
          }
        };
    long nanos = Math.max(0, Timeouts.nanos(delay));
    // Recorded before it is scheduled: a short timer may fire before schedule returns (at once,
    // on this thread, on a manual time), and must find itself recorded to deliver.
    timers.put(ref, PENDING_TIMER);
    TimeSource.Timer t;
    if (time != null) {
      t = time.schedule(fire, nanos);
    } else {
      ScheduledFuture<?> f = timerThread.schedule(fire, nanos, TimeUnit.NANOSECONDS);
      t = () -> f.cancel(false);
    }
    if (timers.replace(ref, t) == null) {
      t.cancel(); // fired already, or cancelled meanwhile
    }
    return ref;
  }

  private static final TimeSource.Timer PENDING_TIMER = () -> false;

  /** Delivers a message every period until cancelled or the target ends. */
  public Ref sendInterval(ProcessCore target, Object message, Duration period) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + period);
    }
    Ref ref = Ref.make();
    long nanos = Timeouts.nanos(period);
    if (time != null) {
      timers.put(ref, PENDING_TIMER);
      TimeSource.Timer t =
          time.scheduleAtFixedRate(
              () -> {
                if (timers.containsKey(ref)) {
                  target.deliver(message);
                }
              },
              nanos);
      if (timers.replace(ref, t) == null) {
        t.cancel(); // cancelled meanwhile
      }
    } else {
      ScheduledFuture<?> f =
          timerThread.scheduleAtFixedRate(
              () -> target.deliver(message), nanos, nanos, TimeUnit.NANOSECONDS);
      timers.put(ref, () -> f.cancel(false));
    }
    target.onExitCleanup(reason -> cancelTimer(ref));
    return ref;
  }

  /**
   * Cancels a timer.
   *
   * @return true if it was still pending (its message will not be sent)
   */
  public boolean cancelTimer(Ref ref) {
    TimeSource.Timer t = timers.remove(ref);
    if (t == null) {
      return false;
    }
    t.cancel();
    return true;
  }

  // ---------------------------------------------------------------- extensions

  /** A node-scoped singleton for another package (named tables, for example). */
  @SuppressWarnings("unchecked")
  public <T> T extension(Object key, Function<Kernel, T> create) {
    return (T) extensions.computeIfAbsent(key, k -> create.apply(this));
  }

  // ---------------------------------------------------------------- stop

  /**
   * Stops the node: sends {@code shutdown} to every process, waits up to the grace period for them
   * to end, kills the rest and stops the timer thread.
   */
  public void stop(Duration grace) {
    stopping = true;
    long deadline = Timeouts.deadline(grace); // real time: stopping is not the test's to time
    // Top-level processes first: supervisors stop their children in order, links carry the rest.
    List<ProcessCore> top = processes().stream().filter(p -> p.parent() == null).toList();
    CountDownLatch topDone = new CountDownLatch(top.size());
    for (ProcessCore p : top) {
      p.onExit(reason -> topDone.countDown());
      p.exitSignal(outside, ExitReason.SHUTDOWN, false);
    }
    try {
      topDone.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Then whatever is left (processes spawned unlinked by others).
    for (ProcessCore p : processes()) {
      p.exitSignal(outside, ExitReason.SHUTDOWN, false);
    }
    synchronized (processes) {
      long left;
      while (!processes.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
        try {
          processes.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    for (ProcessCore p : processes()) {
      p.exitSignal(outside, ExitReason.KILL, false);
    }
    timerThread.shutdownNow();
    timers.clear();
    LIVE.remove(this);
  }
}
