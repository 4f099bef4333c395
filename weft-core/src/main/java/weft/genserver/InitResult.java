package weft.genserver;

import java.util.Objects;
import weft.process.ExitReason;

/**
 * What {@link GenServer#init()} returns: start with a state ({@link Ok}), don't start ({@link
 * Ignore}), or fail to start ({@link Stop}).
 *
 * @param <S> the server's state
 */
public sealed interface InitResult<S> {

  /**
   * Starts with this state.
   *
   * @param <S> the state type
   * @param state the initial state
   * @return the result
   */
  static <S> InitResult<S> ok(S state) {
    return new Ok<>(state, null);
  }

  /**
   * Starts with this state, then calls {@link GenServer#handleContinue} with {@code continueWith}
   * before any message is handled (the starter is already released).
   *
   * @param <S> the state type
   * @param state the initial state
   * @param continueWith the argument of {@code handleContinue}, not null
   * @return the result
   */
  static <S> InitResult<S> okContinue(S state, Object continueWith) {
    return new Ok<>(state, Objects.requireNonNull(continueWith, "continueWith"));
  }

  /**
   * Does not start: the process ends normally and the starter gets a {@link StartException} whose
   * {@link StartException#ignored()} is true (a supervisor records the child as not running).
   *
   * @param <S> the state type
   * @return the result
   */
  static <S> InitResult<S> ignore() {
    return new Ignore<>();
  }

  /**
   * Fails to start with a reason.
   *
   * @param <S> the state type
   * @param reason the reason
   * @return the result
   */
  static <S> InitResult<S> stop(ExitReason reason) {
    return new Stop<>(reason);
  }

  /**
   * Started.
   *
   * @param <S> the state type
   * @param state the state
   * @param continueWith the argument for {@code handleContinue}, or null
   */
  record Ok<S>(S state, Object continueWith) implements InitResult<S> {}

  /**
   * Not started, not an error.
   *
   * @param <S> the state type
   */
  record Ignore<S>() implements InitResult<S> {}

  /**
   * Not started: an error.
   *
   * @param <S> the state type
   * @param reason why
   */
  record Stop<S>(ExitReason reason) implements InitResult<S> {
    /**
     * Checks the reason.
     *
     * @param reason why, not null
     */
    public Stop {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
