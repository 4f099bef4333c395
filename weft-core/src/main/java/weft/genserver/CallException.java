package weft.genserver;

import java.io.Serial;
import weft.process.ExitReason;

/**
 * A call that got no reply. {@link #reason()} says why, in Erlang's terms:
 *
 * <ul>
 *   <li>{@link ExitReason#NOPROC}: no process behind the address, or it had ended;
 *   <li>{@link ExitReason#TIMEOUT}: no reply in time (a later reply is discarded, it never reaches
 *       the caller);
 *   <li>any other reason: the server ended with it while the call was pending;
 *   <li>{@link ExitReason.Custom} {@code "calling_self"}: a process called itself.
 * </ul>
 *
 * Unlike Elixir, where a failed call exits the caller, Weft throws this unchecked exception; an
 * uncaught one ends the calling process, which has the same effect.
 */
public final class CallException extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  private final transient ExitReason reason;

  /**
   * Creates the exception.
   *
   * @param reason why the call failed
   * @param message what was called
   */
  public CallException(ExitReason reason, String message) {
    super(message + ": " + reason);
    this.reason = reason;
  }

  /**
   * Why the call failed.
   *
   * @return the reason
   */
  public ExitReason reason() {
    return reason;
  }
}
