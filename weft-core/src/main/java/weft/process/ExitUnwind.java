package weft.process;

import java.io.Serial;

/**
 * Thrown inside a process to unwind its stack when it has to end: it was killed by an exit signal,
 * or it called {@link Process#exit(ExitReason)} on itself. It extends {@link Error} so that
 * ordinary {@code catch (Exception e)} blocks let it pass; it carries no stack trace.
 *
 * <p>Process code meets it at any Weft call or yield point. Code that must catch {@code Throwable}
 * (a job runner recording any failure, a framework's last-resort handler) catches this first and
 * rethrows it, so that the process ends as it was told to:
 *
 * {@snippet :
 * try {
 *   result = work.call();
 * } catch (ExitUnwind u) {
 *   throw u;                       // killed, or exiting: let the process end
 * } catch (Throwable t) {
 *   result = failure(t);
 * }
 * }
 *
 * Only Weft creates it.
 */
public final class ExitUnwind extends Error {

  @Serial private static final long serialVersionUID = 1L;

  private final transient ExitReason reason;

  /**
   * Creates the unwinding signal (Weft's own runtime only: {@link Process#exit(ExitReason)} throws
   * it for process code).
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
