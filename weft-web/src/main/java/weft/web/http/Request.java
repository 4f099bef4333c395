package weft.web.http;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import weft.web.http.internal.Json;

/**
 * An HTTP request as a handler sees it: immutable, with the body already read (up to the server's
 * body limit).
 *
 * <p>Parameters: {@link #pathParam} for {@code :name} and {@code *name} segments of the route,
 * {@link #query} for the query string, {@link #form} for a url-encoded body, {@link #json} for a
 * JSON body. Header names are case-insensitive.
 */
public final class Request {

  private final Method method;
  private final String path;
  private final String uri;
  private final Map<String, List<String>> query;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final Map<String, String> pathParams;
  private final Map<String, String> cookies;
  private final Map<String, Object> attributes;
  private final String requestId;
  private final InetSocketAddress remoteAddress;

  /**
   * Creates a request; the server does this, and tests may too.
   *
   * @param method the method
   * @param uri the request target (path and query)
   * @param path the decoded path
   * @param query query parameters
   * @param headers headers, names in lower case
   * @param body the body
   * @param cookies cookies sent
   * @param requestId the request id
   * @param remoteAddress the peer, or null
   */
  public Request(
      Method method,
      String uri,
      String path,
      Map<String, List<String>> query,
      Map<String, List<String>> headers,
      byte[] body,
      Map<String, String> cookies,
      String requestId,
      InetSocketAddress remoteAddress) {
    this(
        method,
        uri,
        path,
        query,
        headers,
        body,
        Map.of(),
        cookies,
        Map.of(),
        requestId,
        remoteAddress);
  }

  private Request(
      Method method,
      String uri,
      String path,
      Map<String, List<String>> query,
      Map<String, List<String>> headers,
      byte[] body,
      Map<String, String> pathParams,
      Map<String, String> cookies,
      Map<String, Object> attributes,
      String requestId,
      InetSocketAddress remoteAddress) {
    this.method = Objects.requireNonNull(method, "method");
    this.uri = uri;
    this.path = path;
    this.query = Map.copyOf(query);
    this.headers = Map.copyOf(headers);
    this.body = body;
    this.pathParams = Map.copyOf(pathParams);
    this.cookies = Map.copyOf(cookies);
    this.attributes = Map.copyOf(attributes);
    this.requestId = requestId;
    this.remoteAddress = remoteAddress;
  }

  /**
   * The method.
   *
   * @return the method
   */
  public Method method() {
    return method;
  }

  /**
   * The decoded path, such as {@code /users/42}.
   *
   * @return the path
   */
  public String path() {
    return path;
  }

  /**
   * The raw request target, path and query.
   *
   * @return the target
   */
  public String uri() {
    return uri;
  }

  /**
   * A path parameter of the route ({@code :id} or {@code *rest}).
   *
   * @param name the parameter
   * @return its value
   * @throws HttpError 400 if the route has no such parameter
   */
  public String pathParam(String name) {
    String v = pathParams.get(name);
    if (v == null) {
      throw HttpError.badRequest("missing path parameter " + name);
    }
    return v;
  }

  /**
   * Every path parameter.
   *
   * @return name to value
   */
  public Map<String, String> pathParams() {
    return pathParams;
  }

  /**
   * The first value of a query parameter.
   *
   * @param name the parameter
   * @return its value, or empty
   */
  public Optional<String> query(String name) {
    List<String> vs = query.get(name);
    return vs == null || vs.isEmpty() ? Optional.empty() : Optional.of(vs.getFirst());
  }

  /**
   * Every query parameter.
   *
   * @return name to values
   */
  public Map<String, List<String>> queryParams() {
    return query;
  }

  /**
   * The first value of a header.
   *
   * @param name the name, any case
   * @return the value, or empty
   */
  public Optional<String> header(String name) {
    List<String> vs = headers.get(name.toLowerCase(Locale.ROOT));
    return vs == null || vs.isEmpty() ? Optional.empty() : Optional.of(vs.getFirst());
  }

  /**
   * Every header, names in lower case.
   *
   * @return name to values
   */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /**
   * A cookie.
   *
   * @param name the cookie
   * @return its value, or empty
   */
  public Optional<String> cookie(String name) {
    return Optional.ofNullable(cookies.get(name));
  }

  /**
   * The body.
   *
   * @return the bytes (a copy)
   */
  public byte[] body() {
    return body.clone();
  }

  /**
   * The body as UTF-8 text.
   *
   * @return the text
   */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * The body as JSON, read into a type (records work). The request must say it is JSON ({@code
   * Content-Type: application/json} or another {@code +json} type). Reading is strict: a number, a
   * boolean or an object where the type wants a string is refused, not converted.
   *
   * @param <T> the type
   * @param type the type
   * @return the value
   * @throws HttpError 415 if the content type is not JSON; 400 if the body is empty, not valid
   *     JSON, or JSON of another shape (the message names the place, such as {@code $.name}, and
   *     never a Java class)
   */
  public <T> T json(Class<T> type) {
    String contentType = header("content-type").orElse("");
    int semi = contentType.indexOf(';');
    String media =
        (semi < 0 ? contentType : contentType.substring(0, semi))
            .strip()
            .toLowerCase(java.util.Locale.ROOT);
    if (!media.equals("application/json") && !media.endsWith("+json")) {
      throw new HttpError(
          415,
          "expected Content-Type: application/json, got "
              + (media.isEmpty() ? "none" : Json.printable(media)));
    }
    if (body.length == 0) {
      throw HttpError.badRequest("expected a JSON body");
    }
    try {
      return Json.STRICT.readValue(body, type);
    } catch (tools.jackson.databind.DatabindException e) {
      throw HttpError.badRequest("invalid JSON body: unexpected value at " + Json.path(e));
    } catch (JacksonException e) {
      throw HttpError.badRequest("invalid JSON body: " + Json.printable(e.getOriginalMessage()));
    }
  }

  /**
   * The body as an {@code application/x-www-form-urlencoded} form.
   *
   * @return name to values
   */
  public Map<String, List<String>> form() {
    return weft.web.http.internal.Forms.decode(bodyText());
  }

  /**
   * A value a filter attached to this request.
   *
   * @param key the key
   * @return the value, or empty
   */
  public Optional<Object> attribute(String key) {
    return Optional.ofNullable(attributes.get(key));
  }

  /**
   * This request with an attribute added, for the rest of the pipeline.
   *
   * @param key the key
   * @param value the value
   * @return the new request
   */
  public Request withAttribute(String key, Object value) {
    Map<String, Object> next = new HashMap<>(attributes);
    next.put(key, value);
    return new Request(
        method,
        uri,
        path,
        query,
        headers,
        body,
        pathParams,
        cookies,
        next,
        requestId,
        remoteAddress);
  }

  /**
   * This request with the route's path parameters; the router calls it.
   *
   * @param params the parameters
   * @return the new request
   */
  public Request withPathParams(Map<String, String> params) {
    return new Request(
        method,
        uri,
        path,
        query,
        headers,
        body,
        params,
        cookies,
        attributes,
        requestId,
        remoteAddress);
  }

  /**
   * The request id: the client's {@code x-request-id} when it is well formed, else generated. It is
   * sent back on the response and written in the access log.
   *
   * @return the id
   */
  public String requestId() {
    return requestId;
  }

  /**
   * The client's address.
   *
   * @return the address, or empty in tests
   */
  public Optional<InetSocketAddress> remoteAddress() {
    return Optional.ofNullable(remoteAddress);
  }

  @Override
  public String toString() {
    return method + " " + uri;
  }
}
