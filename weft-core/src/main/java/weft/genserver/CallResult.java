package weft.genserver;

import java.util.Objects;
import weft.process.ExitReason;

/**
 * What {@link GenServer#handleCall} returns: reply now ({@link Reply}), reply later or never from
 * here ({@link Result.NoReply}, then {@link GenServer#reply}), or stop ({@link StopReply} with a
 * reply, {@link Result.Stop} without).
 *
 * @param <S> the server's state
 */
public sealed interface CallResult<S> permits CallResult.Reply, CallResult.StopReply, Result {

  /**
   * Replies to the caller and goes on with a state.
   *
   * @param <S> the state type
   * @param reply the reply (may be null)
   * @param state the new state
   * @return the result
   */
  static <S> CallResult<S> reply(Object reply, S state) {
    return new Reply<>(reply, state, null);
  }

  /**
   * Replies, then calls {@link GenServer#handleContinue} before the next message.
   *
   * @param <S> the state type
   * @param reply the reply
   * @param state the new state
   * @param continueWith the argument of {@code handleContinue}, not null
   * @return the result
   */
  static <S> CallResult<S> replyContinue(Object reply, S state, Object continueWith) {
    return new Reply<>(reply, state, Objects.requireNonNull(continueWith, "continueWith"));
  }

  /**
   * Stops the server: {@link GenServer#terminate} runs first, then the caller gets the reply.
   *
   * @param <S> the state type
   * @param reason the exit reason
   * @param reply the reply
   * @param state the final state
   * @return the result
   */
  static <S> CallResult<S> stopReply(ExitReason reason, Object reply, S state) {
    return new StopReply<>(reason, reply, state);
  }

  /**
   * Reply now.
   *
   * @param <S> the state type
   * @param reply the reply
   * @param state the new state
   * @param continueWith the argument for {@code handleContinue}, or null
   */
  record Reply<S>(Object reply, S state, Object continueWith) implements CallResult<S> {}

  /**
   * Reply, then stop.
   *
   * @param <S> the state type
   * @param reason the exit reason
   * @param reply the reply
   * @param state the final state
   */
  record StopReply<S>(ExitReason reason, Object reply, S state) implements CallResult<S> {
    /**
     * Checks the reason.
     *
     * @param reason the exit reason, not null
     * @param reply the reply
     * @param state the final state
     */
    public StopReply {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
