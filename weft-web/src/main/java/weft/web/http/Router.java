package weft.web.http;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import weft.web.http.internal.PathPattern;

/**
 * Routes requests to handlers by method and path, through pipelines of {@link Filter}s, as a
 * Phoenix router does. Routes are tried in the order they were declared; the first whose method and
 * path match wins.
 *
 * {@snippet :
 * Router router = Router.builder()
 *     .get("/", req -> Response.html("<h1>hello</h1>"))
 *     .scope("/api", api -> api
 *         .json()                               // errors under /api answer as JSON
 *         .through(requireToken)                // filters for the routes declared after
 *         .get("/users/:id", req -> Response.json(users.find(req.pathParam("id"))))
 *         .post("/users", req -> Response.json(users.create(req.json(NewUser.class))).withStatus(201)))
 *     .get("/assets/*path", StaticFiles.serve(Path.of("public")))
 *     .build();
 * }
 *
 * <h2>Answers the router gives itself</h2>
 *
 * No route for the path: 404. A route for the path but not the method: 405 with an {@code allow}
 * header. {@code HEAD} is answered by the {@code GET} route without its body when no {@code HEAD}
 * route is declared.
 */
public final class Router {

  private record Route(Method method, PathPattern pattern, Handler handler, boolean json) {}

  private final List<Route> routes;
  private final List<String> jsonPrefixes;
  private final Map<String, weft.web.channel.Socket> sockets;

  private Router(
      List<Route> routes, List<String> jsonPrefixes, Map<String, weft.web.channel.Socket> sockets) {
    this.routes = List.copyOf(routes);
    this.jsonPrefixes = List.copyOf(jsonPrefixes);
    this.sockets = Map.copyOf(sockets);
  }

  /**
   * The socket mounted at a path, if any.
   *
   * @param mount the mount path, such as {@code /socket}
   * @return the socket
   */
  public java.util.Optional<weft.web.channel.Socket> socketAt(String mount) {
    return java.util.Optional.ofNullable(sockets.get(mount));
  }

  /**
   * Starts a router.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder(
        "", List.of(), false, new ArrayList<>(), new ArrayList<>(), new java.util.HashMap<>());
  }

  /**
   * Routes a request and runs its handler and filters, on the calling thread.
   *
   * @param request the request
   * @return the response
   * @throws HttpError 404 or 405 as described above, or thrown by the handler
   * @throws Exception thrown by the handler or a filter
   */
  public Response dispatch(Request request) throws Exception {
    String rawPath = rawPath(request.uri());
    Set<String> allowed = new LinkedHashSet<>();
    Method wanted = request.method() == Method.HEAD ? null : request.method();
    Route getForHead = null;
    Map<String, String> getParams = null;
    for (Route route : routes) {
      Map<String, String> params;
      try {
        params = route.pattern().match(rawPath);
      } catch (IllegalArgumentException e) {
        throw HttpError.badRequest("malformed path");
      }
      if (params == null) {
        continue;
      }
      if (route.method() == request.method()) {
        return route.handler().handle(request.withPathParams(params));
      }
      if (wanted == null && route.method() == Method.GET && getForHead == null) {
        getForHead = route;
        getParams = params;
      }
      allowed.add(route.method().name());
    }
    if (getForHead != null) {
      return getForHead.handler().handle(request.withPathParams(getParams));
    }
    if (!allowed.isEmpty()) {
      if (allowed.contains("GET")) {
        allowed.add("HEAD");
      }
      throw new HttpError(405, "method " + request.method() + " not allowed for " + request.path())
          .withHeader("allow", String.join(", ", allowed));
    }
    throw HttpError.notFound("no route for " + request.method() + " " + request.path());
  }

  /**
   * Whether errors for this request are answered as JSON: under a {@link Builder#json()} scope, or
   * when the client accepts JSON and not HTML.
   *
   * @param request the request
   * @return true for JSON errors
   */
  public boolean wantsJson(Request request) {
    for (String prefix : jsonPrefixes) {
      if (request.path().equals(prefix)
          || request.path().startsWith(prefix + "/")
          || prefix.isEmpty()) {
        return true;
      }
    }
    String accept = request.header("accept").orElse("");
    return accept.contains("application/json") && !accept.contains("text/html");
  }

  private static String rawPath(String uri) {
    int q = uri.indexOf('?');
    String p = q < 0 ? uri : uri.substring(0, q);
    int h = p.indexOf('#');
    return h < 0 ? p : p.substring(0, h);
  }

