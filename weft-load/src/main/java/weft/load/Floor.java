package weft.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The C epoll floor ({@code floor.c}, shipped as a resource): compiled with gcc into a temporary
 * directory on first use, then run for the same N as the measurement it stands beside.
 */
final class Floor {

  private static Path binary;
  private static boolean tried;

  private Floor() {}

  /** Whether the floor program could be compiled (gcc is on the PATH). */
  static synchronized boolean available() {
    if (!tried) {
      tried = true;
      try (InputStream src = Floor.class.getResourceAsStream("floor.c")) {
        Path dir = Files.createTempDirectory("weft-floor");
        Path c = dir.resolve("floor.c");
        Files.write(c, src.readAllBytes());
        Path bin = dir.resolve("floor");
        Process p =
            new ProcessBuilder("gcc", "-O2", "-o", bin.toString(), c.toString())
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          binary = bin;
        }
      } catch (IOException | RuntimeException e) {
        binary = null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return binary != null;
  }

  /**
   * The median over {@code rounds} of the time to write one 40-byte frame to {@code n} loopback
   * sockets and read them all on the other side.
   *
   * @return microseconds, or -1 if it failed
   */
  static long medianMicros(int n, int rounds) throws IOException, InterruptedException {
    if (!available()) {
      return -1;
    }
    Process p =
        new ProcessBuilder(binary.toString(), Integer.toString(n), Integer.toString(rounds))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    // floor.c ends itself within 120 s (alarm), so reading to its end is bounded.
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      System.err.println("the C floor failed for N=" + n + ": " + out.strip());
      p.destroyForcibly();
      return -1;
    }
    for (String line : out.split("\n")) {
      if (line.startsWith("median ")) {
        return Long.parseLong(line.substring(7).strip());
      }
    }
    return -1;
  }
}
