package weft.web.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.process.Node;
import weft.web.channel.RateLimits.Rate;
import weft.web.http.HttpConfig;
import weft.web.http.HttpServer;
import weft.web.http.Router;
import weft.web.pubsub.PubSub;

/**
 * Rate limits over a real WebSocket: refusals are replies that name the limit, other clients and
 * users keep their own budgets, heartbeats pass, and a client that keeps pushing is closed with
 * 4429. The buckets refill over an hour, so nothing here depends on how fast the test runs.
 */
class SocketRateLimitTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration HOUR = Duration.ofHours(1);
  private final Node node = Node.start("rate");
  private final PubSub pubsub = PubSub.start("rate");
  private HttpServer server;

  private void start(RateLimits limits) {
    SocketHandler auth =
        (params, info) ->
            ConnectResult.ok(
                Map.of("user", params.getOrDefault("user", "x")),
                "user:" + params.getOrDefault("user", "x"));
    Socket socket =
        Socket.builder(pubsub, auth)
            .channel("room:*", () -> new RoomChannel(null))
            .rateLimits(limits)
            .build();
    server =
        HttpServer.start(
            node, HttpConfig.port(0), Router.builder().socket("/socket", socket).build());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(5));
    }
    node.close();
  }

  private WsClient client(String user) throws Exception {
    return new WsClient(
        "ws://127.0.0.1:" + server.port() + "/socket/websocket?vsn=2.0.0&user=" + user, true);
  }

  private static String ping(WsClient c, int ref) throws InterruptedException {
    c.send("[\"1\",\"" + ref + "\",\"room:a\",\"ping\",{\"n\":" + ref + "}]");
    return c.next();
  }

  private static void join(WsClient c) throws InterruptedException {
    c.send("[\"1\",\"1\",\"room:a\",\"phx_join\",{}]");
    assertThat(c.next()).contains("\"ok\"");
  }

  @Test
  void aSocketPastItsEventLimitIsRefusedThenClosedWith4429() throws Exception {
    start(RateLimits.none().perSocket("ping", Rate.of(3, HOUR)).closeAfter(Rate.of(2, HOUR)));
    try (WsClient c = client("ann");
        WsClient other = client("bob")) {
      join(c);
      join(other);
      for (int i = 2; i <= 4; i++) {
        assertThat(ping(c, i)).contains("\"pong\":" + i);
      }
      String refused = ping(c, 5);
      assertThat(refused)
          .startsWith("[null,\"5\",\"room:a\",\"phx_reply\"")
          .contains("\"status\":\"error\"")
          .contains("\"reason\":\"rate limited\"")
          .contains("\"retry_after_ms\":");
      c.send("[null,\"6\",\"phoenix\",\"heartbeat\",{}]");
      assertThat(c.next()).as("heartbeats are not limited").contains("\"ok\"");
      assertThat(ping(c, 7)).contains("rate limited");
      assertThat(ping(other, 2)).as("another socket has its own budget").contains("\"pong\":2");
      c.send("[\"1\",\"8\",\"room:a\",\"ping\",{\"n\":8}]");
      assertThat(c.closeCode(WAIT)).isEqualTo(RateLimits.CLOSE_CODE);
      assertThat(ping(other, 3)).contains("\"pong\":3");
    }
  }

  @Test
  void aUsersBudgetIsSharedByTheirConnectionsAndJoinsCount() throws Exception {
    start(RateLimits.none().perUser("ping", Rate.of(3, HOUR)).perSocket(Rate.of(4, HOUR)));
    try (WsClient a1 = client("cat");
        WsClient a2 = client("cat");
        WsClient b = client("dan")) {
      join(a1);
      join(a2);
      join(b);
      assertThat(ping(a1, 2)).contains("\"pong\":2");
      assertThat(ping(a2, 2)).contains("\"pong\":2");
      assertThat(ping(a1, 3)).contains("\"pong\":3");
      assertThat(ping(a2, 3)).as("the user's third push spent").contains("rate limited");
      assertThat(ping(b, 2)).as("another user").contains("\"pong\":2");
      // The socket limit covers every event, joins included: b has spent 2 of 4.
      for (int i = 3; i <= 4; i++) {
        assertThat(ping(b, i)).contains("\"pong\":" + i);
      }
      b.send("[\"9\",\"9\",\"room:b\",\"phx_join\",{}]");
      assertThat(b.next())
          .startsWith("[\"9\",\"9\",\"room:b\",\"phx_reply\"")
          .contains("rate limited");
    }
  }
}
