package weft.process.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/*
 * Design: deadlines for processes that wait with a timeout (receive with a timeout, GenServer.call).
 *
 * A virtual thread's timed park schedules its wake-up on the JDK's ScheduledThreadPoolExecutor and
 * cancels it when it wakes: a lock, a heap insertion and a removal per wait. A call answered in a
 * microsecond paid three times that for its five-second timeout (GenServer.call ran at 0.5 M/s
 * with it, 1.7 M/s with an untimed park). Most waits end long before their deadline, so this timer
 * makes the common case cost next to nothing, as the BEAM's timer wheel does:
 *
 * - A wait pushes a node onto a lock-free stack (one compare-and-set) and parks without a timeout;
 *   when it wakes, it marks the node cancelled (a second compare-and-set). Nothing else happens
 *   on the waiter's side.
 * - One platform thread ticks every millisecond while there are deadlines. It takes the stack:
 *   a node cancelled meanwhile (nearly all of them) is dropped there; the others go into a hashed
 *   wheel of 1,024 one-millisecond buckets (a deadline further away stays in its bucket for more
 *   revolutions). Nodes cancelled after that are unlinked on the next tick, so a waiter that times
 *   out rarely but waits often leaves nothing behind. With no deadline pending, the thread parks
 *   until a wait registers one.
 * - A deadline fires on the first tick at or after it: a wait ends up to a millisecond (plus the
 *   OS's scheduling) after its deadline, never before. Firing unparks the waiter; if the waiter
 *   was woken by something else at the same moment, the extra unpark leaves a permit, which its
 *   next park consumes as a spurious wake-up (every park in the JDK and in Weft loops on its
 *   condition).
 *
 * Platform threads keep LockSupport.parkNanos: their timed waits are the kernel's and cheap.
 */
/** Deadlines for virtual threads that park with a timeout; see the design note. */
public final class WaitTimer {

  static final long TICK_NANOS = 1_000_000;
  private static final int BUCKETS = 1 << 10;

  private static final int PENDING = 0;
  private static final int LINKED = 1;
  private static final int CANCELLED = 2;
  private static final int FIRED = 3;

  private static final VarHandle STATE;
  private static final VarHandle PENDING_TOP;
  private static final VarHandle CANCELLED_TOP;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      STATE = l.findVarHandle(Wait.class, "state", int.class);
      PENDING_TOP = l.findVarHandle(WaitTimer.class, "pending", Wait.class);
      CANCELLED_TOP = l.findVarHandle(WaitTimer.class, "cancelled", Wait.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** One wait's deadline. */
  static final class Wait {
    final long deadline;
    final Thread thread;
    volatile int state;
    Wait stackNext; // in `pending` or `cancelled`: never both (see cancel)
    Wait prev; // in a bucket: the timer thread's alone
    Wait next;
    boolean linked;

    Wait(long deadline, Thread thread) {
      this.deadline = deadline;
      this.thread = thread;
    }
  }

  private static final class Holder {
    static final WaitTimer INSTANCE = new WaitTimer();
  }

  private volatile Wait pending;
  private volatile Wait cancelled;
  private volatile boolean sleeping;
  private final Wait[] buckets = new Wait[BUCKETS];
  private int linkedCount;
  private long lastTick;
  private final Thread thread;

  private WaitTimer() {
    this(System.nanoTime(), true);
  }

  /** A timer that starts at {@code now}; without its thread, tests drive {@link #tick}. */
  WaitTimer(long now, boolean start) {
    lastTick = Math.floorDiv(now, TICK_NANOS);
    thread = Thread.ofPlatform().daemon().name("weft-wait-timer").unstarted(this::run);
    if (start) {
      thread.start();
    }
  }

  static WaitTimer get() {
    return Holder.INSTANCE;
  }

  /**
   * Parks the current thread until it is unparked, interrupted or the deadline has passed; may also
   * return spuriously, as {@link LockSupport#park} does. A virtual thread's deadline is kept by
   * this timer (up to a millisecond late); a platform thread parks with {@link
   * LockSupport#parkNanos}.
   *
   * @param blocker what the thread waits for, for thread dumps
   * @param deadline on the {@link System#nanoTime()} scale
   */
  public static void parkUntil(Object blocker, long deadline) {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      return;
    }
    Thread t = Thread.currentThread();
    if (!t.isVirtual()) {
      LockSupport.parkNanos(blocker, remaining);
      return;
    }
    WaitTimer timer = get();
    Wait w = timer.schedule(deadline, t);
    try {
      LockSupport.park(blocker);
    } finally {
      timer.cancel(w);
    }
  }

