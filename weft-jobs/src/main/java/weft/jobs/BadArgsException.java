package weft.jobs;

import java.io.Serial;

/** A job's arguments do not fit what its worker expects; the job is discarded, not retried. */
public final class BadArgsException extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what does not fit
   * @param cause the parse error
   */
  public BadArgsException(String message, Throwable cause) {
    super(message, cause);
  }
}
