package weft.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.process.Down;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.testing.InProcess;

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
          assertThat(values).containsExactly(1, 2, 3);
          assertThat(topics.lookup("news"))
              .extracting(Registry.Entry::pid)
              .containsExactly(a, b, Process.self());
          assertThatThrownBy(() -> topics.via("news")).isInstanceOf(IllegalStateException.class);
        });
  }
}
