package weft.web.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.process.ProcessInfo;
import weft.web.http.HttpConfig;
import weft.web.http.HttpServer;
import weft.web.http.Router;
import weft.web.pubsub.PubSub;

/**
 * A client that pushes faster than its pushes are handled is held back by TCP: while its channel is
 * stuck, the pushes waiting in the server's mailboxes stay bounded however many it sends, and once
 * the channel moves again every push is answered, none lost.
 */
class InboundBoundTest {

  private static final int PUSHES = 4000;
  private static final String PAD = "p".repeat(8 * 1024);
  private static final CountDownLatch release = new CountDownLatch(1);
  private static volatile Pid channelPid;

  /** Answers pings; the first "block" holds the channel until the test releases it. */
  static final class Stuck implements Channel {
    @Override
    public JoinResult join(String topic, JsonNode params, ChannelContext ctx) {
      channelPid = Process.self();
      return JoinResult.ok(Map.of());
    }

    @Override
    public InResult handleIn(String event, Frame.Payload payload, ChannelContext ctx) {
      if (event.equals("block")) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return InResult.reply(Map.of());
    }
  }

  private final Node node = Node.start("inbound");
  private final PubSub pubsub = PubSub.start("inbound");
  private HttpServer server;

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(Duration.ofSeconds(5));
    node.close();
  }

  @Test
  void pushesWaitingInTheServerStayBoundedWhileTheChannelIsStuck() throws Exception {
    Socket socket =
        Socket.builder(pubsub, (params, info) -> ConnectResult.ok(Map.of()))
            .channel("room:*", Stuck::new)
            .build();
    server =
        HttpServer.start(
            node, HttpConfig.port(0), Router.builder().socket("/socket", socket).build());
    try (WsClient c =
        new WsClient("ws://127.0.0.1:" + server.port() + "/socket/websocket?vsn=2.0.0", true)) {
      c.send("[\"1\",\"1\",\"room:a\",\"phx_join\",{}]");
      assertThat(c.next()).contains("\"ok\"");
      c.send("[\"1\",\"2\",\"room:a\",\"block\",{}]");
      AtomicInteger sent = new AtomicInteger();
      Thread sender =
          Thread.ofPlatform()
              .start(() -> {
                for (int i = 0; i < PUSHES; i++) {
                  c.send("[\"1\",\"p" + i + "\",\"room:a\",\"ping\",{\"pad\":\"" + PAD + "\"}]");
                  sent.incrementAndGet();
                }
              });
      // 32 MB of pushes: more than the kernel's buffers hold, so the sender must stall once the
      // server stops reading. Until it has, the server's queue must never pass the bound.
      int most = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int lastSent = -1;
      int stillFor = 0;
      while (stillFor < 200 && System.nanoTime() < deadline) {
        most = Math.max(most, Process.info(channelPid).map(ProcessInfo::mailboxLength).orElse(0));
        int now = sent.get();
        stillFor = now == lastSent ? stillFor + 1 : 0;
        lastSent = now;
        Thread.sleep(5);
      }
      assertThat(sent.get()).as("the sender is held back").isLessThan(PUSHES);
      assertThat(most).as("pushes waiting in the channel").isBetween(1, 200);
      release.countDown();
      sender.join(Duration.ofSeconds(60));
      assertThat(c.next()).contains("\"2\",\"room:a\",\"phx_reply\"");
      for (int i = 0; i < PUSHES; i++) {
        assertThat(c.next()).contains("\"p" + i + "\"");
      }
    }
  }
}
