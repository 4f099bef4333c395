package weft.test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.web.channel.Broadcast;
import weft.web.pubsub.MessageCodec;
import weft.web.pubsub.PubSub;
import weft.web.pubsub.spi.Envelope;
import weft.web.pubsub.spi.PubSubAdapter;

/**
 * What every {@link PubSubAdapter} must do, as a JUnit 5 test class to extend: one subclass per
 * implementation ({@code class RedisAdapterTest extends PubSubAdapterContract}) gives {@link
 * #newNode} a fresh adapter joined to the same cluster as the others it made in the test. Weft runs
 * it against {@code InMemoryBus}; an adapter over Redis or NATS runs the same tests.
 *
 * <p>Delivery may be asynchronous: each check waits up to {@link #timeout()} for what must arrive,
 * and {@link #quiet()} for what must not.
 */
public abstract class PubSubAdapterContract {

  private static final String SETTLE = "contract:settle";
  private final List<PubSubAdapter> started = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();

  /** For subclasses. */
  protected PubSubAdapterContract() {}

  /**
   * A new, not yet started adapter for one more node of the test's cluster: every adapter made
   * during one test must reach the others (same engine, same channel prefix); adapters of different
   * tests must not (a fresh prefix per test, for example).
   *
   * @return the adapter
   */
  protected abstract PubSubAdapter newNode();

  /** How long a check waits for what must arrive (default 10 s). */
  protected Duration timeout() {
    return Duration.ofSeconds(10);
  }

  /**
   * How long a check watches for what must not arrive (default 200 ms): after something that must
   * arrive has arrived, so that asynchronous adapters have had their chance.
   */
  protected Duration quiet() {
    return Duration.ofMillis(200);
  }

  @AfterEach
  void stopAll() {
    started.forEach(PubSubAdapter::stop);
  }

  /** A started node and what it received. */
  private final class Member {
    final String id = "node-" + ids.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
    final PubSubAdapter adapter = newNode();
    final LinkedBlockingQueue<Envelope> received = new LinkedBlockingQueue<>();

    Member() {
      adapter.start(id, received::add);
      started.add(adapter);
    }

    Envelope publish(String topic, String type, byte[] body) {
      Envelope e = new Envelope(id, topic, type, body);
      adapter.publish(e);
      return e;
    }

