package weft.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link Worker#perform} returns: done ({@link Ok}), failed and to be retried ({@link Error}),
 * to be run later without using an attempt ({@link Snooze}), or given up ({@link Cancel}). Throwing
 * is the same as {@link Error} with the exception.
 */
public sealed interface JobResult {

  /**
   * Done.
   *
   * @return the result
   */
  static JobResult ok() {
    return new Ok();
  }

  /**
   * Failed: retried after the worker's backoff while attempts remain, then discarded.
   *
   * @param reason recorded in the job's errors
   * @return the result
   */
  static JobResult error(String reason) {
    return new Error(reason);
  }

  /**
   * Run again after a delay, without counting an attempt.
   *
   * @param delay how long to wait
   * @return the result
   */
  static JobResult snooze(Duration delay) {
    return new Snooze(delay);
  }

  /**
   * Stop for good.
   *
   * @param reason recorded in the job's errors
   * @return the result
   */
  static JobResult cancel(String reason) {
    return new Cancel(reason);
  }

  /** Done. */
  record Ok() implements JobResult {}

  /**
   * Failed.
   *
   * @param reason why
   */
  record Error(String reason) implements JobResult {}

  /**
   * Later.
   *
   * @param delay how much later
   */
  record Snooze(Duration delay) implements JobResult {
    /**
     * Checks the delay.
     *
     * @param delay not negative
     */
    public Snooze {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("snooze delay must not be negative");
      }
    }
  }

  /**
   * Given up.
   *
   * @param reason why
   */
  record Cancel(String reason) implements JobResult {}
}
