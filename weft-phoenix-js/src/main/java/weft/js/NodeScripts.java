package weft.js;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Node.js scripts for the tests that drive Weft with the official {@code phoenix} npm client:
 * installs the scripts' packages with {@code npm ci} into a directory once, then runs scripts there
 * with a time limit. Used by the tests of weft-web and the chat, and by anyone who wants to check a
 * server against the official client.
 */
public final class NodeScripts {

  /**
   * What a command printed and how it ended.
   *
   * @param exit its exit code, or -1 when it was killed at the time limit
   * @param output stdout and stderr together
   */
  public record Result(int exit, String output) {}

  private NodeScripts() {}

  /**
   * Whether Node.js and npm are on the PATH.
   *
   * @return true when both are
   */
  public static boolean available() {
    return onPath("node") && onPath("npm");
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Copies the files (package.json, package-lock.json and scripts) from {@code source} to {@code
   * dir} and runs {@code npm ci} there unless its packages are installed already.
   *
   * @param source where the files are
   * @param dir where to install
   * @param files the files to copy
   * @throws IOException if copying fails
   * @throws InterruptedException if interrupted
   * @throws AssertionError if npm ci fails
   */
  public static void install(Path source, Path dir, List<String> files)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    for (String f : files) {
      Files.copy(source.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(dir.resolve("node_modules/phoenix"))) {
      Result r = run(dir, List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(3));
      if (r.exit() != 0) {
        throw new AssertionError("npm ci failed:\n" + r.output());
      }
    }
  }

  /**
   * Runs a command in a directory, killing it at the time limit.
   *
   * @param dir the working directory
   * @param command the command
   * @param limit how long it may run
   * @return its exit and output
   * @throws IOException if it cannot start
   * @throws InterruptedException if interrupted
   */
  public static Result run(Path dir, List<String> command, Duration limit)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader =
        Thread.ofVirtual()
            .start(() -> {
              try {
                p.getInputStream().transferTo(out);
              } catch (IOException e) {
                // the process ended
              }
            });
    if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      reader.join();
      return new Result(
          -1, out.toString(StandardCharsets.UTF_8) + "\n(killed after " + limit + ")");
    }
    reader.join();
    return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
  }
}
