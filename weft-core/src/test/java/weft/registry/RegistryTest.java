package weft.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.process.Down;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.testing.InProcess;
import weft.testing.Seeds;

class RegistryTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final Node node = Node.start("registry");

  @AfterEach
  void stop() {
    node.close();
  }

  /** Spawns a process that registers under a key, reports, and waits for "stop". */
  private static Pid registered(Registry registry, Object key, Object value) {
    Pid me = Process.self();
    Pid p =
        Process.spawn(() -> {
          registry.register(key, value);
          Process.send(me, "registered");
          Process.receive(String.class);
        });
    assertThat(Process.receive(String.class, WAIT)).contains("registered");
    return p;
  }

  @Test
  void uniqueKeysNameOneProcessAndVanishWithIt() {
    Registry registry = Registry.unique();
    InProcess.run(
        node,
        () -> {
          Pid p = registered(registry, "room:1", "meta");
          assertThat(registry.lookup("room:1")).containsExactly(new Registry.Entry(p, "meta"));
          assertThat(registry.keys(p)).containsExactly("room:1");
          assertThatThrownBy(() -> registry.register("room:1", null))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("already registered");
          var ref = Process.monitor(p);
          Process.send(p, "stop");
          Process.receive(Down.class, d -> d.ref() == ref, WAIT).orElseThrow();
          assertThat(registry.lookup("room:1")).isEmpty();
          assertThat(registry.count()).isZero();
          registry.register("room:1", "mine");
          assertThat(registry.whereis("room:1")).contains(Process.self());
          registry.unregister("room:1");
          assertThat(registry.whereis("room:1")).isEmpty();
        });
  }

  @Test
  void duplicateKeysActAsLocalPubSub() {
    Registry topics = Registry.duplicate();
    InProcess.run(
        node,
        () -> {
          Pid a = registered(topics, "news", 1);
          Pid b = registered(topics, "news", 2);
          topics.register("news", 3);
          List<Object> values = new ArrayList<>();
          topics.dispatch("news", (pid, value) -> values.add(value));
          assertThat(values).containsExactlyInAnyOrder(1, 2, 3);
          assertThat(topics.lookup("news"))
              .extracting(Registry.Entry::pid)
              .containsExactlyInAnyOrder(a, b, Process.self());
          assertThatThrownBy(() -> topics.via("news")).isInstanceOf(IllegalStateException.class);
        });
  }

  /** A model of the registry: pid to key to the values it registered, in order. */
  private static final class Model {
    final Map<Pid, Map<Object, List<Object>>> entries = new HashMap<>();

    List<String> lookup(Object key) {
      List<String> out = new ArrayList<>();
      entries.forEach(
          (pid, keys) -> keys.getOrDefault(key, List.of()).forEach(v -> out.add(pid + "=" + v)));
      return out;
    }

    Object holder(Object key) {
      for (var e : entries.entrySet()) {
        if (e.getValue().containsKey(key)) {
          return e.getKey();
        }
      }
      return null;
    }
  }

  @Test
  void registrationsMatchAModelUnderRandomRegisterPutUnregisterAndExit() {
    Seeds.forEach(
        0x5EEDL,
        40,
        rnd ->
            InProcess.run(
                node,
                () -> {
                  boolean unique = rnd.nextBoolean();
                  int partitions = 1 + rnd.nextInt(4);
                  Registry registry =
                      unique ? Registry.unique(partitions) : Registry.duplicate(partitions);
                  Model model = new Model();
                  List<Pid> pids = new ArrayList<>();
                  for (int i = 0; i < 4; i++) {
                    pids.add(Process.spawn(() -> Process.receive(String.class)));
                  }
                  List<Object> keys = List.of("a", "b", "c", 7, 8);
                  for (int step = 0; step < 60; step++) {
                    int which = rnd.nextInt(pids.size());
                    Pid pid = pids.get(which);
                    Object key = keys.get(rnd.nextInt(keys.size()));
                    int value = rnd.nextInt(100);
                    int op = rnd.nextInt(10);
                    if (op < 4) {
                      Object holder = model.holder(key);
                      boolean refused = unique && holder != null;
                      if (refused) {
                        assertThatThrownBy(() -> registry.register(pid, key, value))
                            .isInstanceOf(IllegalArgumentException.class);
                      } else {
                        registry.register(pid, key, value);
                        model
                            .entries
                            .computeIfAbsent(pid, k -> new HashMap<>())
                            .computeIfAbsent(key, k -> new ArrayList<>())
                            .add(value);
                      }
                    } else if (op < 6) {
                      Object holder = model.holder(key);
                      if (unique && holder != null && !holder.equals(pid)) {
                        assertThatThrownBy(() -> registry.put(pid, key, value))
                            .isInstanceOf(IllegalArgumentException.class);
                      } else {
                        registry.put(pid, key, value);
                        model
                            .entries
                            .computeIfAbsent(pid, k -> new HashMap<>())
                            .put(key, new ArrayList<>(List.of(value)));
                      }
                    } else if (op < 9) {
                      registry.unregister(pid, key);
                      var mine = model.entries.get(pid);
                      if (mine != null) {
                        mine.remove(key);
                      }
                    } else {
                      Process.monitor(pid);
                      Process.exit(pid, ExitReason.KILL);
                      assertThat(Process.receive(Down.class, WAIT)).isPresent();
                      model.entries.remove(pid);
                      pids.set(which, Process.spawn(() -> Process.receive(String.class)));
                    }
                    for (Object k : keys) {
                      List<String> got =
                          registry.lookup(k).stream().map(e -> e.pid() + "=" + e.value()).toList();
                      assertThat(got)
                          .as("step %d, key %s", step, k)
                          .containsExactlyInAnyOrderElementsOf(model.lookup(k));
                      assertThat(registry.count(k)).isEqualTo(model.lookup(k).size());
                    }
                    for (Pid p : pids) {
                      assertThat(registry.keys(p))
                          .as("keys of %s", p)
                          .containsExactlyInAnyOrderElementsOf(
                              model.entries.getOrDefault(p, Map.of()).entrySet().stream()
                                  .filter(e -> !e.getValue().isEmpty())
                                  .map(Map.Entry::getKey)
                                  .toList());
                    }
                    int total =
                        model.entries.values().stream()
                            .flatMap(m -> m.values().stream())
                            .mapToInt(List::size)
                            .sum();
                    assertThat(registry.count()).isEqualTo(total);
                  }
                  pids.forEach(p -> Process.exit(p, ExitReason.KILL));
                }));
  }
}
