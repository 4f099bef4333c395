package weft.task;

import weft.process.ExitReason;

/**
 * One result of {@link Task#asyncStream}: a value ({@link Ok}) or why there is none ({@link
 * Exited}), Elixir's {@code {:ok, value}} and {@code {:exit, reason}}.
 *
 * @param <R> the value type
 */
public sealed interface TaskResult<R> {

  /**
   * A value.
   *
   * @param <R> the value type
   * @param value the value
   */
  record Ok<R>(R value) implements TaskResult<R> {}

  /**
   * No value.
   *
   * @param <R> the value type
   * @param reason why: a crash, or {@code timeout} for a task killed by {@link
   *     StreamOptions.OnTimeout#KILL_TASK}
   */
  record Exited<R>(ExitReason reason) implements TaskResult<R> {}
}
