package weft.process.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/*
 * Design: one carrier is one platform thread that runs continuations of virtual threads (Weft's
 * processes), as one BEAM scheduler runs Erlang processes. It owns a run queue; it takes work from
 * its own queue first, from the scheduler's global queue first when it has not looked there for
 * two ticks (except right after a process woke another: a request and its reply cross without
 * waiting behind the queue, until 32 such wake-ups in a row show a pair of processes keeping the
 * carrier to themselves) and whenever its own is empty, and steals from other carriers' queues
 * last.
 *
 * States: RUNNING (running a task or looking for one) -> SPINNING (found nothing, looks again for
 * a few microseconds) -> IDLE (parked) -> WAKING (a submitter chose it and unparked it) ->
 * RUNNING. A submitter that adds work wakes an IDLE carrier only if no carrier is SPINNING. The
 * carrier publishes IDLE before it looks at the queues one last time and parks, and a submitter
 * publishes its task before it looks at the states: one of the two always sees the other (both
 * are sequentially consistent accesses), so no wake-up is lost.
 *
 * Fields and threads: the run queue is any thread's; `state` is CAS'd by submitters and written
 * by the carrier; `current` and `mounts` are written by the carrier with release semantics and
 * read by the ticker; `preempt`, `yieldRequested` are written by the ticker (and by exit signals),
 * read and cleared by yield points running on this carrier; `checkIns` is written by yield points
 * on this carrier and read by the ticker; the `seen*` fields belong to the ticker alone.
 */
/** A platform thread that runs processes for the {@link WeftScheduler}. */
final class Carrier extends Thread {

  static final int RUNNING = 0;
  static final int SPINNING = 1;
  static final int IDLE = 2;
  static final int WAKING = 3;

  /** Looks for work this many times (a few microseconds) before parking. */
  private static final int SPINS = 64;

  /** How long a spare carrier stays idle before it retires. */
  private static final long LINGER_NANOS = 1_000_000_000L;

  /** After this many tasks in a row from the next slot, the queue goes first once. */
  private static final int NEXT_RUNS = 16;

  private static final int NEXT_CHAIN = 32;

