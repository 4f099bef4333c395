package weft.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that moves only when the test moves it, for code that takes a clock (token
 * expiry, job schedules, rescue and prune ages). Thread-safe; in UTC.
 *
 * <p>It does not drive the runtime's own timers ({@code sendAfter}, receive timeouts): those run on
 * the scheduler's time.
 */
public final class ManualClock extends Clock {

  private volatile Instant now;

  /**
   * A clock stopped at an instant.
   *
   * @param start where it starts
   */
  public ManualClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /**
   * Moves the clock (backwards for a negative amount).
   *
   * @param amount how far
   * @return the new time
   */
  public synchronized Instant advance(Duration amount) {
    now = now.plus(amount);
    return now;
  }

  /**
   * Sets the clock.
   *
   * @param instant the new time
   */
  public void set(Instant instant) {
    now = Objects.requireNonNull(instant, "instant");
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

  @Override
  public String toString() {
    return "ManualClock[" + now + "]";
  }
}
