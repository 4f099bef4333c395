package weft.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 1 of the hardening issue as a test: clients pushing 2000-character messages as fast as they
 * can, without reading their replies, do not stop the server. {@code /health} answers all along
 * (the latencies are printed; the test does not time them), each flooder is closed with 4429 once
 * it has been refused long enough, and only what the limits allowed is stored.
 */
class ChatFloodTest {

  private static final int FLOODERS = 3;
  private static final int PUSHES = 2000;

  @TempDir Path data;

  @Test
  void floodingClientsAreHeldBackAndHealthAnswersThroughout() throws Exception {
    flood(ChatApp.RATE_LIMITS);
  }

  /**
   * The flood of the issue itself, with no rate limits: every push is a SQLite write. The writes
   * run on the store's own threads and each connection stops being read while 64 of its pushes
   * wait, so the server stays responsive and its queues bounded while it stores all of them.
   */
  @Test
  void withoutLimitsEveryPushIsStoredAndHealthStillAnswers() throws Exception {
    flood(weft.web.channel.RateLimits.none());
  }

  private long stored() throws Exception {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("chat.db"));
        var rs = c.createStatement().executeQuery("select count(*) from messages")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The stored messages, once there are at least {@code atLeast} (bounded wait). */
  private long awaitStored(long atLeast) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      long n;
      try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("chat.db"));
          var rs = c.createStatement().executeQuery("select count(*) from messages")) {
        rs.next();
        n = rs.getLong(1);
      }
      if (n >= atLeast || System.nanoTime() > deadline) {
        return n;
      }
      Thread.sleep(20);
    }
  }

  private void flood(weft.web.channel.RateLimits limits) throws Exception {
    boolean limited = !limits.isEmpty();
    var closings =
        new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    var socketLog =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger("weft.web.channel.internal.SocketProcess");
    closings.start();
    socketLog.addAppender(closings);
    try (ChatApp app = ChatApp.start(0, data, "flood", limits);
        HttpClient http = HttpClient.newHttpClient()) {
      String base = "http://127.0.0.1:" + app.port();
      // Warm: the first request pays for the client's connection and the server's JIT.
      http.send(
          HttpRequest.newBuilder(URI.create(base + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      List<CompletableFuture<Integer>> closes = new ArrayList<>();
      List<Thread> senders = new ArrayList<>();
      AtomicInteger sent = new AtomicInteger();
      String body = "x".repeat(RoomChannel.MAX_BODY);
      for (int f = 0; f < FLOODERS; f++) {
        String token = ChatClients.token(app.port(), "f" + f);
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        closes.add(closed);
        WebSocket ws =
            http.newWebSocketBuilder()
                .buildAsync(
                    URI.create(
                        "ws://127.0.0.1:"
                            + app.port()
                            + "/socket/websocket?vsn=2.0.0&token="
                            + token),
                    new WebSocket.Listener() {
                      @Override
                      public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                        closed.complete(code);
                        return null;
                      }

                      @Override
                      public void onError(WebSocket w, Throwable error) {
                        closed.complete(-1);
                      }
                    })
                .get(10, TimeUnit.SECONDS);
        ws.request(Long.MAX_VALUE);
        senders.add(
            Thread.ofPlatform()
                .start(() -> {
                  ws.sendText("[\"1\",\"1\",\"room:flood\",\"phx_join\",{}]", true).join();
                  for (int i = 0; i < PUSHES && !closed.isDone(); i++) {
                    try {
                      ws.sendText(
                              "[\"1\",\""
                                  + i
                                  + "\",\"room:flood\",\"new_msg\",{\"body\":\""
                                  + body
                                  + "\"}]",
                              true)
                          .get(10, TimeUnit.SECONDS);
                      sent.incrementAndGet();
                    } catch (Exception closedMeanwhile) {
                      return;
                    }
                  }
                }));
      }
      List<Long> latencies = new ArrayList<>();
      long target = limited ? 0 : (long) FLOODERS * PUSHES;
      while (latencies.size() < 100_000) {
        if (limited
            ? closes.stream().allMatch(CompletableFuture::isDone)
            : latencies.size() % 20 == 0 && stored() >= target) {
          break;
        }
        long t0 = System.nanoTime();
        HttpResponse<String> health =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/health"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        latencies.add(System.nanoTime() - t0);
      }
      for (Thread t : senders) {
        t.join(Duration.ofSeconds(30));
      }
      if (limited) {
        for (CompletableFuture<Integer> c : closes) {
          // 4429, or, when the client was still sending as the server closed after its close
          // frame, what the JDK client reports for the reset instead of the code: an error (-1)
          // or 1006 (closed abnormally). The log below shows each was closed for flooding.
          assertThat(c.get(30, TimeUnit.SECONDS))
              .isIn(weft.web.channel.RateLimits.CLOSE_CODE, -1, 1006);
        }
        assertThat(closings.list.stream().map(e -> e.getFormattedMessage()))
            .filteredOn(m -> m.contains("pushed too fast for too long"))
            .hasSize(FLOODERS);
      }
      List<Long> sorted = latencies.stream().sorted().toList();
      System.out.printf(
          "flood (%s): %d pushes sent by %d clients; /health answered %d times meanwhile:"
              + " median %.1f ms, p99 %.1f ms, slowest %.1f ms%n",
          limited ? "rate limits" : "no limits",
          sent.get(),
          FLOODERS,
          sorted.size(),
          sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2) / 1e6,
          sorted.isEmpty() ? 0 : sorted.get(sorted.size() * 99 / 100) / 1e6,
          sorted.isEmpty() ? 0 : sorted.getLast() / 1e6);
      long stored = awaitStored(limited ? 0 : FLOODERS * PUSHES);
      if (limited) {
        // A burst of 10 per user, then 5 a second: a few seconds of flooding store a few dozen.
        assertThat(stored).isLessThan(FLOODERS * 100L);
      } else {
        assertThat(stored).isEqualTo((long) FLOODERS * PUSHES);
      }
    } finally {
      socketLog.detachAppender(closings);
    }
  }
}
