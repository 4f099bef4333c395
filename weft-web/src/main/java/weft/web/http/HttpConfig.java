package weft.web.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How the HTTP server listens and what it accepts. Every limit answers with a clear status and
 * disturbs nothing else.
 *
 * @param host the address to bind (default {@code 127.0.0.1}; {@code 0.0.0.0} for all)
 * @param port the port (default 4000; 0 picks a free one, see {@link HttpServer#port()})
 * @param maxBodyBytes largest request body; larger ones get 413 (default 8 MiB)
 * @param maxHeaderBytes largest header block; larger ones get 431 (default 16 KiB)
 * @param maxInitialLineBytes longest request line; longer ones get 414 (default 8 KiB)
 * @param idleTimeout a connection with no request in flight is closed after this long without
 *     traffic (default 60 s)
 * @param headerTimeout a request's headers must all arrive within this long of its first byte, or
 *     the server answers 408 and closes the connection, however slowly the bytes trickle in
 *     (default 15 s)
 * @param eventLoopThreads Netty I/O threads (default: the number of processors); they never run
 *     user code
 * @param maxBufferedBodyBytes request body bytes the server holds at once over all connections
 *     (being received, waiting behind a pipelined request, or being handled); a body that would
 *     pass it is refused with 503 and its connection closed (default 256 MiB). One connection holds
 *     at most 6 bodies: the running request, 4 pipelined ones and the one being received
 * @param securityHeaders headers added to every response that does not set them (default {@link
 *     SecurityHeaders#defaults()})
 */
public record HttpConfig(
    String host,
    int port,
    int maxBodyBytes,
    int maxHeaderBytes,
    int maxInitialLineBytes,
    Duration idleTimeout,
    Duration headerTimeout,
    int eventLoopThreads,
    long maxBufferedBodyBytes,
    SecurityHeaders securityHeaders) {

  /**
   * Validates the configuration.
   *
   * @param host not null
   * @param port 0 to 65535
   * @param maxBodyBytes positive
   * @param maxHeaderBytes positive
   * @param maxInitialLineBytes positive
   * @param idleTimeout positive
   * @param headerTimeout positive
   * @param eventLoopThreads positive
   * @param maxBufferedBodyBytes positive
   * @param securityHeaders not null
   */
  public HttpConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(headerTimeout, "headerTimeout");
    Objects.requireNonNull(securityHeaders, "securityHeaders");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
    if (maxBodyBytes <= 0 || maxHeaderBytes <= 0 || maxInitialLineBytes <= 0) {
      throw new IllegalArgumentException("HTTP limits must be positive");
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
    }
    if (headerTimeout.isNegative() || headerTimeout.isZero()) {
      throw new IllegalArgumentException("headerTimeout must be positive, got " + headerTimeout);
    }
    if (maxBufferedBodyBytes <= 0) {
      throw new IllegalArgumentException(
          "maxBufferedBodyBytes must be positive, got " + maxBufferedBodyBytes);
    }
    if (eventLoopThreads <= 0) {
      throw new IllegalArgumentException(
          "eventLoopThreads must be positive, got " + eventLoopThreads);
    }
  }

  /**
   * The defaults, on a port.
   *
   * @param port the port (0 for any free one)
   * @return the configuration
   */
  public static HttpConfig port(int port) {
    return new HttpConfig(
        "127.0.0.1",
        port,
        8 << 20,
        16 << 10,
        8 << 10,
        Duration.ofSeconds(60),
        Duration.ofSeconds(15),
        Runtime.getRuntime().availableProcessors(),
        256L << 20,
        SecurityHeaders.defaults());
  }

  /**
   * With another body limit.
   *
   * @param bytes the limit
   * @return the configuration
   */
  public HttpConfig withMaxBodyBytes(int bytes) {
    return new HttpConfig(
        host,
        port,
        bytes,
        maxHeaderBytes,
        maxInitialLineBytes,
        idleTimeout,
        headerTimeout,
        eventLoopThreads,
        maxBufferedBodyBytes,
        securityHeaders);
  }

  /**
   * With another header limit.
   *
   * @param bytes the limit
   * @return the configuration
   */
  public HttpConfig withMaxHeaderBytes(int bytes) {
    return new HttpConfig(
        host,
        port,
        maxBodyBytes,
        bytes,
        maxInitialLineBytes,
        idleTimeout,
        headerTimeout,
        eventLoopThreads,
        maxBufferedBodyBytes,
        securityHeaders);
  }

  /**
   * With another idle timeout.
   *
   * @param timeout the timeout
   * @return the configuration
   */
  public HttpConfig withIdleTimeout(Duration timeout) {
    return new HttpConfig(
        host,
        port,
        maxBodyBytes,
        maxHeaderBytes,
        maxInitialLineBytes,
        timeout,
        headerTimeout,
        eventLoopThreads,
        maxBufferedBodyBytes,
        securityHeaders);
  }

  /**
   * With another deadline for a request's headers.
   *
   * @param timeout the deadline, from the request's first byte
   * @return the configuration
   */
  public HttpConfig withHeaderTimeout(Duration timeout) {
    return new HttpConfig(
        host,
        port,
        maxBodyBytes,
        maxHeaderBytes,
        maxInitialLineBytes,
        idleTimeout,
        timeout,
        eventLoopThreads,
        maxBufferedBodyBytes,
        securityHeaders);
  }

  /**
   * The same settings on another port.
   *
   * @param port 0-65535 (0 picks a free one)
   * @return the new configuration
   */
  public HttpConfig withPort(int port) {
    return new HttpConfig(
        host,
        port,
        maxBodyBytes,
        maxHeaderBytes,
        maxInitialLineBytes,
        idleTimeout,
        headerTimeout,
        eventLoopThreads,
        maxBufferedBodyBytes,
        securityHeaders);
  }

  /**
   * With another bind address.
   *
   * @param host the address
   * @return the configuration
   */
  public HttpConfig withHost(String host) {
    return new HttpConfig(
        host,
        port,
        maxBodyBytes,
        maxHeaderBytes,
        maxInitialLineBytes,
        idleTimeout,
        headerTimeout,
        eventLoopThreads,
        maxBufferedBodyBytes,
        securityHeaders);
  }

  /**
   * With another bound on the request body bytes held at once over all connections.
   *
   * @param bytes the bound
   * @return the configuration
   */
  public HttpConfig withMaxBufferedBodyBytes(long bytes) {
    return new HttpConfig(
        host,
        port,
        maxBodyBytes,
        maxHeaderBytes,
        maxInitialLineBytes,
        idleTimeout,
        headerTimeout,
        eventLoopThreads,
        bytes,
        securityHeaders);
  }

  /**
   * With other headers added to every response (see {@link SecurityHeaders}).
   *
   * @param headers the headers; {@link SecurityHeaders#none()} for none
   * @return the configuration
   */
  public HttpConfig withSecurityHeaders(SecurityHeaders headers) {
    return new HttpConfig(
        host,
        port,
        maxBodyBytes,
        maxHeaderBytes,
        maxInitialLineBytes,
        idleTimeout,
        headerTimeout,
        eventLoopThreads,
        maxBufferedBodyBytes,
        headers);
  }
}
