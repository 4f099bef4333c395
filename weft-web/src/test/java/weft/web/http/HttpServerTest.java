package weft.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import weft.process.Node;
import weft.process.Process;

class HttpServerTest {

  record Greeting(String name) {}

  private final Node node = Node.start("http");
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;
  private HttpClient client;

  @BeforeEach
  void start() {
    Router router =
        Router.builder()
            .get("/", req -> Response.text("hello"))
            .get(
                "/boom",
                req -> {
                  throw new IllegalStateException("secret detail");
                })
            .get("/self", req -> Response.text(Process.self().toString()))
            .get(
                "/block",
                req -> {
                  release.await(10, TimeUnit.SECONDS);
                  return Response.text("released");
                })
            .get("/big", req -> Response.text("x".repeat(50_000)))
            .get(
                "/own-csp",
                req ->
                    Response.text("own")
                        .withHeader("content-security-policy", "default-src 'none'"))
            .get(
                "/stream",
                req ->
                    Response.stream(
                        "text/plain",
                        sink -> {
                          for (int i = 0; i < 3; i++) {
                            sink.write("chunk" + i + ";");
                          }
                        }))
            .get("/cookie", req -> Response.text(req.cookie("session").orElse("none")))
            .post(
                "/form",
                req ->
                    Response.text(
                        req.form().get("name").getFirst() + "|" + req.query("q").orElse("")))
            .get(
                "/login",
                req -> Response.ok().withCookie("session", "s1", Duration.ofHours(1), false))
            .scope(
                "/api",
                api ->
                    api.json()
                        .post(
                            "/greet",
                            req -> Response.json(Map.of("hello", req.json(Greeting.class).name())))
                        .get("/users/:id", req -> Response.json(Map.of("id", req.pathParam("id")))))
            .build();
    server =
        HttpServer.start(
            node, HttpConfig.port(0).withMaxBodyBytes(1024).withMaxHeaderBytes(2048), router);
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stop() {
    release.countDown();
    client.shutdownNow();
    server.stop(Duration.ofSeconds(5));
    node.close();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesARouteWithARequestIdAndUsesEpoll() throws Exception {
    HttpResponse<String> r = get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello");
    assertThat(r.headers().firstValue("x-request-id")).isPresent();
    assertThat(get("/", "x-request-id", "client-chosen-id-1").headers().firstValue("x-request-id"))
        .contains("client-chosen-id-1");
    assertThat(server.transport()).isEqualTo("epoll");
  }

  @Test
  void eachRequestRunsInItsOwnProcess() throws Exception {
    assertThat(get("/self").body()).isNotEqualTo(get("/self").body()).startsWith("<");
  }

  @Test
  void handlerExceptionIsA500WithoutDetails() throws Exception {
    HttpResponse<String> r = get("/boom");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body())
        .contains("500 Internal Server Error")
        .doesNotContain("secret", "Exception");
    HttpResponse<String> api = get("/api/nothing");
    assertThat(api.statusCode()).isEqualTo(404);
    assertThat(api.headers().firstValue("content-type")).contains("application/json");
    assertThat(api.body()).contains("\"status\":404");
  }

  @Test
  void jsonBodiesInAndOutAndBadJsonIs400() throws Exception {
    HttpRequest post =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/greet"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ada\"}"))
            .header("content-type", "application/json")
            .build();
    HttpResponse<String> r = client.send(post, HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).isEqualTo("{\"hello\":\"ada\"}");
    HttpResponse<String> e = greet("{not json", "application/json");
    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.body()).contains("invalid JSON body");
    for (String wrong : List.of("12345", "true", "1e999999", "{\"a\":1}", "[\"x\"]")) {
      HttpResponse<String> w = greet("{\"name\":" + wrong + "}", "application/json");
      assertThat(w.statusCode()).as(wrong).isEqualTo(400);
      assertThat(w.body())
          .as(wrong)
          .contains("unexpected value at $.name")
          .doesNotContain("weft.", "Greeting", "java.");
    }
    HttpResponse<String> plain = greet("{\"name\":\"ada\"}", "text/plain");
    assertThat(plain.statusCode()).isEqualTo(415);
    assertThat(plain.body()).contains("expected Content-Type: application/json, got text/plain");
    assertThat(greet("{\"name\":\"ada\"}", "application/json; charset=utf-8").body())
        .isEqualTo("{\"hello\":\"ada\"}");
  }

  private HttpResponse<String> greet(String body, String contentType) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/greet"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("content-type", contentType)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void wrongMethodIs405WithAllow() throws Exception {
    HttpRequest del =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/users/7"))
            .DELETE()
            .build();
    HttpResponse<String> r = client.send(del, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("allow")).contains("GET, HEAD");
  }

  @Test
  void aBlockedHandlerSlowsNobodyElse() throws Exception {
    var blocked =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/block"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    for (int i = 0; i < 20; i++) {
      assertThat(get("/").body()).isEqualTo("hello");
    }
    assertThat(blocked).isNotDone();
    release.countDown();
    assertThat(blocked.get(10, TimeUnit.SECONDS).body()).isEqualTo("released");
  }

  @Test
  void gzipWhenAsked() throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/big"))
            .header("accept-encoding", "gzip")
            .build();
    HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.headers().firstValue("content-encoding")).contains("gzip");
    assertThat(r.body().length).isLessThan(5_000);
    try (var in = new GZIPInputStream(new java.io.ByteArrayInputStream(r.body()))) {
      assertThat(new String(in.readAllBytes())).hasSize(50_000);
    }
  }

  @Test
  void everyResponseCarriesTheSecurityHeadersUnlessItSetsItsOwn() throws Exception {
    for (String path : List.of("/", "/api/nothing", "/nothing")) {
      HttpResponse<String> r = get(path);
      assertThat(r.headers().firstValue("content-security-policy"))
          .as(path)
          .contains(SecurityHeaders.DEFAULT_CSP);
      assertThat(r.headers().firstValue("x-content-type-options")).as(path).contains("nosniff");
      assertThat(r.headers().firstValue("x-frame-options")).as(path).contains("DENY");
      assertThat(r.headers().firstValue("referrer-policy"))
          .as(path)
          .contains("strict-origin-when-cross-origin");
    }
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send("POST /api/greet HTTP/1.1\r\nhost: x\r\ncontent-length: 5000\r\n\r\n");
      RawHttp.Reply tooBig = raw.read();
      assertThat(tooBig.status()).isEqualTo(413);
      assertThat(tooBig.headers()).containsEntry("x-content-type-options", "nosniff");
    }
    assertThat(get("/own-csp").headers().allValues("content-security-policy"))
        .containsExactly("default-src 'none'");
  }

  @Test
  void securityHeadersCanBeChangedServerWide() throws Exception {
    HttpServer plain =
        HttpServer.start(
            node,
            HttpConfig.port(0)
                .withSecurityHeaders(
                    SecurityHeaders.defaults().without("x-frame-options").with("x-extra", "1")),
            Router.builder().get("/", req -> Response.text("hi")).build());
    try {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plain.port() + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.headers().firstValue("x-frame-options")).isEmpty();
      assertThat(r.headers().firstValue("x-extra")).contains("1");
      assertThat(r.headers().firstValue("x-content-type-options")).contains("nosniff");
    } finally {
      plain.stop(Duration.ofSeconds(5));
    }
  }

  @Test
  void controlBytesOfTheRequestLineDoNotReachTheAccessLog() throws Exception {
    var lines =
        new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    var access =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("weft.web.access");
    lines.start();
    access.addAppender(lines);
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send("GET /nothing\u001b[2J\u0007x HTTP/1.1\r\nhost: x\r\n\r\n");
      assertThat(raw.read().status()).isEqualTo(404);
      // The line is written once the response has gone out: wait for it.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (lines.list.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } finally {
      access.detachAppender(lines);
    }
    assertThat(lines.list)
        .anySatisfy(e ->
            assertThat(e.getFormattedMessage())
                .contains("/nothing?[2J?x")
                .doesNotContain("\u001b", "\u0007"));
  }

  @Test
  void streamingResponseIsChunked() throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send("GET /stream HTTP/1.1\r\nhost: x\r\n\r\n");
      RawHttp.Reply r = raw.read();
      assertThat(r.headers()).containsEntry("transfer-encoding", "chunked");
      assertThat(r.body()).isEqualTo("chunk0;chunk1;chunk2;");
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send(
          "GET /api/users/1 HTTP/1.1\r\nhost: x\r\n\r\n"
              + "GET / HTTP/1.1\r\nhost: x\r\n\r\n"
              + "GET /api/users/3 HTTP/1.1\r\nhost: x\r\n\r\n");
      assertThat(raw.read().body()).isEqualTo("{\"id\":\"1\"}");
      assertThat(raw.read().body()).isEqualTo("hello");
      RawHttp.Reply third = raw.read();
      assertThat(third.body()).isEqualTo("{\"id\":\"3\"}");
      assertThat(third.headers()).containsEntry("connection", "keep-alive");
    }
  }

  @Test
  void pipelinedRequestsBeyondWhatMayWaitAreReadLaterAndAllAnswered() throws Exception {
    // Far more than the connection lets wait, and more bytes than one read takes (some 450 KB):
    // it stops reading, then reads on as it answers.
    int n = 300;
    String pad = "x-pad: " + "p".repeat(1500) + "\r\n";
    StringBuilder requests = new StringBuilder();
    for (int i = 0; i < n; i++) {
      requests.append("GET /api/users/").append(i).append(" HTTP/1.1\r\nhost: x\r\n");
      requests.append(pad).append("\r\n");
    }
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send(requests.toString());
      for (int i = 0; i < n; i++) {
        assertThat(raw.read().body()).isEqualTo("{\"id\":\"" + i + "\"}");
      }
    }
  }

  @Test
  void oversizedBodyIs413AndTheServerLivesOn() throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send(
          "POST /api/greet HTTP/1.1\r\nhost: x\r\ncontent-length: 5000\r\n\r\n" + "a".repeat(5000));
      RawHttp.Reply r = raw.read();
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.body()).contains("too large");
    }
    assertThat(get("/").statusCode()).isEqualTo(200);
  }

  @Test
  void oversizedHeadersAre431() throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send("GET / HTTP/1.1\r\nhost: x\r\nx-big: " + "b".repeat(4000) + "\r\n\r\n");
      RawHttp.Reply r = raw.read();
      assertThat(r.status()).isEqualTo(431);
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void malformedRequestIs400AndUnknownMethodIs501() throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send("BREW / HTTP/1.1\r\nhost: x\r\n\r\n");
      assertThat(raw.read().status()).isEqualTo(501);
    }
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send("GET /%zz HTTP/1.1\r\nhost: x\r\n\r\n");
      assertThat(raw.read().status()).isEqualTo(400);
    }
  }

  @Test
  void idleConnectionIsClosed() throws Exception {
    HttpServer quick =
        HttpServer.start(
            node,
            HttpConfig.port(0).withIdleTimeout(Duration.ofMillis(100)),
            Router.builder().get("/", req -> Response.text("hi")).build());
    try (RawHttp raw = new RawHttp(quick.port())) {
      raw.send("GET / HTTP/1.1\r\nhost: x\r\n\r\n");
      assertThat(raw.read().body()).isEqualTo("hi");
      assertThat(raw.closedByServer()).isTrue();
    } finally {
      quick.stop(Duration.ofSeconds(1));
    }
  }

  @Test
  void headersTrickledInPastTheirDeadlineGet408AndAClosedConnection() throws Exception {
    HttpServer strict =
        HttpServer.start(
            node,
            HttpConfig.port(0).withHeaderTimeout(Duration.ofMillis(300)),
            Router.builder().get("/", req -> Response.text("hi")).build());
    try (RawHttp raw = new RawHttp(strict.port())) {
      // A whole request first: the deadline is per request, not per connection.
      raw.send("GET / HTTP/1.1\r\nhost: x\r\n\r\n");
      assertThat(raw.read().body()).isEqualTo("hi");
      // Then one header byte every 20 ms, which the idle timeout (60 s) would never stop; the
      // trickle ends by itself after 10 s, when the read below has long given up.
      java.util.concurrent.atomic.AtomicBoolean answered =
          new java.util.concurrent.atomic.AtomicBoolean();
      Thread trickle =
          Thread.ofPlatform()
              .start(() -> {
                String partial = "GET / HTTP/1.1\r\nhost: x\r\nx-slow: " + "a".repeat(500);
                try {
                  for (int i = 0; i < partial.length() && !answered.get(); i++) {
                    raw.send(partial.substring(i, i + 1));
                    Thread.sleep(20);
                  }
                } catch (IOException | InterruptedException e) {
                  // the server closed the connection: what the test expects
                }
              });
      RawHttp.Reply reply = raw.read();
      answered.set(true);
      trickle.join();
      assertThat(reply.status()).isEqualTo(408);
      assertThat(reply.body()).contains("request headers took too long");
      boolean closed;
      try {
        closed = raw.closedByServer();
      } catch (java.net.SocketException reset) {
        closed = true; // a byte the trickle sent after the close made the server's side reset
      }
      assertThat(closed).as("the server closed the connection").isTrue();
    } finally {
      strict.stop(Duration.ofSeconds(1));
    }
  }

  @Test
  void gracefulStopFinishesRequestsInFlightThenRefusesConnections() throws Exception {
    var blocked =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/block"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    // Wait until the request is in its handler: the handler's process exists then.
    while (node.processes().stream()
        .noneMatch(p ->
            p.status() == weft.process.ProcessStatus.RUNNING
                || p.status() == weft.process.ProcessStatus.WAITING)) {
      Thread.onSpinWait();
    }
    int port = server.port();
    var stopping =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> server.stop(Duration.ofSeconds(10)));
    while (accepts(port)) {
      Thread.onSpinWait(); // until the server stops accepting: it is draining by then
    }
    release.countDown();
    HttpResponse<String> r = blocked.get(10, TimeUnit.SECONDS);
    assertThat(r.body()).isEqualTo("released");
    assertThat(r.headers().firstValue("connection")).contains("close");
    assertThat(stopping.get(10, TimeUnit.SECONDS)).isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RawHttp(port))
        .isInstanceOf(java.net.ConnectException.class);
    server = HttpServer.start(node, HttpConfig.port(0), Router.builder().build());
  }

  private static boolean accepts(int port) {
    try {
      new RawHttp(port).close();
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void cookiesAreReadAndSet() throws Exception {
    assertThat(get("/cookie", "cookie", "session=abc; other=1").body()).isEqualTo("abc");
    assertThat(get("/login").headers().firstValue("set-cookie").orElseThrow())
        .contains("session=s1", "HTTPOnly", "Max-Age=3600", "SameSite=Lax");
  }

  @Test
  void formAndQueryParametersAreDecoded() throws Exception {
    HttpRequest post =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/form?q=a%20b"))
            .POST(HttpRequest.BodyPublishers.ofString("name=J%C3%BCrgen+K&x=1"))
            .header("content-type", "application/x-www-form-urlencoded")
            .build();
    assertThat(client.send(post, HttpResponse.BodyHandlers.ofString()).body())
        .isEqualTo("Jürgen K|a b");
  }

  @Test
  void headIsAnsweredByTheGetRouteWithoutBody() throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send("HEAD / HTTP/1.1\r\nhost: x\r\n\r\nGET / HTTP/1.1\r\nhost: x\r\n\r\n");
      RawHttp.Reply head = raw.read(true);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.headers()).containsEntry("content-length", "5");
      // The HEAD response carries no body: the next bytes are the GET's response.
      assertThat(raw.read().body()).isEqualTo("hello");
    }
  }
}
