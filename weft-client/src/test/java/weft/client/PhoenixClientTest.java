package weft.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import weft.process.Node;
import weft.web.channel.Channel;
import weft.web.channel.ChannelContext;
import weft.web.channel.ConnectResult;
import weft.web.channel.Frame;
import weft.web.channel.InResult;
import weft.web.channel.JoinResult;
import weft.web.channel.Socket;
import weft.web.http.HttpConfig;
import weft.web.http.HttpServer;
import weft.web.http.Router;
import weft.web.pubsub.PubSub;

/** The client against a Weft server on loopback. */
class PhoenixClientTest {

  /** What the tests push: ping answers, fail refuses, shout broadcasts, crash crashes. */
  static final class Room implements Channel {
    @Override
    public JoinResult join(String topic, JsonNode params, ChannelContext ctx) {
      return JoinResult.ok(Map.of("user", ctx.assigns().get("user")));
    }

    @Override
    public InResult handleIn(String event, Frame.Payload payload, ChannelContext ctx) {
      JsonNode json = payload instanceof Frame.JsonPayload(JsonNode j) ? j : null;
      return switch (event) {
        case "ping" -> InResult.reply(Map.of("pong", json.get("n").asInt()));
        case "fail" -> InResult.replyError(Map.of("reason", "asked to fail"));
        case "shout" -> {
          ctx.broadcast(
              "shout",
              Map.of("text", json.get("text").asString(), "from", ctx.assigns().get("user")));
          yield InResult.reply(Map.of());
        }
        case "crash" -> throw new IllegalStateException("crash on purpose");
        default -> InResult.replyError(Map.of("reason", "unknown event " + event));
      };
    }
  }

  private static final ClientOptions FAST =
      ClientOptions.defaults()
          .withTimings(Duration.ofMillis(200), Duration.ofMillis(20), Duration.ofMillis(20));
  private final Node node = Node.start("client");
  private final PubSub pubsub = PubSub.start("client");
  private HttpServer server;

  private HttpServer start(int port) {
    Socket socket =
        Socket.builder(
                pubsub, (params, info) -> ConnectResult.ok(Map.of("user", params.get("user"))))
            .channel("room:*", Room::new)
            .build();
    return HttpServer.start(
        node, HttpConfig.port(port), Router.builder().socket("/socket", socket).build());
  }

  @BeforeEach
  void up() {
    server = start(0);
  }

  @AfterEach
  void down() {
    server.stop(Duration.ofSeconds(5));
    node.close();
  }

  private PhoenixClient client(String user) {
    return PhoenixClient.connect(
        URI.create("ws://127.0.0.1:" + server.port() + "/socket"), Map.of("user", user), FAST);
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void manyPushesAtOnceAreAllSent() throws Exception {
    // java.net.http's WebSocket refuses a send while the previous one is pending; the client
    // queues them, so none is lost (each would otherwise time out).
    try (PhoenixClient ada =
        PhoenixClient.connect(
            URI.create("ws://127.0.0.1:" + server.port() + "/socket"),
            Map.of("user", "ada"),
            ClientOptions.defaults())) {
      ClientChannel a = ada.channel("room:burst", Map.of());
      assertThat(get(a.join()).ok()).isTrue();
      var replies = new java.util.ArrayList<CompletableFuture<Reply>>();
      for (int i = 0; i < 200; i++) {
        replies.add(a.push("ping", Map.of("n", i, "pad", "x".repeat(20_000))));
      }
      for (int i = 0; i < 200; i++) {
        Reply r = get(replies.get(i));
        assertThat(r.ok()).as("push " + i + ": " + r).isTrue();
        assertThat(r.response().path("pong").asInt()).isEqualTo(i);
      }
    }
  }

  @Test
  void joinsPushesAndReceivesBroadcasts() throws Exception {
    try (PhoenixClient ada = client("ada");
        PhoenixClient bob = client("bob")) {
      ClientChannel a = ada.channel("room:1", Map.of("color", "red"));
      ClientChannel b = bob.channel("room:1", Map.of());
      CompletableFuture<JsonNode> shout = new CompletableFuture<>();
      b.on("shout", shout::complete);
      Reply joined = get(a.join());
      assertThat(joined.ok()).isTrue();
      assertThat(joined.response().path("user").asString()).isEqualTo("ada");
      assertThat(get(b.join()).ok()).isTrue();
      assertThat(get(a.push("ping", Map.of("n", 3))).response().path("pong").asInt()).isEqualTo(3);
      assertThat(get(a.push("fail", Map.of())).status()).isEqualTo("error");
      get(a.push("shout", Map.of("text", "hi")));
      assertThat(get(shout).path("from").asString()).isEqualTo("ada");
      assertThat(get(a.leave()).ok()).isTrue();
    }
  }

  @Test
  void crashedChannelRejoinsByItself() throws Exception {
    try (PhoenixClient ada = client("ada")) {
      ClientChannel c = ada.channel("room:crash", Map.of());
      get(c.join());
      c.push("crash", Map.of());
      get(c.joined(2));
      assertThat(get(c.push("ping", Map.of("n", 1))).ok()).isTrue();
    }
  }

  @Test
  void reconnectsAndRejoinsAfterTheServerRestarts() throws Exception {
    try (PhoenixClient ada = client("ada")) {
      ClientChannel c = ada.channel("room:restart", Map.of());
      get(c.join());
      int port = server.port();
      server.stop(Duration.ofSeconds(5));
      server = start(port);
      get(ada.opened(2));
      get(c.joined(2));
      assertThat(get(c.push("ping", Map.of("n", 9))).response().path("pong").asInt()).isEqualTo(9);
    }
  }
}
