package weft.web.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import weft.js.NodeScripts;
import weft.process.Node;
import weft.web.http.HttpConfig;
import weft.web.http.HttpServer;
import weft.web.http.Router;
import weft.web.presence.Presence;
import weft.web.presence.PresenceOptions;
import weft.web.pubsub.PubSub;

/**
 * Drives a Weft server with the official {@code phoenix} npm client (in Node, over WebSocket). The
 * client is installed with {@code npm ci} into {@code target/js} on first use. Skipped, with a
 * message, when Node or npm is not installed.
 */
class JsClientConformanceTest {

  private static final Path JS = Path.of("target", "js");
  private final Node node = Node.start("conformance");
  private HttpServer server;

  @BeforeAll
  static void installClient() throws Exception {
    assumeTrue(
        NodeScripts.available(),
        "Node.js and npm are not installed: skipping the phoenix JS client conformance suite");
    NodeScripts.install(
        Path.of("src", "test", "js"),
        JS,
        List.of("package.json", "package-lock.json", "conformance.js", "restart.js"));
  }

  private static NodeScripts.Result run(List<String> command, Duration limit)
      throws IOException, InterruptedException {
    return NodeScripts.run(JS, command, limit);
  }

  @BeforeEach
  void start() {
    server = startServer(0);
  }

  private HttpServer startServer(int port) {
    PubSub pubsub = PubSub.start("conformance");
    Presence presence = Presence.start(node, pubsub, PresenceOptions.defaults());
    SocketHandler auth =
        (params, info) ->
            switch (params.getOrDefault("token", "")) {
              case "alice", "bob", "carol", "dave" ->
                  ConnectResult.ok(Map.of("user", params.get("token")));
              default -> ConnectResult.refuse();
            };
    Socket socket =
        Socket.builder(pubsub, auth).channel("room:*", () -> new RoomChannel(presence)).build();
    Socket quick =
        Socket.builder(pubsub, auth)
            .channel("room:*", () -> new RoomChannel(presence))
            .options(
                new Socket.SocketOptions(
                    Duration.ofMillis(300), 100, 1 << 20, 4 << 20, true, List.of()))
            .build();
    return HttpServer.start(
        node,
        HttpConfig.port(port),
        Router.builder().socket("/socket", socket).socket("/quick", quick).build());
  }

  @AfterEach
  void stop() {
    server.stop(Duration.ofSeconds(5));
    node.close();
  }

  @Test
  void officialPhoenixClientWorksOverWebSocket() throws Exception {
    conform("websocket");
  }

  @Test
  void officialPhoenixClientWorksOverLongPoll() throws Exception {
    conform("longpoll");
  }

  @Test
  void clientReconnectsAndRejoinsAfterTheServerRestartsOverWebSocket() throws Exception {
    restart("websocket");
  }

  @Test
  void clientReconnectsAndRejoinsAfterTheServerRestartsOverLongPoll() throws Exception {
    restart("longpoll");
  }

  private void restart(String transport) throws Exception {
    Process p =
        new ProcessBuilder(
                "node", "restart.js", "ws://127.0.0.1:" + server.port() + "/socket", transport)
            .directory(JS.toFile())
            .redirectErrorStream(true)
            .start();
    try (var out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertThat(line).as("the client joined").isEqualTo("JOINED");
      int port = server.port();
      server.stop(Duration.ofSeconds(5));
      server = startServer(port);
      p.getOutputStream().write("restarted\n".getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().flush();
      String result = out.readLine();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(result).isEqualTo("1 passed, 0 failed");
    } finally {
      p.destroyForcibly();
    }
  }

  private void conform(String transport) throws Exception {
    String base = "ws://127.0.0.1:" + server.port();
    NodeScripts.Result r =
        run(
            List.of("node", "conformance.js", base + "/socket", base + "/quick", transport),
            Duration.ofMinutes(2));
    System.out.println(r.output());
    assertThat(r.output()).as(r.output()).contains("\"ok\":true").doesNotContain("\"ok\":false");
    assertThat(r.exit()).as(r.output()).isZero();
  }
}
