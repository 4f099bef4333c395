package weft.task;

import java.io.Serial;
import weft.process.ExitReason;

/**
 * A task that gave no result: it crashed ({@link ExitReason.Error}), was killed, or did not finish
 * in time ({@link ExitReason#TIMEOUT}).
 */
public final class TaskException extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  private final transient ExitReason reason;

  TaskException(ExitReason reason) {
    super(
        "task exited: " + reason,
        reason instanceof ExitReason.Error(Throwable cause) ? cause : null);
    this.reason = reason;
  }

  /**
   * Why the task gave no result.
   *
   * @return the reason
   */
  public ExitReason reason() {
    return reason;
  }
}
