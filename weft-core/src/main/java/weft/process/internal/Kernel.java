package weft.process.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.ProcessBody;
import weft.process.Ref;

/*
 * Design: the per-node state behind the public Node facade: the process table, the name table,
 * the timer wheel and node-scoped extensions (named tables, registries). There is no global
 * state: two Nodes in one JVM share nothing, which is how multi-node tests run in one process.
 *
 * Scheduling seam: every process thread is made by newThread(). Today it is a plain virtual
 * thread; a fair scheduler (reduction counting, as on the BEAM) plugs in here.
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
  private final ConcurrentHashMap<Long, ProcessCore> processes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ProcessCore> names = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Ref, ScheduledFuture<?>> timers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Object, Object> extensions = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor timerThread;
  private final Thread.Builder.OfVirtual threads;
  private final ProcessCore outside;
  private volatile boolean stopping;

  /**
   * Creates the state for a node.
   *
   * @param node the facade
   * @param nodeName the node's name
   */
  public Kernel(Node node, String nodeName) {
    this.node = node;
    this.nodeName = nodeName;
    this.threads = Thread.ofVirtual().name("weft-" + nodeName + "-", 1);
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

  Thread newThread(ProcessCore process, Runnable body) {
    return threads.unstarted(body);
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
    processes.put(p.id(), p);
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
    processes.remove(p.id(), p);
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
    return new ArrayList<>(processes.values());
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

  /** Delivers a message after a delay; see {@code Process.sendAfter}. */
  public Ref sendAfter(ProcessCore target, Object message, Duration delay) {
    Ref ref = Ref.make();
    ScheduledFuture<?> f =
        timerThread.schedule(
            () -> {
              if (timers.remove(ref) != null) {
                target.deliver(message);
              }
            },
            Math.max(0, delay.toNanos()),
            TimeUnit.NANOSECONDS);
    timers.put(ref, f);
    if (f.isDone()) {
      timers.remove(ref);
    }
    return ref;
  }

  /** Delivers a message every period until cancelled or the target ends. */
  public Ref sendInterval(ProcessCore target, Object message, Duration period) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + period);
    }
    Ref ref = Ref.make();
    ScheduledFuture<?> f =
        timerThread.scheduleAtFixedRate(
            () -> target.deliver(message),
            period.toNanos(),
            period.toNanos(),
            TimeUnit.NANOSECONDS);
    timers.put(ref, f);
    target.onExitCleanup(reason -> cancelTimer(ref));
    return ref;
  }

  /**
   * Cancels a timer.
   *
   * @return true if it was still pending (its message will not be sent)
   */
  public boolean cancelTimer(Ref ref) {
    ScheduledFuture<?> f = timers.remove(ref);
    if (f == null) {
      return false;
    }
    f.cancel(false);
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
    long deadline = Timeouts.deadline(grace);
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
  }
}
