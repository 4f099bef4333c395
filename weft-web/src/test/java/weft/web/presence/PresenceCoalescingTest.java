package weft.web.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.testing.InProcess;
import weft.testing.ManualClock;
import weft.web.channel.Broadcast;
import weft.web.pubsub.PubSub;

/**
 * Presence diffs coalesced per topic, on a manual clock: windows end only when the test moves the
 * clock, so what goes out in which frame is decided by the test. Every call to the tracker answers
 * after the diffs it caused were sent, which is how the test knows a frame did or did not go out.
 */
class PresenceCoalescingTest {

  private static final String TOPIC = "room:storm";
  private static final Duration FIRST = Duration.ofMillis(50);
  private static final Duration MAX = Duration.ofMillis(200);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:00Z"));
  private final Node node = Node.start("coalescing", clock);
  private final PubSub pubsub = PubSub.start("coalescing");
  private final Presence presence =
      Presence.start(node, pubsub, PresenceOptions.defaults().withDiffWindow(FIRST, MAX));

  @AfterEach
  void stop() {
    node.close();
  }

  private static Pid idle() {
    return Process.spawn(() -> Process.receive(String.class));
  }

  /** Answers once the tracker has handled everything sent to it before (timers included). */
  private void sync() {
    presence.untrack(Process.self(), "nowhere", "nobody");
  }

  private void advance(Duration d) {
    clock.advance(d);
    sync();
  }

  /** The presence_diff frames in this process's mailbox now, oldest first. */
  private static List<JsonNode> diffs() {
    List<JsonNode> out = new ArrayList<>();
    Optional<Broadcast> b;
    while ((b =
            Process.receive(Broadcast.class, x -> x.event().equals("presence_diff"), Duration.ZERO))
        .isPresent()) {
      out.add(b.get().payload());
    }
    return out;
  }

  private static Set<String> keys(JsonNode n) {
    Set<String> out = new HashSet<>();
    n.propertyNames().forEach(out::add);
    return out;
  }

  @Test
  void aQuietTopicSendsAtOnceAndAStormOneFramePerWindowThatGrowsToTheMax() {
    InProcess.run(
        node,
        () -> {
          pubsub.subscribe(TOPIC);
          presence.track(idle(), TOPIC, "u0", Map.of());
          List<JsonNode> first = diffs();
          assertThat(first).as("the first change of a quiet topic goes out at once").hasSize(1);
          assertThat(keys(first.getFirst().get("joins"))).containsExactly("u0");

          for (int i = 1; i <= 300; i++) {
            presence.track(idle(), TOPIC, "u" + i, Map.of());
          }
          assertThat(diffs()).as("held until the window ends").isEmpty();
          advance(FIRST);
          List<JsonNode> batch = diffs();
          assertThat(batch).hasSize(1);
          assertThat(keys(batch.getFirst().get("joins"))).hasSize(300).doesNotContain("u0");

          // The window doubled: 100 ms now. Half of it sends nothing.
          presence.track(idle(), TOPIC, "late", Map.of());
          advance(FIRST);
          assertThat(diffs()).isEmpty();
          advance(FIRST);
          assertThat(diffs()).hasSize(1);
          // 200 ms (the max) and it stays there.
          for (int round = 0; round < 3; round++) {
            presence.track(idle(), TOPIC, "r" + round, Map.of());
            advance(MAX.minus(Duration.ofMillis(1)));
            assertThat(diffs()).as("round %d before the max window ends", round).isEmpty();
            advance(Duration.ofMillis(1));
            assertThat(diffs()).as("round %d at the end of the max window", round).hasSize(1);
          }
          // A window without changes: quiet again, and the next change goes out at once.
          advance(MAX);
          assertThat(diffs()).isEmpty();
          presence.track(idle(), TOPIC, "after", Map.of());
          assertThat(diffs()).hasSize(1);
          // Readers never waited for any window.
          assertThat(presence.list(TOPIC).size()).isEqualTo(301 + 1 + 3 + 1);
        });
  }

  @Test
  void topicsHaveTheirOwnWindowsAndZeroTurnsCoalescingOff() {
    InProcess.run(
        node,
        () -> {
          pubsub.subscribe("room:a");
          pubsub.subscribe("room:b");
          presence.track(idle(), "room:a", "x", Map.of());
          presence.track(idle(), "room:a", "y", Map.of());
          presence.track(idle(), "room:b", "z", Map.of());
          List<JsonNode> now = diffs();
          assertThat(now).as("room:b was quiet though room:a is busy").hasSize(2);
          assertThat(keys(now.get(1).get("joins"))).containsExactly("z");
        });
    PubSub other = PubSub.start("eager");
    Presence eager =
        Presence.start(
            node, other, PresenceOptions.defaults().withDiffWindow(Duration.ZERO, Duration.ZERO));
    InProcess.run(
        node,
        () -> {
          other.subscribe("room:c");
          int timers = clock.pendingTimers();
          for (int i = 0; i < 5; i++) {
            eager.track(idle(), "room:c", "k" + i, Map.of());
          }
          assertThat(diffs()).as("one frame per change").hasSize(5);
          assertThat(clock.pendingTimers()).as("no window timers").isEqualTo(timers);
        });
  }

