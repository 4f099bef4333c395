package weft.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import weft.js.NodeScripts;

/**
 * The chat's contract (the list), driven by the official {@code phoenix} npm client over
 * WebSocket and long-poll. Skipped, with a message, without Node.js and npm.
 */
class ChatContractTest {

  private static final Path JS = Path.of("target", "js");

  @TempDir Path data;

  @BeforeAll
  static void installClient() throws Exception {
    assumeTrue(
        NodeScripts.available(),
        "Node.js and npm are not installed: skipping the chat contract suite");
    NodeScripts.install(
        Path.of("src", "test", "js"), JS, List.of("package.json", "package-lock.json", "chat.js"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "longpoll"})
  void chatContractHoldsWithThePhoenixClient(String transport) throws Exception {
    try (ChatApp app = ChatApp.start(0, data, "test-password")) {
      NodeScripts.Result r =
          NodeScripts.run(
              JS,
              List.of("node", "chat.js", "http://127.0.0.1:" + app.port(), transport),
              Duration.ofMinutes(2));
      System.out.println(r.output());
      assertThat(r.output()).as(r.output()).contains(" passed, 0 failed");
      assertThat(r.exit()).as(r.output()).isZero();
    }
  }
}
