package weft.genserver;

import java.util.Objects;
import weft.process.ExitReason;

/**
 * What {@link GenServer#handleCast}, {@link GenServer#handleInfo} and {@link
 * GenServer#handleContinue} return (and {@link GenServer#handleCall} when it does not reply now):
 * go on ({@link NoReply}) or stop ({@link Stop}).
 *
 * @param <S> the server's state
 */
public sealed interface Result<S> extends CallResult<S> permits Result.NoReply, Result.Stop {

  /**
   * Goes on with a state.
   *
   * @param <S> the state type
   * @param state the new state
   * @return the result
   */
  static <S> Result<S> noreply(S state) {
    return new NoReply<>(state, null);
  }

  /**
   * Goes on with a state, calling {@link GenServer#handleContinue} before the next message.
   *
   * @param <S> the state type
   * @param state the new state
   * @param continueWith the argument of {@code handleContinue}, not null
   * @return the result
   */
  static <S> Result<S> noreplyContinue(S state, Object continueWith) {
    return new NoReply<>(state, Objects.requireNonNull(continueWith, "continueWith"));
  }

  /**
   * Stops the server: {@link GenServer#terminate} runs, then the process ends with the reason. From
   * {@code handleCall}, the caller gets no reply unless someone calls {@link GenServer#reply}; it
   * sees the server's exit instead.
   *
   * @param <S> the state type
   * @param reason the exit reason
   * @param state the final state
   * @return the result
   */
  static <S> Result<S> stop(ExitReason reason, S state) {
    return new Stop<>(reason, state);
  }

  /**
   * Go on.
   *
   * @param <S> the state type
   * @param state the new state
   * @param continueWith the argument for {@code handleContinue}, or null
   */
  record NoReply<S>(S state, Object continueWith) implements Result<S> {}

  /**
   * Stop.
   *
   * @param <S> the state type
   * @param reason the exit reason
   * @param state the final state
   */
  record Stop<S>(ExitReason reason, S state) implements Result<S> {
    /**
     * Checks the reason.
     *
     * @param reason the exit reason, not null
     * @param state the final state
     */
    public Stop {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
