package weft.jobs;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * A worker's settings.
 *
 * @param queue the queue its jobs go to (default {@code "default"})
 * @param maxAttempts attempts before a job is discarded (default 20, as Oban)
 * @param priority 0 runs first (default 0)
 * @param timeout how long one attempt may run; then it is killed and counts as failed (default 1
 *     minute)
 * @param backoff the wait before retry number {@code attempt} (default: exponential with jitter,
 *     {@code 2^attempt + 15} seconds, +/-10%)
 * @param uniqueFor if not null, jobs of this worker are unique within this period by queue and args
 *     (see {@link JobSpec#uniqueFor()}); default null
 */
public record WorkerOptions(
    String queue,
    int maxAttempts,
    int priority,
    Duration timeout,
    IntFunction<Duration> backoff,
    Duration uniqueFor) {

  /**
   * Validates the settings.
   *
   * @param queue a name
   * @param maxAttempts at least 1
   * @param priority 0 or more
   * @param timeout positive
   * @param backoff not null
   * @param uniqueFor positive, or null
   */
  public WorkerOptions {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(backoff, "backoff");
    if (maxAttempts < 1 || priority < 0 || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "maxAttempts >= 1, priority >= 0 and a positive timeout are required");
    }
  }

  /**
   * Oban's defaults.
   *
   * @return the settings
   */
  public static WorkerOptions defaults() {
    return new WorkerOptions(
        "default", 20, 0, Duration.ofMinutes(1), WorkerOptions::exponential, null);
  }

  /**
   * The default backoff: {@code 2^attempt + 15} seconds with 10% jitter, at most a day.
   *
   * @param attempt the attempt that failed (1 for the first)
   * @return the wait
   */
  public static Duration exponential(int attempt) {
    double base = Math.min(Math.pow(2, Math.min(attempt, 16)) + 15, 86_400);
    double jitter = base * 0.1 * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
    return Duration.ofMillis((long) ((base + jitter) * 1000));
  }

  /**
   * In another queue.
   *
   * @param queue the queue
   * @return the settings
   */
  public WorkerOptions withQueue(String queue) {
    return new WorkerOptions(queue, maxAttempts, priority, timeout, backoff, uniqueFor);
  }

  /**
   * With another attempt limit.
   *
   * @param maxAttempts the limit
   * @return the settings
   */
  public WorkerOptions withMaxAttempts(int maxAttempts) {
    return new WorkerOptions(queue, maxAttempts, priority, timeout, backoff, uniqueFor);
  }

  /**
   * With another timeout.
   *
   * @param timeout per attempt
   * @return the settings
   */
  public WorkerOptions withTimeout(Duration timeout) {
    return new WorkerOptions(queue, maxAttempts, priority, timeout, backoff, uniqueFor);
  }

  /**
   * With another backoff.
   *
   * @param backoff attempt to wait
   * @return the settings
   */
  public WorkerOptions withBackoff(IntFunction<Duration> backoff) {
    return new WorkerOptions(queue, maxAttempts, priority, timeout, backoff, uniqueFor);
  }

  /**
   * Jobs of this worker unique within a period.
   *
   * @param period how long an equal job blocks a new one
   * @return the settings
   */
  public WorkerOptions withUniqueFor(Duration period) {
    return new WorkerOptions(queue, maxAttempts, priority, timeout, backoff, period);
  }
}
