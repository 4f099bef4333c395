package weft.process.internal;

import java.time.Duration;

/** Duration to nanoseconds for waits, saturating so that an "infinite" duration never overflows. */
public final class Timeouts {

  private Timeouts() {}

  /**
   * Nanoseconds in the duration, at most {@link Long#MAX_VALUE} (about 292 years).
   *
   * @param d a non-negative duration
   * @return the nanoseconds
   */
  public static long nanos(Duration d) {
    if (d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0) {
      return Long.MAX_VALUE;
    }
    return d.toNanos();
  }

  /**
   * The deadline {@code d} from now on the {@link System#nanoTime()} scale, saturating.
   *
   * @param d a non-negative duration
   * @return the deadline
   */
  public static long deadline(Duration d) {
    return deadline(nanos(d));
  }

  /**
   * The deadline {@code nanos} from now on the {@link System#nanoTime()} scale, saturating.
   *
   * @param nanos a non-negative number of nanoseconds
   * @return the deadline
   */
  public static long deadline(long nanos) {
    long now = System.nanoTime();
    return nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
  }
}
