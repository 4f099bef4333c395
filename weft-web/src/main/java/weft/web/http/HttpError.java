package weft.web.http;

import java.io.Serial;

/**
 * An HTTP error a handler or filter throws to answer with a status and a message. The server turns
 * it into a JSON error for API routes and a plain page otherwise; the message is shown to the
 * client, so it must not carry secrets. Any other exception becomes a 500 whose details are only
 * logged.
 */
public final class HttpError extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  private final int status;
  private final transient java.util.Map<String, String> headers;

  /**
   * Creates the error.
   *
   * @param status an HTTP status from 400 to 599
   * @param message what the client is told
   */
  public HttpError(int status, String message) {
    this(status, message, java.util.Map.of());
  }

  private HttpError(int status, String message, java.util.Map<String, String> headers) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("an HTTP error status is 400-599, got " + status);
    }
    this.status = status;
    this.headers = java.util.Map.copyOf(headers);
  }

  /**
   * The same error with a header for the response (such as {@code allow} or {@code
   * www-authenticate}).
   *
   * @param name the header name
   * @param value its value
   * @return the error
   */
  public HttpError withHeader(String name, String value) {
    java.util.Map<String, String> next = new java.util.HashMap<>(headers);
    next.put(name, value);
    HttpError e = new HttpError(status, getMessage(), next);
    e.setStackTrace(getStackTrace());
    return e;
  }

  /**
   * Headers to send with the error response.
   *
   * @return name to value
   */
  public java.util.Map<String, String> headers() {
    return headers;
  }

  /**
   * The status.
   *
   * @return the HTTP status
   */
  public int status() {
    return status;
  }

  /**
   * 400 Bad Request.
   *
   * @param message what was wrong with the request
   * @return the error
   */
  public static HttpError badRequest(String message) {
    return new HttpError(400, message);
  }

  /**
   * 404 Not Found.
   *
   * @param message what was not found
   * @return the error
   */
  public static HttpError notFound(String message) {
    return new HttpError(404, message);
  }

  /**
   * 403 Forbidden.
   *
   * @param message why
   * @return the error
   */
  public static HttpError forbidden(String message) {
    return new HttpError(403, message);
  }
}
