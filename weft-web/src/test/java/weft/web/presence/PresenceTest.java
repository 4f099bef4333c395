package weft.web.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import weft.process.Down;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.testing.InProcess;
import weft.web.channel.Broadcast;
import weft.web.pubsub.InMemoryBus;
import weft.web.pubsub.PubSub;

class PresenceTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final PresenceOptions FAST =
      new PresenceOptions(Duration.ofMillis(20), Duration.ofMillis(300));
  private final Node node = Node.start("presence");

  @AfterEach
  void stop() {
    node.close();
  }

  /** The next presence_diff broadcast on a topic this process subscribed to. */
  private static JsonNode nextDiff() {
    Broadcast b =
        Process.receive(Broadcast.class, x -> x.event().equals("presence_diff"), WAIT)
            .orElseThrow(() -> new AssertionError("no presence_diff"));
    return b.payload();
  }

  private static Pid idle() {
    return Process.spawn(() -> Process.receive(String.class));
  }

  @Test
  void trackUpdateUntrackAndExitProduceDiffsInPhoenixShapes() {
    PubSub pubsub = PubSub.start("n1");
    Presence presence = Presence.start(node, pubsub, PresenceOptions.defaults());
    InProcess.run(
        node,
        () -> {
          pubsub.subscribe("room:1");
          Pid alice = idle();
          String ref = presence.track(alice, "room:1", "alice", Map.of("status", "here"));
          JsonNode join = nextDiff();
          assertThat(join.at("/joins/alice/metas/0/status").asString()).isEqualTo("here");
          assertThat(join.at("/joins/alice/metas/0/phx_ref").asString()).isEqualTo(ref);
          assertThat(presence.list("room:1").at("/alice/metas/0/phx_ref").asString())
              .isEqualTo(ref);

          assertThatThrownBy(() -> presence.track(alice, "room:1", "alice", Map.of()))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("already tracked");

          String ref2 = presence.update(alice, "room:1", "alice", Map.of("status", "away"));
          JsonNode update = nextDiff();
          assertThat(update.at("/joins/alice/metas/0/phx_ref_prev").asString()).isEqualTo(ref);
          assertThat(update.at("/leaves/alice/metas/0/phx_ref").asString()).isEqualTo(ref);
          assertThat(update.at("/joins/alice/metas/0/phx_ref").asString()).isEqualTo(ref2);

          Pid bob = idle();
          presence.track(bob, "room:1", "bob", Map.of());
          nextDiff();
          presence.untrack(bob, "room:1", "bob");
          assertThat(nextDiff().at("/leaves/bob/metas/0").isObject()).isTrue();

          var ref3 = Process.monitor(alice);
          Process.send(alice, "bye");
          Process.receive(Down.class, d -> d.ref() == ref3, WAIT).orElseThrow();
          assertThat(nextDiff().at("/leaves/alice/metas/0/phx_ref").asString()).isEqualTo(ref2);
          assertThat(presence.list("room:1").isEmpty()).isTrue();
        });
  }

  @Test
  void twoNodesSharePresenceAndANodeThatGoesAwayLeaves() {
    InMemoryBus bus = new InMemoryBus();
    PubSub one = PubSub.start("one", bus.adapter());
    PubSub two = PubSub.start("two", bus.adapter());
    Presence p1 = Presence.start(node, one, FAST);
    Presence p2 = Presence.start(node, two, FAST);
    InProcess.run(
        node,
        () -> {
          two.subscribe("room:x");
          Pid alice = idle();
          p1.track(alice, "room:x", "alice", Map.of("node", "one"));
          JsonNode seenOnTwo = nextDiff();
          assertThat(seenOnTwo.at("/joins/alice/metas/0/node").asString()).isEqualTo("one");
          assertThat(p2.list("room:x").has("alice")).isTrue();

          Pid bob = idle();
          p2.track(bob, "room:x", "bob", Map.of("node", "two"));
          assertThat(nextDiff().at("/joins/bob").isObject()).isTrue();

          // Node one goes away: it stops publishing, and node two times it out.
          p1.stop();
          one.stop();
          JsonNode gone = nextDiff();
          assertThat(gone.at("/leaves/alice/metas/0/node").asString()).isEqualTo("one");
          assertThat(p2.list("room:x").has("alice")).isFalse();
          assertThat(p2.list("room:x").has("bob")).isTrue();
        });
  }

  @Test
  void aSupervisedTrackerRestartsWithItsPresencesAndStillSeesTrackedProcessesEnd() {
    PubSub pubsub = PubSub.start("sup");
    Presence presence = Presence.create(pubsub, PresenceOptions.defaults());
    Pid sup =
        weft.supervisor.Supervisor.start(
            node,
            weft.supervisor.SupervisorOptions.of(weft.supervisor.Strategy.ONE_FOR_ONE),
            java.util.List.of(presence.childSpec()));
    InProcess.run(
        node,
        () -> {
          pubsub.subscribe("room:1");
          Pid alice = idle();
          Pid bob = idle();
          presence.track(alice, "room:1", "alice", Map.of());
          nextDiff();
          presence.track(bob, "room:1", "bob", Map.of());
          nextDiff();
          Pid first = presence.tracker();
          Process.monitor(first);
          Process.exit(first, weft.process.ExitReason.KILL);
          Process.receive(Down.class, d -> d.pid().equals(first), WAIT).orElseThrow();
          // The supervisor took the exit before this call, so it answers after the restart.
          weft.supervisor.Supervisor.whichChildren(sup);
          Pid carol = idle();
          presence.track(carol, "room:1", "carol", Map.of());
          assertThat(presence.tracker()).isNotEqualTo(first);
          JsonNode carolJoins = nextDiff();
          assertThat(carolJoins.at("/joins").propertyNames()).containsExactly("carol");
          assertThat(presence.list("room:1").propertyNames())
              .containsExactlyInAnyOrder("alice", "bob", "carol");
          // Processes tracked before the restart are still watched by the new tracker.
          Process.exit(bob, weft.process.ExitReason.KILL);
          JsonNode leave = nextDiff();
          assertThat(leave.at("/leaves").propertyNames()).containsExactly("bob");
          assertThat(presence.list("room:1").propertyNames())
              .containsExactlyInAnyOrder("alice", "carol");
        });
    assertThat(node.isAlive(sup)).isTrue();
  }
}
