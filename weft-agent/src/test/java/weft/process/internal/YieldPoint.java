package weft.process.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for weft-core's YieldPoint in the agent's own tests: counts the calls that instrumented
 * code makes, by kind.
 */
public final class YieldPoint {

  /** Calls of each method. */
  public static final AtomicLong CHECK = new AtomicLong();

  /** Calls of checkExit. */
  public static final AtomicLong CHECK_EXIT = new AtomicLong();

  /** Calls of loop. */
  public static final AtomicLong LOOP = new AtomicLong();

  /** Calls of loopExit. */
  public static final AtomicLong LOOP_EXIT = new AtomicLong();

  private YieldPoint() {}

  /** Clears the counts. */
  public static void reset() {
    CHECK.set(0);
    CHECK_EXIT.set(0);
    LOOP.set(0);
    LOOP_EXIT.set(0);
  }

  public static void check() {
    CHECK.incrementAndGet();
  }

  public static void checkExit() {
    CHECK_EXIT.incrementAndGet();
  }

  public static void loop() {
    LOOP.incrementAndGet();
  }

  public static void loopExit() {
    LOOP_EXIT.incrementAndGet();
  }
}