  Wait schedule(long deadline, Thread t) {
    Wait w = new Wait(deadline, t);
    Wait top;
    do {
      top = pending;
      w.stackNext = top;
    } while (!PENDING_TOP.compareAndSet(this, top, w));
    if (sleeping) {
      LockSupport.unpark(thread);
    }
    return w;
  }

  void cancel(Wait w) {
    while (true) {
      int s = w.state;
      if (s == CANCELLED || s == FIRED) {
        return;
      }
      if (STATE.compareAndSet(w, s, CANCELLED)) {
        if (s == LINKED) {
          // In a bucket: the timer thread unlinks it. Still in `pending` it is dropped there.
          Wait top;
          do {
            top = cancelled;
            w.stackNext = top;
          } while (!CANCELLED_TOP.compareAndSet(this, top, w));
        }
        return;
      }
    }
  }

  /** Whether the wait's deadline fired, for tests. */
  static boolean fired(Wait w) {
    return w.state == FIRED;
  }

  /** Deadlines in the wheel, for tests. */
  int linked() {
    return linkedCount;
  }

  private void run() {
    while (true) {
      if (linkedCount == 0 && pending == null && cancelled == null) {
        sleeping = true;
        if (pending == null) {
          LockSupport.park(this);
        }
        sleeping = false;
      }
      // Wait a tick before looking: most waits end in microseconds and are then dropped unseen.
      LockSupport.parkNanos(this, TICK_NANOS);
      try {
        tick(System.nanoTime());
      } catch (RuntimeException | Error e) {
        // Nothing here throws but an OutOfMemoryError; keep the timer alive for the others.
        System.err.println("weft-wait-timer: " + e);
      }
    }
  }

  /** One tick: unlink what was cancelled, link what was scheduled, fire what is due. */
  void tick(long now) {
    for (Wait w = (Wait) CANCELLED_TOP.getAndSet(this, null); w != null; ) {
      Wait n = w.stackNext;
      w.stackNext = null;
      unlink(w);
      w = n;
    }
    for (Wait w = (Wait) PENDING_TOP.getAndSet(this, null); w != null; ) {
      Wait n = w.stackNext;
      w.stackNext = null;
      if (w.deadline - now <= 0) {
        if (STATE.compareAndSet(w, PENDING, FIRED)) {
          LockSupport.unpark(w.thread);
        }
      } else if (STATE.compareAndSet(w, PENDING, LINKED)) {
        link(w);
      }
      w = n;
    }
    long current = Math.floorDiv(now, TICK_NANOS);
    // From the last tick's bucket on: it also holds deadlines later in that millisecond.
    long from = Math.max(lastTick, current - BUCKETS + 1);
    for (long t = from; t <= current && linkedCount > 0; t++) {
      int b = (int) (t & (BUCKETS - 1));
      for (Wait w = buckets[b]; w != null; ) {
        Wait n = w.next;
        if (w.deadline - now <= 0 && STATE.compareAndSet(w, LINKED, FIRED)) {
          unlink(w);
          LockSupport.unpark(w.thread);
        }
        w = n;
      }
    }
    lastTick = current;
  }

  private void link(Wait w) {
    int b = (int) (Math.floorDiv(w.deadline, TICK_NANOS) & (BUCKETS - 1));
    Wait head = buckets[b];
    w.next = head;
    if (head != null) {
      head.prev = w;
    }
    buckets[b] = w;
    w.linked = true;
    linkedCount++;
  }

  private void unlink(Wait w) {
    if (!w.linked) {
      return;
    }
    w.linked = false;
    linkedCount--;
    if (w.prev != null) {
      w.prev.next = w.next;
    } else {
      buckets[(int) (Math.floorDiv(w.deadline, TICK_NANOS) & (BUCKETS - 1))] = w.next;
    }
    if (w.next != null) {
      w.next.prev = w.prev;
    }
    w.prev = null;
    w.next = null;
  }
}
