package weft.task;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Task#asyncStream} runs.
 *
 * @param maxConcurrency how many tasks run at once (default: the number of processors)
 * @param ordered whether results come in input order (default) or in completion order
 * @param timeout how long each task may run, from its start (default 5 seconds)
 * @param onTimeout what a task past its timeout does to the stream (default {@code EXIT})
 */
public record StreamOptions(
    int maxConcurrency, boolean ordered, Duration timeout, OnTimeout onTimeout) {

  /** What happens when a task runs out of time. */
  public enum OnTimeout {
    /** All tasks of the stream are killed and the consumer gets a {@link TaskException}. */
    EXIT,
    /** That task is killed and its result is {@code Exited(timeout)}; the stream goes on. */
    KILL_TASK
  }

  /**
   * Validates the options.
   *
   * @param maxConcurrency positive
   * @param ordered in input order or completion order
   * @param timeout positive
   * @param onTimeout not null
   */
  public StreamOptions {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(onTimeout, "onTimeout");
    if (maxConcurrency <= 0) {
      throw new IllegalArgumentException("maxConcurrency must be positive, got " + maxConcurrency);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
  }

  /**
   * Elixir's defaults.
   *
   * @return the options
   */
  public static StreamOptions defaults() {
    return new StreamOptions(
        Runtime.getRuntime().availableProcessors(), true, Duration.ofSeconds(5), OnTimeout.EXIT);
  }

  /**
   * With another concurrency.
   *
   * @param maxConcurrency tasks at once
   * @return the options
   */
  public StreamOptions withMaxConcurrency(int maxConcurrency) {
    return new StreamOptions(maxConcurrency, ordered, timeout, onTimeout);
  }

  /**
   * In input order, or not.
   *
   * @param ordered whether ordered
   * @return the options
   */
  public StreamOptions withOrdered(boolean ordered) {
    return new StreamOptions(maxConcurrency, ordered, timeout, onTimeout);
  }

  /**
   * With another per-task timeout and what to do when it runs out.
   *
   * @param timeout per task
   * @param onTimeout what happens
   * @return the options
   */
  public StreamOptions withTimeout(Duration timeout, OnTimeout onTimeout) {
    return new StreamOptions(maxConcurrency, ordered, timeout, onTimeout);
  }
}
