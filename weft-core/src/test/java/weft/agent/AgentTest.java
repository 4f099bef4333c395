package weft.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.genserver.StartOptions;
import weft.process.Node;

class AgentTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final Node node = Node.start("agent");

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void agentHoldsStateAcrossCalls() {
    Agent<List<String>> names = Agent.start(node, List::of, StartOptions.named("names"));
    names.update(l -> Stream.concat(l.stream(), Stream.of("alice")).toList());
    names.cast(l -> Stream.concat(l.stream(), Stream.of("bob")).toList());
    int size = names.get(List::size, WAIT);
    assertThat(size).isEqualTo(2);
    String first =
        names.getAndUpdate(l -> new Agent.Change<>(l.getFirst(), l.subList(1, l.size())), WAIT);
    assertThat(first).isEqualTo("alice");
    Agent<List<String>> same = Agent.of(node.named("names"));
    List<String> rest = same.get(l -> l);
    assertThat(rest).containsExactly("bob");
    names.stop(WAIT);
    assertThat(node.whereis("names")).isEmpty();
  }
}
