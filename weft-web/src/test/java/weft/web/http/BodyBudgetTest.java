package weft.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import weft.process.Node;

/**
 * Unfinished request bodies cannot exhaust the server: the bytes held over all connections are
 * bounded, a body past the bound is refused with 503, requests without a body are served all along,
 * and what a connection held comes back when its request is answered or it goes.
 */
class BodyBudgetTest {

  private static final int MIB = 1 << 20;
  private final Node node = Node.start("bodies");
  private HttpServer server;

  @BeforeEach
  void start() {
    Router router =
        Router.builder()
            .get("/health", req -> Response.text("ok"))
            .post("/upload", req -> Response.text(Integer.toString(req.body().length)))
            .build();
    server =
        HttpServer.start(
            node,
            HttpConfig.port(0).withMaxBodyBytes(MIB).withMaxBufferedBodyBytes(3L * MIB),
            router);
  }

  @AfterEach
  void stop() {
    server.stop(Duration.ofSeconds(5));
    node.close();
  }

  private void awaitHeld(String what, LongPredicate ok) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!ok.test(server.bufferedBodyBytes())) {
      assertThat(System.nanoTime())
          .as(what + ": held " + server.bufferedBodyBytes())
          .isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static String upload(int length) {
    return "POST /upload HTTP/1.1\r\nhost: x\r\ncontent-length: " + length + "\r\n\r\n";
  }

  @Test
  void bodiesPastTheServerWideBoundAre503AndTheRestIsServed() throws Exception {
    List<RawHttp> holders = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        RawHttp h = new RawHttp(server.port());
        h.send(upload(MIB) + "x".repeat(MIB / 2)); // half a body, never finished (yet)
        holders.add(h);
      }
      awaitHeld("three bodies announced", n -> n == 3L * MIB);

      try (RawHttp late = new RawHttp(server.port())) {
        late.send(upload(1000) + "y".repeat(1000));
        RawHttp.Reply r = late.read();
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).contains("too many request bodies");
        assertThat(late.closedByServer()).isTrue();
      }
      try (RawHttp health = new RawHttp(server.port())) {
        long t0 = System.nanoTime();
        health.send("GET /health HTTP/1.1\r\nhost: x\r\n\r\n");
        assertThat(health.read().body()).isEqualTo("ok");
        System.out.printf(
            "/health answered in %.1f ms with the body budget spent%n",
            (System.nanoTime() - t0) / 1e6);
      }

      RawHttp first = holders.getFirst();
      first.send("x".repeat(MIB / 2));
      assertThat(first.read().body()).isEqualTo(Integer.toString(MIB));
      awaitHeld("the answered body given back", n -> n == 2L * MIB);
      for (RawHttp h : holders) {
        h.close();
      }
      holders.clear();
      awaitHeld("the closed connections' bodies given back", n -> n == 0);

      try (RawHttp again = new RawHttp(server.port())) {
        again.send(upload(MIB) + "z".repeat(MIB));
        assertThat(again.read().body()).isEqualTo(Integer.toString(MIB));
      }
      awaitHeld("nothing held after", n -> n == 0);
    } finally {
      for (RawHttp h : holders) {
        h.close();
      }
    }
  }

  @Test
  void chunkedBodiesAreCountedAsTheyArriveAndAnOversizedOneIsStill413() throws Exception {
    try (RawHttp chunked = new RawHttp(server.port())) {
      chunked.send(
          "POST /upload HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n"
              + Integer.toHexString(1000)
              + "\r\n"
              + "c".repeat(1000)
              + "\r\n");
      awaitHeld("the first chunk", n -> n == 1000);
      chunked.send("0\r\n\r\n");
      assertThat(chunked.read().body()).isEqualTo("1000");
    }
    awaitHeld("given back", n -> n == 0);
    try (RawHttp big = new RawHttp(server.port())) {
      big.send(upload(50 * MIB));
      assertThat(big.read().status()).isEqualTo(413);
    }
    assertThat(server.bufferedBodyBytes()).isZero();
  }
}
