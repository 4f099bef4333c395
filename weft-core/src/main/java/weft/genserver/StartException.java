package weft.genserver;

import java.io.Serial;
import java.util.Optional;
import weft.process.ExitReason;
import weft.process.Pid;

/**
 * A server that did not start: its {@code init} returned stop or ignore, threw, or timed out, or
 * its name was taken. Erlang's {@code {error, Reason}} and {@code ignore} from {@code start_link}.
 */
public final class StartException extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  private final transient ExitReason reason;
  private final transient Pid alreadyStarted;
  private final boolean ignored;

  private StartException(String message, ExitReason reason, Pid alreadyStarted, boolean ignored) {
    super(message);
    this.reason = reason;
    this.alreadyStarted = alreadyStarted;
    this.ignored = ignored;
  }

  /**
   * Init failed with a reason.
   *
   * @param reason the reason
   * @return the exception
   */
  public static StartException failed(ExitReason reason) {
    return new StartException("failed to start: " + reason, reason, null, false);
  }

  /**
   * The name was already registered to another process.
   *
   * @param name the name
   * @param holder the process holding it
   * @return the exception
   */
  public static StartException alreadyStarted(String name, Pid holder) {
    return new StartException(
        "already started: " + name + " is registered to " + holder,
        ExitReason.of("already_started"),
        holder,
        false);
  }

  /**
   * Init returned ignore.
   *
   * @return the exception
   */
  public static StartException ignore() {
    return new StartException("init returned ignore", ExitReason.NORMAL, null, true);
  }

  /**
   * Why it did not start.
   *
   * @return the reason ({@code normal} when ignored)
   */
  public ExitReason reason() {
    return reason;
  }

  /**
   * Whether {@code init} returned ignore: not an error.
   *
   * @return true when ignored
   */
  public boolean ignored() {
    return ignored;
  }

  /**
   * The process that holds the name, when the name was taken.
   *
   * @return that process, or empty
   */
  public Optional<Pid> alreadyStartedPid() {
    return Optional.ofNullable(alreadyStarted);
  }
}
