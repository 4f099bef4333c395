package weft.web.channel.internal;

import weft.web.channel.RateLimits.Rate;

/*
 * Design: the generic cell rate algorithm, a token bucket kept as one number. "due" is the
 * theoretical time at which the bucket would be full again if no token were taken from now on
 * (never earlier than now). Taking a token moves it one token's refill time later; the bucket is
 * empty when due lies more than (burst - 1) token times ahead of now. Integer nanoseconds only:
 * no floating point, no refill loop, exact over any time span.
 */
/** A token bucket; thread-safe (a user's bucket is shared by their connections). */
public final class TokenBucket {

  private final long tokenNanos;
  private final long slackNanos;
  private long due = Long.MIN_VALUE;

  /**
   * An empty-debt (full) bucket.
   *
   * @param rate its rate and size
   */
  public TokenBucket(Rate rate) {
    this.tokenNanos = Math.max(1, rate.per().toNanos() / rate.count());
    this.slackNanos = slack(tokenNanos, rate.burst() - 1L);
  }

  private static long slack(long tokenNanos, long tokens) {
    try {
      return Math.min(Long.MAX_VALUE / 4, Math.multiplyExact(tokenNanos, tokens));
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }

  /**
   * Takes a token if there is one.
   *
   * @param now the time, {@link System#nanoTime()}
   * @return 0 when taken, else the nanoseconds until one will be there (at least 1)
   */
  public synchronized long take(long now) {
    long start = due == Long.MIN_VALUE || due - now < 0 ? now : due;
    long ahead = start - now;
    if (ahead > slackNanos) {
      return ahead - slackNanos;
    }
    due = start + tokenNanos;
    return 0;
  }
}