  @Test
  void everyClientConvergesOnTheServerStateWhateverMomentItJoinedAt() {
    long seed = Long.getLong("weft.seed", System.nanoTime());
    for (int run = 0; run < 20; run++) {
      long s = seed + run;
      try {
        InProcess.run(node, () -> storm(new Random(s), "room:prop" + s));
      } catch (AssertionError e) {
        throw new AssertionError("seed " + s + " (rerun with -Dweft.seed=" + s + ")", e);
      }
    }
  }

  private record Join(Pid from) {}

  private record Get(Pid from) {}

  private record State(Map<String, Set<String>> refs) {}

  /** A client as a channel process is: subscribes, takes presence_state, then applies diffs. */
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Pid client(String topic, boolean lateSnapshot) {
    return Process.spawn(() -> {
      ObjectNode[] state = {null};
      while (true) {
        Object m = Process.receive(Object.class);
        switch (m) {
          case Join(Pid from) -> {
            pubsub.subscribe(topic);
            // Half the clients take the live state, half the one pushState sends.
            state[0] =
                lateSnapshot
                    ? (ObjectNode) JSON.readTree(JSON.writeValueAsString(presence.joinState(topic)))
                    : presence.list(topic).deepCopy();
            Process.send(from, "joined");
          }
          case Broadcast b when b.event().equals("presence_diff") && state[0] != null ->
              JsPresence.syncDiff(state[0], b.payload());
          case Get(Pid from) -> Process.send(from, new State(refs(state[0])));
          default -> {}
        }
      }
    });
  }

  private void storm(Random rnd, String topic) {
    record Tracked(Pid pid, String key) {}
    List<Tracked> tracked = new ArrayList<>();
    List<Pid> clients = new ArrayList<>();
    int ops = 50 + rnd.nextInt(150);
    for (int op = 0; op < ops; op++) {
      int pick = rnd.nextInt(10);
      if (pick < 4 || tracked.isEmpty()) {
        String key = "k" + rnd.nextInt(12);
        Pid pid = idle();
        presence.track(pid, topic, key, Map.of("n", op));
        tracked.add(new Tracked(pid, key));
      } else if (pick < 6) {
        Tracked t = tracked.remove(rnd.nextInt(tracked.size()));
        presence.untrack(t.pid(), topic, t.key());
      } else if (pick < 7) {
        Tracked t = tracked.get(rnd.nextInt(tracked.size()));
        presence.update(t.pid(), topic, t.key(), Map.of("n", op, "updated", true));
      } else if (pick < 8) {
        Pid c = client(topic, rnd.nextBoolean());
        Process.send(c, new Join(Process.self()));
        Process.receive(String.class, "joined"::equals, Duration.ofDays(1)).orElseThrow();
        clients.add(c);
      } else {
        clock.advance(Duration.ofMillis(rnd.nextInt(120)));
      }
    }
    // Every window ends: the one open, then one without changes.
    advance(MAX);
    advance(MAX);
    Map<String, Set<String>> server = refs(presence.list(topic));
    for (Iterator<Pid> it = clients.iterator(); it.hasNext(); ) {
      Pid c = it.next();
      Process.send(c, new Get(Process.self()));
      State got = Process.receive(State.class, Duration.ofDays(1)).orElseThrow();
      assertThat(got.refs()).as("a client's presences").isEqualTo(server);
    }
  }

  /** Key to the refs of its metas. */
  private static Map<String, Set<String>> refs(JsonNode state) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (var e : state.properties()) {
      Set<String> refs = new HashSet<>();
      for (JsonNode m : e.getValue().get("metas")) {
        refs.add(m.get("phx_ref").asString() + (m.has("updated") ? "+" : ""));
      }
      out.put(e.getKey(), refs);
    }
    return out;
  }

  /** The official JS client's {@code Presence.syncDiff}, step for step (phoenix 1.8). */
  static final class JsPresence {

    static void syncDiff(ObjectNode state, JsonNode diff) {
      for (var join : diff.get("joins").properties()) {
        String key = join.getKey();
        JsonNode current = state.get(key);
        ObjectNode next = (ObjectNode) join.getValue().deepCopy();
        state.set(key, next);
        if (current != null) {
          Set<String> joined = new HashSet<>();
          next.get("metas").forEach(m -> joined.add(m.get("phx_ref").asString()));
          ArrayNode metas = (ArrayNode) next.get("metas");
          List<JsonNode> kept = new ArrayList<>();
          current
              .get("metas")
              .forEach(m -> {
                if (!joined.contains(m.get("phx_ref").asString())) {
                  kept.add(m);
                }
              });
          for (int i = kept.size() - 1; i >= 0; i--) {
            metas.insert(0, kept.get(i));
          }
        }
      }
      for (var leave : diff.get("leaves").properties()) {
        JsonNode current = state.get(leave.getKey());
        if (current == null) {
          continue;
        }
        Set<String> gone = new HashSet<>();
        leave.getValue().get("metas").forEach(m -> gone.add(m.get("phx_ref").asString()));
        ArrayNode metas = (ArrayNode) current.get("metas");
        for (int i = metas.size() - 1; i >= 0; i--) {
          if (gone.contains(metas.get(i).get("phx_ref").asString())) {
            metas.remove(i);
          }
        }
        if (metas.isEmpty()) {
          state.remove(leave.getKey());
        }
      }
    }

    private JsPresence() {}
  }
}
