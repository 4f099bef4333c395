package weft.web.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.process.Node;
import weft.web.http.HttpConfig;
import weft.web.http.HttpServer;
import weft.web.http.Router;
import weft.web.pubsub.PubSub;

/**
 * Broadcasts written at the same moment from several threads to one connection all leave without
 * any later traffic to push them out: each round waits for every frame before the next begins, so a
 * frame left unflushed would stall the round (the client's wait fails after 10 s).
 */
class BroadcastFlushTest {

  private static final int ROUNDS = 400;
  private static final int WRITERS = 3;
  private final Node node = Node.start("flush");
  private final PubSub pubsub = PubSub.start("flush");
  private HttpServer server;

  @AfterEach
  void stop() {
    server.stop(Duration.ofSeconds(5));
    node.close();
  }

  @Test
  void concurrentBroadcastsToOneConnectionAreAllFlushed() throws Exception {
    Socket socket =
        Socket.builder(pubsub, (params, info) -> ConnectResult.ok(Map.of()))
            .channel("room:*", () -> new RoomChannel(null))
            .build();
    server =
        HttpServer.start(
            node, HttpConfig.port(0), Router.builder().socket("/socket", socket).build());
    try (WsClient c =
        new WsClient("ws://127.0.0.1:" + server.port() + "/socket/websocket?vsn=2.0.0", true)) {
      c.send("[\"1\",\"1\",\"room:x\",\"phx_join\",{}]");
      assertThat(c.next()).contains("\"ok\"");
      CyclicBarrier start = new CyclicBarrier(WRITERS);
      for (int round = 0; round < ROUNDS; round++) {
        int r = round;
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          int n = w;
          writers.add(
              Thread.ofPlatform()
                  .start(() -> {
                    try {
                      start.await();
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                    Socket.broadcast(pubsub, "room:x", "tick", Map.of("round", r, "writer", n));
                  }));
        }
        for (Thread t : writers) {
          t.join();
        }
        for (int w = 0; w < WRITERS; w++) {
          String frame = c.next();
          assertThat(frame).as("round " + r).contains("\"round\":" + r);
        }
      }
    }
  }
}
