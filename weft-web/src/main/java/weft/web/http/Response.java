package weft.web.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import weft.web.http.internal.Json;

/**
 * An HTTP response: a status, headers and a body. Immutable: every {@code with...} returns a new
 * response.
 *
 * {@snippet :
 * return Response.json(Map.of("id", 42)).withStatus(201).withHeader("location", "/users/42");
 * }
 */
public final class Response {

  /** What a response carries. */
  public sealed interface Body {
    /** No body. */
    record Empty() implements Body {}

    /**
     * A body held in memory, sent with a {@code content-length}.
     *
     * @param data the bytes
     */
    record Bytes(byte[] data) implements Body {}

    /**
     * A body written in chunks as it is produced ({@code transfer-encoding: chunked}).
     *
     * @param writer writes the chunks, on the request's process
     */
    record Stream(StreamWriter writer) implements Body {}
  }

  /** Writes a streaming body. */
  @FunctionalInterface
  public interface StreamWriter {
    /**
     * Writes the body.
     *
     * @param sink where the chunks go
     * @throws Exception ends the response early (the connection is closed)
     */
    void write(ChunkSink sink) throws Exception;
  }

  /** A header name and value. */
  record Header(String name, String value) {}

  private final int status;
  private final List<Header> headers;
  private final Body body;

  private Response(int status, List<Header> headers, Body body) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status must be 100-599, got " + status);
    }
    this.status = status;
    this.headers = List.copyOf(headers);
    this.body = Objects.requireNonNull(body, "body");
  }

  /**
   * 200 with no body.
   *
   * @return the response
   */
  public static Response ok() {
    return new Response(200, List.of(), new Body.Empty());
  }

  /**
   * A status with no body.
   *
   * @param status the status
   * @return the response
   */
  public static Response status(int status) {
    return new Response(status, List.of(), new Body.Empty());
  }

  /**
   * 200 with a plain-text body (UTF-8).
   *
   * @param text the text
   * @return the response
   */
  public static Response text(String text) {
    return bytes(text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
  }

  /**
   * 200 with an HTML body (UTF-8).
   *
   * @param html the page
   * @return the response
   */
  public static Response html(String html) {
    return bytes(html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
  }

  /**
   * 200 with a JSON body: any value Jackson can write (records, maps, lists).
   *
   * @param value the value
   * @return the response
   */
  public static Response json(Object value) {
    return bytes(Json.MAPPER.writeValueAsBytes(value), "application/json");
  }

  /**
   * 200 with bytes of a content type.
   *
   * @param data the bytes
   * @param contentType their type
   * @return the response
   */
  public static Response bytes(byte[] data, String contentType) {
    return new Response(
        200, List.of(new Header("content-type", contentType)), new Body.Bytes(data));
  }

  /**
   * 200 with a body written in chunks by {@code writer}, on the request's process.
   *
   * @param contentType the body's type
   * @param writer writes the chunks
   * @return the response
   */
  public static Response stream(String contentType, StreamWriter writer) {
    return new Response(
        200, List.of(new Header("content-type", contentType)), new Body.Stream(writer));
  }

  /**
   * A redirect (302) to a location.
   *
   * @param location where to
   * @return the response
   */
  public static Response redirect(String location) {
    return status(302).withHeader("location", location);
  }

  /**
   * The same response with another status.
   *
   * @param status the status
   * @return the response
   */
  public Response withStatus(int status) {
    return new Response(status, headers, body);
  }

  /**
   * The same response with a header added (a header of the same name is kept: use it for {@code
   * set-cookie}; {@code content-type} and {@code content-length} replace).
   *
   * @param name the name
   * @param value the value
   * @return the response
   */
  public Response withHeader(String name, String value) {
    String lower = name.toLowerCase(Locale.ROOT);
    List<Header> next = new ArrayList<>(headers);
    if (lower.equals("content-type") || lower.equals("content-length")) {
      next.removeIf(h -> h.name().equals(lower));
    }
    next.add(new Header(lower, Objects.requireNonNull(value, "value")));
    return new Response(status, next, body);
  }

  /**
   * The same response setting a cookie ({@code HttpOnly}, {@code SameSite=Lax}, path {@code /}).
   *
   * @param name the cookie
   * @param value its value
   * @param maxAge how long it lives; zero deletes it
   * @param secure whether to send it only over HTTPS
   * @return the response
   */
  public Response withCookie(String name, String value, java.time.Duration maxAge, boolean secure) {
    var cookie = new io.netty.handler.codec.http.cookie.DefaultCookie(name, value);
    cookie.setPath("/");
    cookie.setHttpOnly(true);
    cookie.setSecure(secure);
    cookie.setMaxAge(maxAge.toSeconds());
    cookie.setSameSite(io.netty.handler.codec.http.cookie.CookieHeaderNames.SameSite.Lax);
    return withHeader(
        "set-cookie", io.netty.handler.codec.http.cookie.ServerCookieEncoder.STRICT.encode(cookie));
  }

  /**
   * The status.
   *
   * @return the status
   */
  public int status() {
    return status;
  }

  /**
   * The first value of a header.
   *
   * @param name the name, any case
   * @return the value, or null
   */
  public String header(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return headers.stream()
        .filter(h -> h.name().equals(lower))
        .map(Header::value)
        .findFirst()
        .orElse(null);
  }

  /**
   * Every header, in order, as name-value pairs with lower-case names.
   *
   * @return the headers
   */
  public List<Map.Entry<String, String>> headers() {
    return headers.stream().map(h -> Map.entry(h.name(), h.value())).toList();
  }

  /**
   * The body.
   *
   * @return the body
   */
  public Body body() {
    return body;
  }

  @Override
  public String toString() {
    return "Response[" + status + "]";
  }
}