    /** The next envelope, skipping late copies of the joining rounds (see settle). */
    Envelope next(Duration wait) {
      long deadline = System.nanoTime() + wait.toNanos();
      try {
        while (true) {
          Envelope e = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
          if (e == null || !e.topic().equals(SETTLE)) {
            return e;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }

    Envelope nextSettle(Duration wait) {
      try {
        return received.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }

    Envelope expect(String what) {
      Envelope e = next(timeout());
      assertNotNull(e, id + " received no envelope within " + timeout() + ": expected " + what);
      return e;
    }

    void expectNothing() {
      Envelope e = next(quiet());
      assertNull(e, id + " received what it should not: " + e);
    }
  }

  /**
   * Nodes are joined once each has started; a test that needs every node to receive from the first
   * message on waits for this, since engines such as Redis pub/sub subscribe asynchronously.
   */
  private void settle(Member from, List<Member> to) {
    for (int round = 0; ; round++) {
      from.publish(SETTLE, "settle", new byte[] {(byte) round});
      boolean all = true;
      for (Member m : to) {
        all &= m.nextSettle(Duration.ofMillis(100)) != null;
      }
      if (all) {
        return;
      }
      if (round * 100L > timeout().toMillis()) {
        throw new AssertionError("the nodes did not join within " + timeout());
      }
    }
  }

  @Test
  void anEnvelopeReachesEveryOtherNodeOnceAndNotItsPublisher() {
    Member a = new Member();
    Member b = new Member();
    Member c = new Member();
    settle(a, List.of(b, c));
    settle(b, List.of(a, c));
    Envelope sent = a.publish("room:lobby", "test.message", new byte[] {1, 2, 3});
    assertEquals(sent, b.expect(sent.toString()));
    assertEquals(sent, c.expect(sent.toString()));
    b.expectNothing();
    c.expectNothing();
    a.expectNothing();
  }

  @Test
  void oneNodesEnvelopesOnOneTopicArriveInOrder() {
    Member a = new Member();
    Member b = new Member();
    settle(a, List.of(b));
    int n = 500;
    for (int i = 0; i < n; i++) {
      a.publish("room:order", "test.seq", Integer.toString(i).getBytes());
    }
    for (int i = 0; i < n; i++) {
      Envelope e = b.expect("message " + i);
      assertEquals(Integer.toString(i), new String(e.body()), "order of " + a.id + "'s envelopes");
    }
  }

  @Test
  void bodiesArriveByteForByteWhateverTheyHold() {
    Member a = new Member();
    Member b = new Member();
    settle(a, List.of(b));
    byte[] every = new byte[256];
    for (int i = 0; i < every.length; i++) {
      every[i] = (byte) i;
    }
    byte[] large = new byte[1 << 20];
    new java.util.Random(11).nextBytes(large);
    for (byte[] body : List.of(new byte[0], every, large)) {
      a.publish("topic:with spaces/and:ünïcode", "test.bytes", body);
      Envelope e = b.expect(body.length + " bytes");
      assertEquals("topic:with spaces/and:ünïcode", e.topic());
      assertEquals(a.id, e.origin());
      assertArrayEquals(body, e.body(), "a body of " + body.length + " bytes changed on the way");
    }
  }

  @Test
  void aStoppedNodeReceivesNothingMoreAndTheOthersGoOn() {
    Member a = new Member();
    Member b = new Member();
    Member c = new Member();
    settle(a, List.of(b, c));
    b.adapter.stop();
    b.adapter.stop(); // idempotent
    a.publish("room:lobby", "test.message", new byte[] {9});
    c.expect("the envelope after b stopped");
    b.expectNothing();
  }

  /** A broadcast's record on one node. */
  public record Said(String who, String text) {}

  @Test
  void aPubSubBroadcastReachesTheSubscribersOfAnotherNodeThroughTheAdapter() throws Exception {
    PubSubAdapter first = newNode();
    PubSubAdapter second = newNode();
    started.add(first);
    started.add(second);
    PubSub one = PubSub.start("contract-one-" + System.nanoTime(), first);
    PubSub two = PubSub.start("contract-two-" + System.nanoTime(), second);
    for (PubSub p : List.of(one, two)) {
      p.register(Broadcast.CODEC);
      p.register(MessageCodec.json("contract.said", Said.class));
    }
    try (Node node = Node.start("contract-" + System.nanoTime())) {
      LinkedBlockingQueue<Object> got = new LinkedBlockingQueue<>();
      Pid subscriber =
          node.spawn(() -> {
            two.subscribe("room:lobby");
            got.add("subscribed");
            while (true) {
              got.add(Process.receive());
            }
          });
      assertEquals("subscribed", got.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
      // Until the nodes are joined, broadcasts may be lost: repeat the first one until one lands.
      Object crossed = null;
      for (int i = 0; crossed == null && i * 100L < timeout().toMillis(); i++) {
        one.broadcast("room:lobby", new Said("ada", "hello " + i));
        crossed = got.poll(100, TimeUnit.MILLISECONDS);
      }
      assertNotNull(crossed, "no broadcast crossed from one node to the other");
      got.clear();
      one.broadcast("room:lobby", new Broadcast("room:lobby", "new_msg", Map.of("body", "hi")));
      Object b = got.poll(timeout().toMillis(), TimeUnit.MILLISECONDS);
      while (b instanceof Said) { // a late copy of the joining broadcasts
        b = got.poll(timeout().toMillis(), TimeUnit.MILLISECONDS);
      }
      Broadcast received = (Broadcast) b;
      assertNotNull(received, "the channel broadcast did not cross");
      assertEquals("new_msg", received.event());
      JsonNode payload = received.payload();
      assertEquals("hi", payload.get("body").asString());
      node.exit(subscriber, weft.process.ExitReason.KILL);
    } finally {
      one.stop();
      two.stop();
    }
  }
}
