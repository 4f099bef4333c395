package weft.process.internal;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.scheduler.Scheduler;
import weft.scheduler.SchedulerOptions;
import weft.scheduler.SchedulerStats;

/*
 * Design: Weft's scheduler, the executor of every process's virtual thread. It exists because the
 * JDK's scheduler (a ForkJoinPool) neither time-slices nor tells anyone what runs where, and
 * because its wake-up policy suits fork/join work, not message passing: on two cores it wakes the
 * idle worker for every message, and a ring of processes passing a token runs three times slower
 * than on one core. This one works as the BEAM's schedulers do:
 *
 * - Run queues. One FIFO queue per carrier, plus a global one. A process woken by another process
 *   (a message, a spawn) goes to the queue of the carrier the sender runs on; the sender usually
 *   parks in a receive right after, and the same carrier runs the receiver next without waking
 *   anyone (the BEAM does the same). Only when a carrier's queue already has work waiting is an
 *   idle carrier woken to steal it. Work from outside (timers, Netty's event loops, other threads)
 *   goes to the global queue and wakes an idle carrier.
 *
 * - Preemption. The ticker (one platform thread) looks at the carriers every tick. When work is
 *   waiting and a process has held its carrier for a slice, it sets the carrier's `preempt` flag.
 *   Yield points (inserted into process code by weft-agent, see YieldPoint) read that flag on
 *   every loop back-edge and method entry; the process then calls Thread.yield(), its continuation
 *   goes to the back of the global queue, and the carrier takes the next one. Code without yield
 *   points (JDK code, native calls, classes the agent does not instrument) cannot be preempted: for
 *   it there is the watchdog.
 *
 * - Watchdog. A carrier whose process has made no progress through a yield point for
 *   `compensateAfter` while work waits gets a spare carrier beside it (up to maxCarriers), which
 *   retires once the carrier is back; after `longSchedule` the holder is reported if the hold kept
 *   work waiting or needed a spare (Watchdog; a hold that harms nobody, such as start-up in JDK code
 *   with nothing else to run, is not). The
 *   ticker tells "no progress" from "no yield point needed" by probing: it sets `preempt` on any
 *   carrier held for a slice, and a process with yield points answers at once (checkIns).
 *
 * - Exits. An exit signal to a process that may be running sets `preempt` on every busy carrier
 *   (and keeps doing so each tick until the process's thread has ended), so that a process spinning
 *   in instrumented code sees its death at its next yield point.
 *
 * The ticker sleeps while every carrier is idle, and a carrier that wakes from idle wakes it.
 *
 * Threads: execute() may be called from any thread, including a virtual thread pinned by the JDK
 * for the duration of the call: it never blocks. `carriers` is replaced as a whole under `lock`
 * (copy on write) and read without it.
 */
/** The executor of processes' virtual threads: carriers, run queues, preemption, watchdog. */
final class WeftScheduler implements Executor {

  private static final Logger LOG = LoggerFactory.getLogger("weft.scheduler");

  final SchedulerOptions options;
  final ConcurrentLinkedQueue<Runnable> global = new ConcurrentLinkedQueue<>();
  final ThreadFactory threads;
  final Watchdog watchdog;

  private final Object lock = new Object();
  private volatile Carrier[] carriers = new Carrier[0];
  private volatile int wanted; // written under lock: parallelism plus spares for held carriers
  private int carrierNumbers; // guarded by lock

  private final long tickNanos;
  final long sliceNanos;
  private final long compensateNanos;
  private final long longScheduleNanos;
  private final Thread ticker;
  private volatile boolean tickerParked;

  // The ticker's clock (ticker thread only): real time, except that a gap between two ticks counts
  // at most MAX_STEP ticks. A stop-the-world pause (GC, safepoint) or a ticker the OS did not run
  // stops every carrier at once; without this, the first tick after it would take every carrier
  // for stuck and add spares, or preempt processes that had barely run.
  private static final int MAX_STEP = 4;
  private long clock;
  private long lastTick = System.nanoTime();

