package weft.supervisor;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The restart-intensity rule as a plain value, apart from any process: it remembers when the last
 * restarts happened and says whether one more is allowed. More than {@code maxRestarts} restarts
 * within any window of {@code period} is too many (OTP's rule).
 *
 * <p>Not thread-safe: a supervisor uses it from its own process only.
 */
public final class RestartIntensity {

  private final int maxRestarts;
  private final long periodNanos;
  private final ArrayDeque<Long> restarts = new ArrayDeque<>();

  /**
   * Creates the rule.
   *
   * @param maxRestarts restarts allowed within the period, zero or more
   * @param period the window, positive
   */
  public RestartIntensity(int maxRestarts, Duration period) {
    if (maxRestarts < 0) {
      throw new IllegalArgumentException("maxRestarts must be >= 0, got " + maxRestarts);
    }
    this.maxRestarts = maxRestarts;
    this.periodNanos = period.toNanos();
  }

  /**
   * Records a restart at {@code nowNanos} (any monotonic clock, such as {@link System#nanoTime()})
   * and says whether it is within the intensity.
   *
   * @param nowNanos the time of the restart; not earlier than the previous one
   * @return true if allowed; false means the supervisor must give up
   */
  public boolean restart(long nowNanos) {
    restarts.addLast(nowNanos);
    while (!restarts.isEmpty() && nowNanos - restarts.peekFirst() >= periodNanos) {
      restarts.removeFirst();
    }
    return restarts.size() <= maxRestarts;
  }
}
