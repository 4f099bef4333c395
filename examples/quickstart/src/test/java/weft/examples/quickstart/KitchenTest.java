package weft.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import weft.process.Node;

class KitchenTest {

  @Test
  void cookIsRestartedAfterACrashAndServesAgain() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Node node = Node.start("kitchen-test");
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      Kitchen.run(node, out);
    }
    String story = bytes.toString(StandardCharsets.UTF_8);
    assertThat(story)
        .contains("customer got Pancake[number=1, done=true]")
        .contains("customer got Pancake[number=2, done=true]")
        .contains("went down: error: java.lang.IllegalStateException: the pan caught fire")
        .contains("customer is full");
    // The restarted cook starts counting again.
    assertThat(story.indexOf("customer got Pancake[number=1, done=true]"))
        .isNotEqualTo(story.lastIndexOf("customer got Pancake[number=1, done=true]"));
  }
}