  /** Ticks so far (written by the ticker); a cheap clock for mailboxes' spin heuristics. */
  private static volatile long ticks;

  /**
   * The ticker's count of ticks: it advances every tick while any carrier runs.
   *
   * @return the count
   */
  static long ticks() {
    return ticks;
  }

  /** Exit signals sent to processes whose threads have not ended yet. */
  final AtomicInteger pendingExits = new AtomicInteger();

  final LongAdder preemptions = new LongAdder();
  final LongAdder wakePreemptions = new LongAdder();
  final AtomicLong compensations = new AtomicLong();

  WeftScheduler(SchedulerOptions options) {
    this.options = options;
    this.tickNanos = options.tick().toNanos();
    this.sliceNanos = options.slice().toNanos();
    this.compensateNanos = options.compensateAfter().toNanos();
    this.longScheduleNanos = options.longSchedule().toNanos();
    this.watchdog = new Watchdog(options.longSchedule());
    synchronized (lock) {
      wanted = options.parallelism();
      for (int i = 0; i < options.parallelism(); i++) {
        addCarrier();
      }
    }
    this.threads = JdkHooks.virtualThreads(this);
    this.ticker = new Thread(this::tickLoop, "weft-scheduler");
    ticker.setDaemon(true);
    ticker.start();
  }

  // ---------------------------------------------------------------- executor

  @Override
  public void execute(Runnable task) {
    Thread c = JdkHooks.currentCarrier();
    if (c instanceof Carrier k && k.scheduler == this) {
      if (k.yielding && c == Thread.currentThread()) {
        // A preempted process: behind everything that waits, on every carrier.
        k.yielding = false;
        global.offer(task);
        wakeOne();
        return;
      }
      // A process woke another: it runs next, here, once the waker parks. What it displaces
      // goes to the queue, where others may steal it.
      Runnable displaced = k.offerNext(task);
      if (displaced != null) {
        if (!k.queue.offer(displaced)) {
          global.offer(displaced); // a full run queue spills into the global one
        }
        wakeOne();
      }
    } else if (anyLooking() || !preemptFor(task)) {
      global.offer(task);
      wakeOne();
    }
  }

