package weft.process.internal;

import java.io.Serial;
import weft.process.ExitReason;

/**
 * Thrown inside a process to unwind its stack when it has to end: it was killed by an exit signal,
 * or it called {@code Process.exit(reason)} on itself. It extends {@link Error} so that ordinary
 * {@code catch (Exception e)} blocks in user code let it pass; it carries no stack trace.
 */
public final class ExitUnwind extends Error {

  @Serial private static final long serialVersionUID = 1L;

  private final transient ExitReason reason;

  /**
   * Creates the unwinding signal.
   *
   * @param reason the reason the process ends with
   */
  public ExitUnwind(ExitReason reason) {
    super("process exit: " + reason, null, false, false);
    this.reason = reason;
  }

  /**
   * The reason the process ends with.
   *
   * @return the reason
   */
  public ExitReason reason() {
    return reason;
  }
}
