package weft.web.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import weft.testing.Seeds;

/**
 * The presence CRDT: merge is commutative, associative and idempotent; replicas converge; diffs are
 * exact.
 */
class PresenceStatePropertyTest {

  private static final List<String> TOPICS = List.of("room:a", "room:b");

  /** A random write history of several replicas: every version each replica went through. */
  static List<PresenceState.Replica> history(Random r) {
    List<PresenceState.Replica> out = new ArrayList<>();
    int replicas = 1 + r.nextInt(3);
    int refs = 0;
    for (int i = 0; i < replicas; i++) {
      String id = "node" + i + "#" + r.nextInt(1000);
      Map<String, PresenceState.Entry> entries = new HashMap<>();
      int versions = 1 + r.nextInt(6);
      for (int v = 1; v <= versions; v++) {
        int ops = 1 + r.nextInt(3);
        for (int k = 0; k < ops; k++) {
          if (!entries.isEmpty() && r.nextInt(3) == 0) {
            List<String> keys = new ArrayList<>(entries.keySet());
            Collections.sort(keys);
            entries.remove(keys.get(r.nextInt(keys.size())));
          } else {
            ObjectNode meta = JsonNodeFactory.instance.objectNode().put("n", r.nextInt(5));
            String ref = id + "-" + refs++;
            entries.put(
                ref,
                new PresenceState.Entry(
                    TOPICS.get(r.nextInt(2)), "user" + r.nextInt(4), ref, null, meta));
          }
        }
        out.add(new PresenceState.Replica(id, v, entries));
      }
    }
    return out;
  }

  static PresenceState apply(PresenceState s, List<PresenceState.Replica> deliveries) {
    for (PresenceState.Replica rep : deliveries) {
      s = s.merge(rep).state();
    }
    return s;
  }

  @Test
  void replicasConvergeWhateverTheDeliveryOrder() {
    Seeds.forEach(
        0xC4D7,
        300,
        r -> {
          List<PresenceState.Replica> all = history(r);
          List<PresenceState.Replica> shuffled = new ArrayList<>(all);
          Collections.shuffle(shuffled, r);
          List<PresenceState.Replica> duplicated = new ArrayList<>(all);
          duplicated.addAll(all.subList(0, r.nextInt(all.size() + 1)));
          Collections.shuffle(duplicated, r);
          PresenceState a = apply(PresenceState.EMPTY, all);
          assertThat(apply(PresenceState.EMPTY, shuffled)).isEqualTo(a);
          assertThat(apply(PresenceState.EMPTY, duplicated)).isEqualTo(a);
        });
  }

  @Test
  void stateMergeIsCommutativeAssociativeAndIdempotent() {
    Seeds.forEach(
        0xA55,
        300,
        r -> {
          List<PresenceState.Replica> all = history(r);
          PresenceState x = apply(PresenceState.EMPTY, pick(r, all));
          PresenceState y = apply(PresenceState.EMPTY, pick(r, all));
          PresenceState z = apply(PresenceState.EMPTY, pick(r, all));
          assertThat(x.merge(y)).isEqualTo(y.merge(x));
          assertThat(x.merge(y).merge(z)).isEqualTo(x.merge(y.merge(z)));
          assertThat(x.merge(x)).isEqualTo(x);
        });
  }

  private static List<PresenceState.Replica> pick(Random r, List<PresenceState.Replica> all) {
    List<PresenceState.Replica> out = new ArrayList<>();
    for (PresenceState.Replica rep : all) {
      if (r.nextBoolean()) {
        out.add(rep);
      }
    }
    return out;
  }

  @Test
  void diffsReplayedByAClientGiveTheListedPresences() {
    Seeds.forEach(
        0xD1FF,
        300,
        r -> {
          List<PresenceState.Replica> deliveries = new ArrayList<>(history(r));
          Collections.shuffle(deliveries, r);
          PresenceState s = PresenceState.EMPTY;
          Map<String, Map<String, PresenceState.Entry>> client = new HashMap<>();
          for (PresenceState.Replica rep : deliveries) {
            PresenceState.Change c = r.nextInt(8) == 0 ? s.remove(rep.replica()) : s.merge(rep);
            s = c.state();
            c.diff()
                .joins()
                .forEach((t, es) ->
                    es.forEach(
                        e -> client.computeIfAbsent(t, k -> new TreeMap<>()).put(e.ref(), e)));
            c.diff()
                .leaves()
                .forEach((t, es) ->
                    es.forEach(
                        e -> client.computeIfAbsent(t, k -> new TreeMap<>()).remove(e.ref())));
          }
          for (String topic : TOPICS) {
            List<PresenceState.Entry> seen =
                new ArrayList<>(client.getOrDefault(topic, Map.of()).values());
            assertThat(seen).containsExactlyInAnyOrderElementsOf(s.list(topic));
          }
        });
  }

  @Test
  void payloadsHavePhoenixShapes() {
    ObjectNode meta = JsonNodeFactory.instance.objectNode().put("online_at", "1");
    PresenceState.Change c =
        PresenceState.EMPTY.write(
            "n1", Map.of("r1", new PresenceState.Entry("room:a", "alice", "r1", null, meta)));
    assertThat(c.state().payload("room:a").toString())
        .isEqualTo("{\"alice\":{\"metas\":[{\"online_at\":\"1\",\"phx_ref\":\"r1\"}]}}");
    assertThat(c.diff().payload("room:a").toString())
        .isEqualTo(
            "{\"joins\":{\"alice\":{\"metas\":[{\"online_at\":\"1\",\"phx_ref\":\"r1\"}]}},\"leaves\":{}}");
  }
}