  /** Whether a carrier is idle or looking for work. */
  private boolean anyLooking() {
    for (Carrier k : carriers) {
      int state = k.state.get();
      if (state != Carrier.RUNNING) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every carrier is busy and a process was woken from outside (a timer, a socket's event loop):
   * rather than queue it behind the processes that wait their turn, it goes into the next slot of a
   * carrier whose task has run since before the last tick, and that task is asked to yield at its
   * next yield point. A small process woken among CPU-bound ones then waits microseconds, not a
   * slice; the preempted task goes behind the others, as at the end of a slice, so a stream of
   * wake-ups costs a busy process one switch each and cannot starve it.
   *
   * @return whether the task was placed; if not, it belongs in the global queue
   */
  private boolean preemptFor(Runnable task) {
    for (Carrier k : carriers) {
      if (k.current() != null
          && k.mounts() == k.seenMount
          && !k.yieldRequested
          && k.offerNextIfEmpty(task)) {
        k.yieldRequested = true;
        flag(k);
        wakePreemptions.increment();
        // Its task may have ended meanwhile and the carrier gone idle: it publishes IDLE before
        // its last look at the queues and next slots, and we put the task there before we look
        // at its state, so one of the two sees the other.
        k.wake();
        return true;
      }
    }
    return false;
  }

  /** Wakes an idle carrier unless one is already looking for work. */
  void wakeOne() {
    Carrier[] cs = carriers;
    for (Carrier k : cs) {
      if (k.state.get() == Carrier.SPINNING) {
        return;
      }
    }
    for (Carrier k : cs) {
      if (k.wake()) {
        return;
      }
    }
  }

  /** Whether any run queue holds work. */
  boolean hasWork() {
    if (!global.isEmpty()) {
      return true;
    }
    for (Carrier k : carriers) {
      if (!k.queue.isEmpty() || k.hasNext()) {
        return true;
      }
    }
    return false;
  }

  /** Whether the global queue or a carrier's queue holds work (next slots are not stealable). */
  boolean hasStealableWork() {
    if (!global.isEmpty()) {
      return true;
    }
    for (Carrier k : carriers) {
      if (!k.queue.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a process on the current carrier may spin-wait for a message: only when no work waits
   * anywhere, its own next slot included, so that spinning costs nobody a carrier.
   *
   * <p>A process it has just woken (in its next slot) is not handed to another carrier to run side
   * by side: measured here, a request and its reply crossing between two spinning carriers made
   * half as many round trips as the pair taking turns on one carrier (ping-pong 1.3-1.4 M/s against
   * 2.6 M/s; the BEAM 2.0 M/s), and GenServer calls half as many.
   */
  static boolean spinAllowed() {
    if (!(JdkHooks.currentCarrier() instanceof Carrier self)) {
      return false;
    }
    WeftScheduler s = self.scheduler;
    if (!s.global.isEmpty() || !self.queue.isEmpty() || self.hasNext()) {
      return false;
    }
    for (Carrier k : s.carriers) {
      if (k != self && (!k.queue.isEmpty() || k.hasNext())) {
        return false;
      }
    }
    return true;
  }

  /** Takes work from another carrier's queue, or null. */
  Runnable steal(Carrier thief) {
    Carrier[] cs = carriers;
    int n = cs.length;
    int start = n > 1 ? ThreadLocalRandom.current().nextInt(n) : 0;
    for (int i = 0; i < n; i++) {
      Carrier victim = cs[(start + i) % n];
      if (victim != thief) {
        Runnable t = victim.queue.poll();
        if (t != null) {
          return t;
        }
      }
    }
    return null;
  }

  /** Called by a carrier that woke from idle: the ticker must run while anything does. */
  void carrierAwake() {
    if (tickerParked) {
      LockSupport.unpark(ticker);
    }
  }

  // ---------------------------------------------------------------- carriers

  private void addCarrier() {
    // caller holds lock
    Carrier k = new Carrier(this, carrierNumbers++);
    Carrier[] next = Arrays.copyOf(carriers, carriers.length + 1);
    next[next.length - 1] = k;
    carriers = next;
    k.start();
  }

  /** Whether there are more carriers than wanted (spares whose held carrier is back). */
  boolean surplus() {
    return carriers.length > wanted;
  }

  /** Called by an idle carrier: true if there are more carriers than wanted and it left. */
  boolean retire(Carrier k) {
    synchronized (lock) {
      if (carriers.length <= wanted) {
        return false;
      }
      Carrier[] cs = carriers;
      Carrier[] next = new Carrier[cs.length - 1];
      int j = 0;
      for (Carrier c : cs) {
        if (c != k) {
          next[j++] = c;
        }
      }
      carriers = next;
    }
    for (Runnable t; (t = k.queue.poll()) != null; ) {
      global.offer(t);
    }
    Runnable n = k.takeNext();
    if (n != null) {
      global.offer(n);
    }
    wakeOne();
    return true;
  }

  private void compensate(Carrier held) {
    synchronized (lock) {
      if (carriers.length >= options.maxCarriers()) {
        held.compensated.set(0);
        return;
      }
      wanted++;
      addCarrier();
    }
    compensations.incrementAndGet();
  }

  /** A carrier that had a spare beside it is back. */
  void endCompensation() {
    synchronized (lock) {
      wanted--;
    }
  }

  Carrier[] carriers() {
    return carriers;
  }

  SchedulerStats stats(Scheduler.Mode mode) {
    Carrier[] cs = carriers;
    int busy = 0;
    int queued = global.size();
    for (Carrier k : cs) {
      if (k.current() != null) {
        busy++;
      }
      queued += k.queue.size();
    }
    return new SchedulerStats(
        mode,
        options.parallelism(),
        cs.length,
        busy,
        queued,
        preemptions.sum(),
        compensations.get(),
        watchdog.reports.get());
  }

  // ---------------------------------------------------------------- flags

  /** Makes the next yield point on the carrier take its slow path. */
  static void flag(Carrier k) {
    k.preempt = true;
    YieldPoint.armed = true;
  }

  /** Whether any carrier's flag is still set. */
  boolean anyFlagged() {
    for (Carrier k : carriers) {
      if (k.preempt) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- exits

  /** An exit signal ended a process whose thread may be running: let its yield points see it. */
  void exitSignalled() {
    pendingExits.incrementAndGet();
    pokeBusy();
  }

  /** A process counted by {@link #exitSignalled} has finished unwinding. */
  void exitUnwound() {
    pendingExits.decrementAndGet();
  }

  private void pokeBusy() {
    for (Carrier k : carriers) {
      if (k.current() != null) {
        flag(k);
      }
    }
  }

  // ---------------------------------------------------------------- ticker

  private boolean allIdle() {
    for (Carrier k : carriers) {
      if (k.state.get() != Carrier.IDLE) {
        return false;
      }
    }
    return true;
  }

  private void tickLoop() {
    while (true) {
      if (allIdle() && pendingExits.get() == 0) {
        tickerParked = true;
        if (allIdle()) {
          LockSupport.park(this);
        }
        tickerParked = false;
      } else {
        LockSupport.parkNanos(this, tickNanos);
      }
      long now = System.nanoTime();
      ticks++;
      clock += Math.min(now - lastTick, MAX_STEP * tickNanos);
      lastTick = now;
      try {
        tick(clock);
      } catch (RuntimeException e) {
        LOG.error("scheduler tick failed", e);
      }
    }
  }

  private void tick(long now) {
    boolean waiting = hasWork();
    for (Carrier k : carriers) {
      inspect(k, now, waiting);
    }
    if (hasStealableWork()) {
      wakeOne();
    }
    if (pendingExits.get() > 0) {
      pokeBusy();
    }
  }

  private void inspect(Carrier k, long now, boolean waiting) {
    Runnable current = k.current();
    long mount = k.mounts();
    if (k.hasNext()) {
      // A woken process waits in the next slot behind a task that has not ended for a whole tick:
      // let any carrier have it.
      if (current != null && mount == k.nextSeenMount) {
        Runnable stale = k.takeNext();
        if (stale != null) {
          global.offer(stale);
          wakeOne();
        }
      }
      k.nextSeenMount = mount;
    } else {
      k.nextSeenMount = -1;
    }
    if (current == null || mount != k.seenMount) {
      if (k.reported) {
        watchdog.released(k, k.seenMount, now - k.seenAt);
      }
      k.reported = false;
      k.seenMount = current == null ? -1 : mount;
      k.seenAt = now;
      k.progressAt = now;
      k.seenCheckIns = k.checkIns;
      return;
    }
    long checkIns = k.checkIns;
    if (checkIns != k.seenCheckIns) {
      k.seenCheckIns = checkIns;
      k.progressAt = now;
    }
    long held = now - k.seenAt;
    long stuck = now - k.progressAt;
    if (waiting && held >= sliceNanos) {
      k.yieldRequested = true;
      flag(k);
    } else if (stuck >= sliceNanos) {
      flag(k); // a probe: code with yield points answers at once
    }
    if (waiting && stuck >= compensateNanos && k.compensated.compareAndSet(0, 1)) {
      compensate(k);
    }
    if ((waiting || k.compensated.get() == 1) && stuck >= longScheduleNanos && !k.reported) {
      k.reported = true;
      watchdog.held(k, mount, held);
    }
  }
}
