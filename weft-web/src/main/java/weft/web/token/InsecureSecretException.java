package weft.web.token;

import java.io.Serial;

/** A signing secret that is not safe to use: readable by others, or too short. */
public final class InsecureSecretException extends IllegalStateException {

  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and how to fix it
   */
  public InsecureSecretException(String message) {
    super(message);
  }
}
