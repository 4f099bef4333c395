package weft.web.channel;

import java.io.Serial;

/** A frame that does not follow the Phoenix protocol; the message says what is wrong. */
public final class ProtocolException extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong
   */
  public ProtocolException(String message) {
    super(message);
  }
}
