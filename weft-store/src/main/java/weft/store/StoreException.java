package weft.store;

import java.io.Serial;

/** A storage failure: a failed migration, a database that cannot be reached, or SQL that failed. */
public final class StoreException extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, for a person
   * @param cause the underlying error
   */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
