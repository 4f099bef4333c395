package weft.dashboard.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: an address with {@code maxFailures} wrong passwords within {@code
 * window} is refused (even with the right password) until the window of its first failure has
 * passed. A success clears its count. Entries whose window has passed are dropped as others fail,
 * so the table stays as small as the set of recent offenders.
 */
public final class SignInLimiter {

  private record Failures(Instant since, int count) {}

  private final int maxFailures;
  private final Duration window;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  /**
   * A limiter.
   *
   * @param maxFailures wrong passwords allowed per window, at least 1
   * @param window how long failures count
   */
  public SignInLimiter(int maxFailures, Duration window) {
    if (maxFailures < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("maxFailures >= 1 and a positive window are required");
    }
    this.maxFailures = maxFailures;
    this.window = window;
  }

  /**
   * Whether the address may try a password now.
   *
   * @param who the client's address
   * @param now the time
   * @return false while it is locked out
   */
  public boolean allowed(String who, Instant now) {
    Failures f = failures.get(who);
    return f == null || f.count() < maxFailures || !now.isBefore(f.since().plus(window));
  }

  /**
   * Counts a wrong password.
   *
   * @param who the client's address
   * @param now the time
   */
  public void failed(String who, Instant now) {
    failures.compute(
        who,
        (k, f) ->
            f == null || !now.isBefore(f.since().plus(window))
                ? new Failures(now, 1)
                : new Failures(f.since(), f.count() + 1));
    if (failures.size() > 1_000) {
      failures.values().removeIf(f -> !now.isBefore(f.since().plus(window)));
    }
  }

  /**
   * Clears the address's count after a right password.
   *
   * @param who the client's address
   */
  public void succeeded(String who) {
    failures.remove(who);
  }
}
