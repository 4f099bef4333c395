package weft.process.internal;

/*
 * Design: what the yield points inserted by weft-agent call. The agent puts a call to check() (in
 * library and framework code) or checkExit() (in application code) at every method entry of a
 * method that calls others, and before every backward branch. These names and descriptors are the
 * contract with weft-agent (weft.instrument.YieldPoints): change both together.
 *
 * The fast path must cost next to nothing, as it runs on every loop iteration and every call: it
 * is one read of the static `armed` flag and a branch, inlined by the JIT (a volatile read is a
 * plain load on x86; it cannot be hoisted out of a loop, which is the point). `armed` is set
 * whenever some carrier's own flag is; only then does a yield point look up its carrier (an
 * intrinsic, a type check and a second volatile read). On a thread that is not one of Weft's
 * carriers (Netty's event loops, the JDK's scheduler, any platform thread) the type check fails.
 *
 * `armed` is cleared by the slow path that finds no carrier flagged any more. A race with the
 * ticker setting a flag at that moment can clear it too early; the ticker sets it again on its
 * next tick for as long as the reason holds, so the cost of the race is one tick.
 *
 * The carrier's own clock (loop): the ticker is a thread like any other, and when every core runs
 * a carrier the OS may let it wait milliseconds for a CPU, so a process could keep its carrier
 * several slices. Loops therefore also time themselves: once every 64 back-edges a loop calls
 * loop(), which counts down on its carrier and, every so many calls, reads the clock; the count
 * adapts so that the clock is read every 10 to 50 microseconds whatever the loop's body costs
 * (a fraction of a percent). A process past its slice while others wait then yields at once, as
 * the BEAM's schedulers count reductions themselves. Recursion without loops relies on the ticker.
 *
 * The slow path runs when the ticker (or an exit signal) set the carrier's flag: it records the
 * check-in (so the watchdog knows the process can be preempted), ends the process if an exit
 * signal killed it and the code is application code, and yields the carrier if the ticker asked.
 * An exit is thrown at most once per process, so that finally blocks and clean-up loops the
 * unwinding runs are not cut short again.
 */
/** The calls that yield points make; for instrumented code only, never called by hand. */
public final class YieldPoint {

  /** Set while some carrier's flag is set (see the design note). */
  static volatile boolean armed;

  private YieldPoint() {}

  /** A yield point in library or framework code: may yield the carrier; never throws. */
  public static void check() {
    if (armed && JdkHooks.currentCarrier() instanceof Carrier k && k.preempt) {
      preempted(k, false);
    }
  }

  /**
   * A yield point in application code: may yield the carrier, and ends the process here if an exit
   * signal has killed it.
   */
  public static void checkExit() {
    if (armed && JdkHooks.currentCarrier() instanceof Carrier k && k.preempt) {
      preempted(k, true);
    }
  }

  /** What a loop calls every 64 back-edges, in library and framework code. */
  public static void loop() {
    if (JdkHooks.currentCarrier() instanceof Carrier k) {
      if (k.preempt) {
        preempted(k, false);
      } else if (--k.clockCountdown <= 0) {
        selfTimed(k, false);
      }
    }
  }

  /** What a loop calls every 64 back-edges, in application code. */
  public static void loopExit() {
    if (JdkHooks.currentCarrier() instanceof Carrier k) {
      if (k.preempt) {
        preempted(k, true);
      } else if (--k.clockCountdown <= 0) {
        selfTimed(k, true);
      }
    }
  }

  private static final long MIN_CLOCK_NANOS = 10_000;
  private static final long MAX_CLOCK_NANOS = 50_000;
  private static final int MAX_CLOCK_EVERY = 1 << 12;

  /** Reads the clock for the carrier's current process; yields if its slice is over. */
  private static void selfTimed(Carrier k, boolean exits) {
    long now = System.nanoTime();
    long mount = k.mounts();
    if (k.clockMount != mount) {
      k.clockMount = mount;
      k.sliceStart = now;
    } else {
      long since = now - k.lastClock;
      if (since < MIN_CLOCK_NANOS) {
        k.clockEvery = Math.min(MAX_CLOCK_EVERY, k.clockEvery * 2);
      } else if (since > MAX_CLOCK_NANOS) {
        k.clockEvery = Math.max(1, k.clockEvery / 2);
      }
    }
    k.lastClock = now;
    k.clockCountdown = k.clockEvery;
    k.checkIns++;
    if (now - k.sliceStart >= k.scheduler.sliceNanos && k.scheduler.hasWork()) {
      k.yieldRequested = true;
      preempted(k, exits);
    }
  }

  private static void preempted(Carrier k, boolean exits) {
    k.preempt = false;
    if (!k.scheduler.anyFlagged()) {
      armed = false;
    }
    k.checkIns++;
    ProcessCore p = ProcessCore.current();
    if (exits && p != null) {
      p.unwindIfKilled();
    }
    if (k.yieldRequested) {
      k.yieldRequested = false;
      k.yielding = true;
      k.scheduler.preemptions.increment();
      if (p != null) {
        p.countPreemption();
      }
      Thread.yield();
      if (k.yielding && JdkHooks.currentCarrier() == k) {
        k.yielding = false; // the yield did not happen (pinned): nothing consumed the mark
      }
      if (exits && p != null) {
        p.unwindIfKilled();
      }
    }
  }
}