  /**
   * Declares routes; {@link #scope} makes a nested builder with a path prefix and its own filters.
   */
  public static final class Builder {
    private final String prefix;
    private final List<Filter> filters;
    private boolean json;
    private final List<Route> routes;
    private final List<String> jsonPrefixes;
    private final Map<String, weft.web.channel.Socket> sockets;

    private Builder(
        String prefix,
        List<Filter> filters,
        boolean json,
        List<Route> routes,
        List<String> jsonPrefixes,
        Map<String, weft.web.channel.Socket> sockets) {
      this.prefix = prefix;
      this.filters = new ArrayList<>(filters);
      this.json = json;
      this.routes = routes;
      this.jsonPrefixes = jsonPrefixes;
      this.sockets = sockets;
    }

    /**
     * Mounts a Phoenix-protocol socket: clients connect to {@code <path>/websocket?vsn=2.0.0}.
     * Filters do not apply to it; the socket's own {@code connect} decides who may connect.
     *
     * @param path the mount path, such as {@code /socket}
     * @param socket the socket
     * @return this builder
     */
    public Builder socket(String path, weft.web.channel.Socket socket) {
      if (!path.startsWith("/") || path.endsWith("/")) {
        throw new IllegalArgumentException(
            "a socket path starts with / and does not end with /: " + path);
      }
      if (sockets.putIfAbsent(prefix + path, Objects.requireNonNull(socket, "socket")) != null) {
        throw new IllegalArgumentException("a socket is already mounted at " + prefix + path);
      }
      return this;
    }

    /**
     * Makes this scope an API scope: its errors (including 404s under its prefix) answer as JSON.
     *
     * @return this builder
     */
    public Builder json() {
      if (!json) {
        json = true;
        jsonPrefixes.add(prefix);
      }
      return this;
    }

    /**
     * Adds filters, in order, around every route declared after this call in this scope and its
     * nested scopes (Phoenix's {@code pipe_through}).
     *
     * @param pipeline the filters
     * @return this builder
     */
    public Builder through(Filter... pipeline) {
      for (Filter f : pipeline) {
        filters.add(Objects.requireNonNull(f, "filter"));
      }
      return this;
    }

    /**
     * A nested scope under a path prefix; it starts with this scope's filters and JSON setting.
     *
     * @param path the prefix, starting with {@code /}
     * @param body declares the scope's routes
     * @return this builder
     */
    public Builder scope(String path, Consumer<Builder> body) {
      if (!path.startsWith("/") || path.length() > 1 && path.endsWith("/")) {
        throw new IllegalArgumentException(
            "a scope path starts with / and does not end with /: " + path);
      }
      Builder inner = new Builder(prefix + path, filters, false, routes, jsonPrefixes, sockets);
      if (json) {
        inner.json();
      }
      body.accept(inner);
      return this;
    }

    /**
     * Adds a route.
     *
     * @param method the method
     * @param path the path pattern under this scope's prefix ({@code :name}, final {@code *name})
     * @param handler the handler
     * @return this builder
     */
    public Builder route(Method method, String path, Handler handler) {
      Objects.requireNonNull(handler, "handler");
      String full = path.equals("/") && !prefix.isEmpty() ? prefix : prefix + path;
      Handler wrapped = handler;
      for (Filter f : filters.reversed()) {
        Handler next = wrapped;
        wrapped = req -> f.filter(req, next);
      }
      routes.add(new Route(method, PathPattern.parse(full), wrapped, json));
      return this;
    }

    /**
     * A GET route.
     *
     * @param path the pattern
     * @param handler the handler
     * @return this builder
     */
    public Builder get(String path, Handler handler) {
      return route(Method.GET, path, handler);
    }

    /**
     * A POST route.
     *
     * @param path the pattern
     * @param handler the handler
     * @return this builder
     */
    public Builder post(String path, Handler handler) {
      return route(Method.POST, path, handler);
    }

    /**
     * A PUT route.
     *
     * @param path the pattern
     * @param handler the handler
     * @return this builder
     */
    public Builder put(String path, Handler handler) {
      return route(Method.PUT, path, handler);
    }

    /**
     * A PATCH route.
     *
     * @param path the pattern
     * @param handler the handler
     * @return this builder
     */
    public Builder patch(String path, Handler handler) {
      return route(Method.PATCH, path, handler);
    }

    /**
     * A DELETE route.
     *
     * @param path the pattern
     * @param handler the handler
     * @return this builder
     */
    public Builder delete(String path, Handler handler) {
      return route(Method.DELETE, path, handler);
    }

    /**
     * Builds the router.
     *
     * @return the router
     */
    public Router build() {
      return new Router(routes, jsonPrefixes, sockets);
    }
  }
}
