package weft.web.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import weft.process.Node;
import weft.web.http.HttpConfig;
import weft.web.http.HttpServer;
import weft.web.http.Router;
import weft.web.pubsub.PubSub;

/** Each limit answers the offending client clearly and disturbs nobody else. */
class SocketLimitsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final Node node = Node.start("limits");
  private final PubSub pubsub = PubSub.start("limits");
  private HttpServer server;

  @BeforeEach
  void start() {
    SocketHandler auth =
        (params, info) ->
            ConnectResult.ok(
                Map.of("user", params.getOrDefault("user", "x")),
                "user:" + params.getOrDefault("user", "x"));
    Socket socket =
        Socket.builder(pubsub, auth)
            .channel("room:*", () -> new RoomChannel(null))
            .options(
                new Socket.SocketOptions(
                    Duration.ofSeconds(60), 2, 4096, 64 * 1024, true, List.of()))
            .build();
    server =
        HttpServer.start(
            node, HttpConfig.port(0), Router.builder().socket("/socket", socket).build());
  }

  @AfterEach
  void stop() {
    server.stop(Duration.ofSeconds(5));
    node.close();
  }

  private String url(String user) {
    return "ws://127.0.0.1:" + server.port() + "/socket/websocket?vsn=2.0.0&user=" + user;
  }

  private static String join(WsClient c, String topic, String ref) throws InterruptedException {
    c.send("[\"" + ref + "\",\"" + ref + "\",\"" + topic + "\",\"phx_join\",{}]");
    return c.next();
  }

  @Test
  void oversizedFrameClosesWith1009AndOthersLiveOn() throws Exception {
    try (WsClient big = new WsClient(url("big"), true);
        WsClient other = new WsClient(url("other"), true)) {
      big.send("[null,\"1\",\"phoenix\",\"heartbeat\",{\"pad\":\"" + "x".repeat(10_000) + "\"}]");
      assertThat(big.closeCode(WAIT)).isEqualTo(1009);
      assertThat(join(other, "room:a", "1")).contains("\"status\":\"ok\"");
    }
  }

  @Test
  void aFragmentedMessageOverTheLimitClosesWith1009() throws Exception {
    try (WsClient big = new WsClient(url("frag"), true)) {
      big.sendFragments("x".repeat(1000), 6);
      assertThat(big.closeCode(WAIT)).isEqualTo(1009);
    }
  }

  @Test
  void killingASocketProcessClosesItsConnection() throws Exception {
    try (WsClient c = new WsClient(url("victim"), true)) {
      assertThat(join(c, "room:k", "1")).contains("\"ok\"");
      var socketProcess =
          node.processes().stream()
              .filter(p -> p.behaviour().orElse("").equals("Socket"))
              .findFirst()
              .orElseThrow();
      node.exit(socketProcess.pid(), weft.process.ExitReason.KILL);
      assertThat(c.closeCode(WAIT)).isEqualTo(1011);
    }
  }

  @Test
  void joiningTooManyChannelsIsRefused() throws Exception {
    try (WsClient c = new WsClient(url("many"), true)) {
      assertThat(join(c, "room:1", "1")).contains("\"ok\"");
      assertThat(join(c, "room:2", "2")).contains("\"ok\"");
      assertThat(join(c, "room:3", "3")).contains("too many channels joined");
      // Rejoining a joined topic closes the old channel first, then joins anew.
      assertThat(join(c, "room:1", "4")).contains("phx_close").startsWith("[\"1\",\"1\"");
      assertThat(c.next()).contains("\"4\",\"4\",\"room:1\",\"phx_reply\"").contains("\"ok\"");
    }
  }

  @Test
  void malformedFrameClosesTheConnectionAndTheServerLivesOn() throws Exception {
    try (WsClient bad = new WsClient(url("bad"), true)) {
      bad.send("{not a frame");
      assertThat(bad.closeCode(WAIT)).isEqualTo(1007);
    }
    try (WsClient good = new WsClient(url("good"), true)) {
      assertThat(join(good, "room:ok", "1")).contains("\"ok\"");
    }
  }

  @Test
  void clientThatDoesNotReadIsDisconnected() throws Exception {
    try (WsClient reader = new WsClient(url("reader"), true)) {
      assertThat(join(reader, "room:calm", "1")).contains("\"ok\"");
      WsClient sleeper = new WsClient(url("sleeper"), false);
      sleeper.send("[\"1\",\"1\",\"room:flood\",\"phx_join\",{}]");
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (pubsub.subscriberCount("room:flood") < 1 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(pubsub.subscriberCount("room:flood")).isEqualTo(1);
      Broadcast flood = new Broadcast("room:flood", "flood", Map.of("data", "y".repeat(32 * 1024)));
      // Flood until the sleeper's connection is dropped; bounded so the test stops by itself.
      for (int i = 0; i < 100_000 && pubsub.subscriberCount("room:flood") > 0; i++) {
        pubsub.broadcast("room:flood", flood);
      }
      while (pubsub.subscriberCount("room:flood") > 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(pubsub.subscriberCount("room:flood")).as("the sleeper was dropped").isZero();
      reader.send("[\"1\",\"2\",\"room:calm\",\"ping\",{\"n\":5}]");
      assertThat(reader.next()).contains("\"pong\":5");
      sleeper.close();
    }
  }

  @Test
  void broadcastingDisconnectToASocketIdClosesIt() throws Exception {
    try (WsClient c = new WsClient(url("eve"), true)) {
      assertThat(join(c, "room:x", "1")).contains("\"ok\"");
      pubsub.broadcast("user:eve", new Broadcast("user:eve", "disconnect", Map.of()));
      assertThat(c.closeCode(WAIT)).isEqualTo(1001);
    }
  }

  @Test
  void foreignOriginIsRefusedAndSameHostIsAccepted() throws Exception {
    assertThat(upgradeStatus("", "origin: http://evil.example\r\n")).isEqualTo("HTTP/1.1 403");
    assertThat(upgradeStatus("", "origin: http://x\r\n")).isEqualTo("HTTP/1.1 101");
  }

  private String upgradeStatus(String extraQuery, String extraHeaders) throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("GET /socket/websocket?vsn=2.0.0"
                      + extraQuery
                      + " HTTP/1.1\r\nhost: x\r\n"
                      + "upgrade: websocket\r\nconnection: upgrade\r\n"
                      + "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n"
                      + extraHeaders
                      + "\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      return new String(
          s.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void wrongVersionAndRefusedConnectAre403() throws Exception {
    for (String query : List.of("vsn=1.0.0", "")) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
        s.setSoTimeout(10_000);
        s.getOutputStream()
            .write(
                ("GET /socket/websocket?"
                        + query
                        + " HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\n"
                        + "connection: upgrade\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "sec-websocket-version: 13\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        String status =
            new String(
                s.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(status).as(query).isEqualTo("HTTP/1.1 403");
      }
    }
  }
}
