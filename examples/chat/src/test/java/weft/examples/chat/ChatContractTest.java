package weft.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        onPath("node") && onPath("npm"),
        "Node.js and npm are not installed: skipping the chat contract suite");
    Files.createDirectories(JS);
    for (String f : List.of("package.json", "package-lock.json", "chat.js")) {
      Files.copy(
          Path.of("src", "test", "js", f), JS.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(JS.resolve("node_modules/phoenix"))) {
      String out = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(3));
      assertThat(out).as(out).doesNotContain("npm error");
    }
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private static String run(List<String> command, Duration limit)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(JS.toFile()).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader =
        Thread.ofVirtual()
            .start(() -> {
              try {
                p.getInputStream().transferTo(out);
              } catch (IOException e) {
                // ended
              }
            });
    if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
    }
    reader.join();
    return out.toString(StandardCharsets.UTF_8)
        + "\nexit "
        + (p.isAlive() ? "killed" : p.exitValue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "longpoll"})
  void chatContractHoldsWithThePhoenixClient(String transport) throws Exception {
    try (ChatApp app = ChatApp.start(new ChatApp.Config(0, data, Duration.ofDays(30)))) {
      String out =
          run(
              List.of("node", "chat.js", "http://127.0.0.1:" + app.port(), transport),
              Duration.ofMinutes(2));
      System.out.println(out);
      assertThat(out).as(out).contains(" passed, 0 failed").endsWith("exit 0");
    }
  }
}