  private static final VarHandle CURRENT;
  private static final VarHandle MOUNTS;
  private static final VarHandle NEXT;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      CURRENT = l.findVarHandle(Carrier.class, "current", Runnable.class);
      MOUNTS = l.findVarHandle(Carrier.class, "mounts", long.class);
      NEXT = l.findVarHandle(Carrier.class, "next", Runnable.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final WeftScheduler scheduler;
  final RunQueue queue = new RunQueue();
  final AtomicInteger state = new AtomicInteger(RUNNING);

  /** Set to make the next yield point on this carrier take its slow path. */
  volatile boolean preempt;

  /** Set by the ticker: the process on this carrier has had its slice while others wait. */
  volatile boolean yieldRequested;

  /** Set by a yield point just before it yields, so the continuation goes to the global queue. */
  boolean yielding;

  /** Slow paths taken on this carrier: the ticker sees progress when it changes. */
  volatile long checkIns;

  /** 1 while this carrier's current task has a spare carrier beside it. */
  final AtomicInteger compensated = new AtomicInteger();

  private Runnable current;
  private long mounts;
  private long globalLookedAt;
  private int nextChain;
  private int nextRuns;

  /**
   * The task a process on this carrier woke last (Go's runnext): it runs as soon as the waker
   * parks, on this carrier, and thieves leave it alone; the ticker moves it to the global queue if
   * it waits a whole tick behind a busy task. Set by this carrier's thread, taken by it or the
   * ticker.
   */
  private volatile Runnable next;

  // The ticker's view of `next` (ticker thread only).
  long nextSeenMount = -1;

  // The carrier's own clock, read by loops (YieldPoint.loop): written and read only by whatever
  // runs on this carrier, one at a time.
  int clockCountdown = 1;
  int clockEvery = 1;
  long clockMount = -1;
  long sliceStart;
  long lastClock;

  // The ticker's own bookkeeping of this carrier (ticker thread only).
  long seenMount = -1;
  long seenAt;
  long seenCheckIns;
  long progressAt;
  boolean reported;

  Carrier(WeftScheduler scheduler, int index) {
    super("weft-carrier-" + index);
    this.scheduler = scheduler;
    setDaemon(true);
  }

  /** The task running now, or null (ticker). */
  Runnable current() {
    return (Runnable) CURRENT.getAcquire(this);
  }

  /** How many tasks this carrier has started (ticker). */
  long mounts() {
    return (long) MOUNTS.getAcquire(this);
  }

  @Override
  public void run() {
    int spins = 0;
    while (true) {
      Runnable task = next();
      if (task != null) {
        if (state.get() != RUNNING) {
          state.set(RUNNING);
        }
        spins = 0;
        runTask(task);
        continue;
      }
      if (spins < SPINS) {
        if (spins++ == 0) {
          state.set(SPINNING);
        }
        Thread.onSpinWait();
        continue;
      }
      state.set(IDLE);
      if (scheduler.hasWork()) {
        state.set(RUNNING);
        spins = 0;
        continue;
      }
      if (scheduler.surplus()) {
        // A spare whose held carrier is back: it lingers a second, then leaves if still idle.
        LockSupport.parkNanos(this, LINGER_NANOS);
        if (state.get() == IDLE && !scheduler.hasWork() && scheduler.retire(this)) {
          return;
        }
      } else {
        LockSupport.park(this);
      }
      state.set(RUNNING);
      spins = 0;
      scheduler.carrierAwake();
    }
  }

  private Runnable next() {
    Runnable t;
    long tick = WeftScheduler.ticks();
    // A process woken by the one that just ran goes first, unless such wake-ups have followed each
    // other for a while (a pair of processes waking each other) and the global queue has not been
    // looked at for two ticks: then the processes waiting there get their turn.
    boolean shortChain = next != null && nextChain < NEXT_CHAIN;
    if (!shortChain && tick - globalLookedAt >= 2) {
      globalLookedAt = tick;
      if ((t = scheduler.global.poll()) != null) {
        nextChain = 0;
        return t;
      }
    }
    if (next != null && nextRuns < NEXT_RUNS && (t = takeNext()) != null) {
      nextRuns++;
      nextChain++;
      return t;
    }
    nextRuns = 0;
    if ((t = queue.poll()) != null) {
      nextChain = 0;
      return t;
    }
    if ((t = takeNext()) != null) {
      nextChain++;
      return t;
    }
    nextChain = 0;
    globalLookedAt = tick;
    if ((t = scheduler.global.poll()) != null) {
      return t;
    }
    return scheduler.steal(this);
  }

  /** Puts a task in the next slot; returns the one it displaced, or null. This carrier's thread. */
  Runnable offerNext(Runnable task) {
    return (Runnable) NEXT.getAndSet(this, task);
  }

  /** Puts a task in the next slot if it is empty; returns whether it did. Any thread. */
  boolean offerNextIfEmpty(Runnable task) {
    return next == null && NEXT.compareAndSet(this, (Runnable) null, task);
  }

  /** Takes the next slot's task, or null. Any thread. */
  Runnable takeNext() {
    return next == null ? null : (Runnable) NEXT.getAndSet(this, (Runnable) null);
  }

  boolean hasNext() {
    return next != null;
  }

  private void runTask(Runnable task) {
    MOUNTS.setRelease(this, mounts + 1);
    CURRENT.setRelease(this, task);
    try {
      task.run();
    } catch (Throwable t) {
      // A continuation handles its own failures; nothing may stop the carrier.
    }
    CURRENT.setRelease(this, null);
    // Plain reads first: a volatile write or an atomic per task would cost a fence each.
    if (yieldRequested) {
      yieldRequested = false;
    }
    if (compensated.get() == 1 && compensated.getAndSet(0) == 1) {
      scheduler.endCompensation();
    }
  }

  /** Wakes this carrier if it is idle; returns whether it did. Any thread. */
  boolean wake() {
    if (state.get() == IDLE && state.compareAndSet(IDLE, WAKING)) {
      LockSupport.unpark(this);
      return true;
    }
    return false;
  }
}
