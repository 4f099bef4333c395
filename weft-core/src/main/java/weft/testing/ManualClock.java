package weft.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;
import weft.process.Node;
import weft.process.TimeSource;

/**
 * A {@link Clock} that moves only when the test moves it, for code that takes a clock (token
 * expiry, job schedules, rescue and prune ages), and a {@link TimeSource} for a node's own timers:
 * a node started with {@link Node#start(String, TimeSource) Node.start(name, clock)} runs {@code
 * sendAfter}, {@code sendInterval}, {@code receive} and {@code sleep} timeouts and {@code
 * GenServer.call} timeouts on it.
 *
 * {@snippet :
 * ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:00Z"));
 * try (Node node = Node.start("test", clock); Probe probe = Probe.start(node)) {
 *   node.sendAfter(probe.pid(), "tick", Duration.ofMinutes(5));
 *   probe.expectNoMessage(Duration.ofMillis(50));
 *   clock.advance(Duration.ofMinutes(5));       // the timer fires before advance returns
 *   probe.expectMessage(String.class, Duration.ofSeconds(1));
 * }
 * }
 *
 * <h2>Timers</h2>
 *
 * {@link #advance} and {@link #set} run every timer that has come due, in deadline order, on the
 * calling thread, before they return (a message sent by a timer is in its mailbox by then; a
 * process whose receive timed out has been woken, and goes on concurrently). An interval that came
 * due several times within one move fires that many times. Moving backwards moves the wall-clock
 * instant only: the timers' time never goes back.
 *
 * <p>Thread-safe; in UTC.
 */
public final class ManualClock extends Clock implements TimeSource {

  private record Due(long at, long seq, Runnable task, ScheduledTimer timer, long period) {}

  private final class ScheduledTimer implements Timer {
    volatile boolean done;

    @Override
    public boolean cancel() {
      synchronized (ManualClock.this) {
        if (done) {
          return false;
        }
        done = true;
        // Cancelled timers wait in the queue until due; drop them when they are most of it, so
        // a process that receives with a timeout in a loop leaves nothing behind.
        if (++cancelled > 1024 && cancelled > due.size() / 2) {
          due.removeIf(d -> d.timer.done);
          cancelled = 0;
        }
        return true;
      }
    }
  }

  private volatile Instant now;
  private volatile long nanos;
  // Guarded by this.
  private final PriorityQueue<Due> due =
      new PriorityQueue<>(
          (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private long seq;
  private int cancelled;

  /**
   * A clock stopped at an instant.
   *
   * @param start where it starts
   */
  public ManualClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /**
   * Moves the clock (backwards for a negative amount), then runs the timers that came due.
   *
   * @param amount how far
   * @return the new time
   */
  public Instant advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    Instant to;
    synchronized (this) {
      to = now.plus(amount);
      now = to;
      if (!amount.isNegative()) {
        nanos = saturatedAdd(nanos, amount);
      }
    }
    fireDue();
    return to;
  }

  /**
   * Sets the clock, then runs the timers that came due (when it moved forwards).
   *
   * @param instant the new time
   */
  public void set(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    synchronized (this) {
      Duration by = Duration.between(now, instant);
      now = instant;
      if (!by.isNegative()) {
        nanos = saturatedAdd(nanos, by);
      }
    }
    fireDue();
  }

  private static long saturatedAdd(long base, Duration d) {
    long n;
    try {
      n = d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
    return n > Long.MAX_VALUE - base ? Long.MAX_VALUE : base + n;
  }

  private void fireDue() {
    while (true) {
      List<Runnable> run = new ArrayList<>();
      synchronized (this) {
        while (!due.isEmpty() && due.peek().at <= nanos) {
          Due d = due.poll();
          if (!d.timer.done) {
            if (d.period > 0) {
              due.add(new Due(d.at + d.period, seq++, d.task, d.timer, d.period));
            } else {
              d.timer.done = true;
            }
            run.add(d.task);
          }
        }
      }
      if (run.isEmpty()) {
        return;
      }
      run.forEach(Runnable::run); // a task may schedule another, due already: loop
    }
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** The same clock: it has one zone. */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  /**
   * The timers' time: nanoseconds moved forwards since this clock was made.
   *
   * @return the time
   */
  @Override
  public long nanoTime() {
    return nanos;
  }

  /**
   * Runs {@code task} once the clock has moved {@code delayNanos} forwards (at once, on the calling
   * thread, if that is zero or less).
   */
  @Override
  public Timer schedule(Runnable task, long delayNanos) {
    Objects.requireNonNull(task, "task");
    ScheduledTimer timer = new ScheduledTimer();
    boolean now;
    synchronized (this) {
      now = delayNanos <= 0;
      if (!now) {
        long at = delayNanos > Long.MAX_VALUE - nanos ? Long.MAX_VALUE : nanos + delayNanos;
        due.add(new Due(at, seq++, task, timer, 0));
      } else {
        timer.done = true;
      }
    }
    if (now) {
      task.run();
    }
    return timer;
  }

  /** Runs {@code task} each time the clock has moved forwards by another period. */
  @Override
  public Timer scheduleAtFixedRate(Runnable task, long periodNanos) {
    Objects.requireNonNull(task, "task");
    if (periodNanos <= 0) {
      throw new IllegalArgumentException("period must be positive, got " + periodNanos);
    }
    ScheduledTimer timer = new ScheduledTimer();
    synchronized (this) {
      long at = periodNanos > Long.MAX_VALUE - nanos ? Long.MAX_VALUE : nanos + periodNanos;
      due.add(new Due(at, seq++, task, timer, periodNanos));
    }
    return timer;
  }

  /** Parks until the clock is moved to the deadline, or the thread is unparked. */
  @Override
  public void parkUntil(Object blocker, long deadlineNanos) {
    if (deadlineNanos - nanos <= 0) {
      return;
    }
    Thread waiter = Thread.currentThread();
    Timer wake = schedule(() -> LockSupport.unpark(waiter), deadlineNanos - nanos);
    LockSupport.park(blocker);
    wake.cancel();
  }

  /**
   * How many timers are waiting for the clock to move (cancelled ones excluded).
   *
   * @return the count
   */
  public synchronized int pendingTimers() {
    int n = 0;
    for (Due d : due) {
      if (!d.timer.done) {
        n++;
      }
    }
    return n;
  }

  @Override
  public String toString() {
    return "ManualClock[" + now + "]";
  }
}
