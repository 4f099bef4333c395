package weft.web.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The router without a server: requests are built by hand. */
class RouterTest {

  static Request request(Method method, String uri, String... headers) {
    Map<String, List<String>> h = new java.util.HashMap<>();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      h.put(headers[i], List.of(headers[i + 1]));
    }
    String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
    return new Request(method, uri, path, Map.of(), h, new byte[0], Map.of(), "test-id", null);
  }

  private static String body(Response r) {
    return new String(
        ((Response.Body.Bytes) r.body()).data(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void firstDeclaredMatchingRouteWins() throws Exception {
    Router router =
        Router.builder()
            .get("/users/new", req -> Response.text("form"))
            .get("/users/:id", req -> Response.text("user " + req.pathParam("id")))
            .build();
    assertThat(body(router.dispatch(request(Method.GET, "/users/new")))).isEqualTo("form");
    assertThat(body(router.dispatch(request(Method.GET, "/users/7?x=1")))).isEqualTo("user 7");
  }

  @Test
  void filtersRunInOrderAroundTheHandlerAndCanHalt() throws Exception {
    List<String> trace = new ArrayList<>();
    Filter a =
        (req, next) -> {
          trace.add("a>");
          Response r = next.handle(req.withAttribute("user", "ada"));
          trace.add("<a");
          return r.withHeader("x-a", "1");
        };
    Filter b =
        (req, next) -> {
          trace.add("b>");
          return req.header("authorization").isPresent() ? next.handle(req) : Response.status(401);
        };
    Router router =
        Router.builder()
            .get("/open", req -> Response.text("open"))
            .scope(
                "/admin",
                s ->
                    s.through(a, b)
                        .get(
                            "/",
                            req -> {
                              trace.add("handler " + req.attribute("user").orElseThrow());
                              return Response.text("admin");
                            }))
            .build();
    Response ok = router.dispatch(request(Method.GET, "/admin", "authorization", "t"));
    assertThat(trace).containsExactly("a>", "b>", "handler ada", "<a");
    assertThat(ok.header("x-a")).isEqualTo("1");
    trace.clear();
    Response halted = router.dispatch(request(Method.GET, "/admin"));
    assertThat(halted.status()).isEqualTo(401);
    assertThat(trace).containsExactly("a>", "b>", "<a");
    trace.clear();
    router.dispatch(request(Method.GET, "/open"));
    assertThat(trace).isEmpty();
  }

  @Test
  void nestedScopesJoinPrefixesAndInheritFilters() throws Exception {
    Filter tag = (req, next) -> next.handle(req).withHeader("x-scope", "api");
    Router router =
        Router.builder()
            .scope(
                "/api",
                api ->
                    api.json()
                        .through(tag)
                        .scope("/v1", v1 -> v1.get("/ping", req -> Response.text("pong"))))
            .build();
    Response r = router.dispatch(request(Method.GET, "/api/v1/ping"));
    assertThat(body(r)).isEqualTo("pong");
    assertThat(r.header("x-scope")).isEqualTo("api");
    assertThat(router.wantsJson(request(Method.GET, "/api/v2/missing"))).isTrue();
    assertThat(router.wantsJson(request(Method.GET, "/apix"))).isFalse();
    assertThat(router.wantsJson(request(Method.GET, "/page", "accept", "application/json")))
        .isTrue();
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405WithAllow() {
    Router router =
        Router.builder()
            .get("/items", req -> Response.ok())
            .post("/items", req -> Response.ok())
            .build();
    assertThatThrownBy(() -> router.dispatch(request(Method.GET, "/nothing")))
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> router.dispatch(request(Method.DELETE, "/items")))
        .isInstanceOfSatisfying(
            HttpError.class,
            e -> {
              assertThat(e.status()).isEqualTo(405);
              assertThat(e.headers()).containsEntry("allow", "GET, POST, HEAD");
            });
  }

  @Test
  void headFallsBackToGet() throws Exception {
    Router router = Router.builder().get("/x", req -> Response.text(req.method().name())).build();
    assertThat(body(router.dispatch(request(Method.HEAD, "/x")))).isEqualTo("HEAD");
  }

  @Test
  void badScopeAndRouteDeclarationsFailAtBuildTime() {
    assertThatThrownBy(() -> Router.builder().scope("api", s -> {}))
        .hasMessageContaining("starts with /");
    assertThatThrownBy(() -> Router.builder().get("/a/*x/b", req -> Response.ok()))
        .hasMessageContaining("must be the last");
  }
}
