package weft.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the BEAM side of the core benchmark: the Erlang programs shipped with this module ({@code
 * src/main/resources/erlang}), compiled with {@code erlc} into a temporary directory and run with
 * {@code erl}, one scenario per run, with 2 schedulers online as the machine has cores. Absent when
 * {@code erl} is not on the {@code PATH} (Debian: {@code apt-get install erlang-base}).
 */
final class Beam {

  private static final List<String> MODULES =
      List.of("weft_bench.erl", "weft_bench_echo.erl", "weft_bench_sup.erl");

  private final Path dir;

  private Beam(Path dir) {
    this.dir = dir;
  }

  /**
   * Compiles the programs if {@code erl} and {@code erlc} are on the PATH.
   *
   * @return the runner, or empty (with a line on standard error saying why)
   */
  static Optional<Beam> find() {
    try {
      Path dir = Files.createTempDirectory("weft-beam");
      List<String> command = new ArrayList<>(List.of("erlc", "-o", dir.toString()));
      for (String m : MODULES) {
        try (InputStream in = Beam.class.getResourceAsStream("/erlang/" + m)) {
          if (in == null) {
            throw new IOException("missing resource erlang/" + m);
          }
          Path file = dir.resolve(m);
          Files.copy(in, file);
          command.add(file.toString());
        }
      }
      Process erlc = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(erlc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!erlc.waitFor(2, TimeUnit.MINUTES) || erlc.exitValue() != 0) {
        System.err.println("BEAM column skipped: erlc failed: " + out);
        return Optional.empty();
      }
      return Optional.of(new Beam(dir));
    } catch (IOException e) {
      System.err.println(
          "BEAM column skipped: erl/erlc not found on the PATH (" + e.getMessage() + ")");
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Runs one scenario.
   *
   * @param scenario the Erlang function's name
   * @param args its integer arguments
   * @return the {@code key=value} pairs it printed
   * @throws IOException if it fails or prints no result
   */
  Map<String, Double> run(String scenario, long... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "erl",
                "-noshell",
                "+P",
                "4000000",
                "-pa",
                dir.toString(),
                "-s",
                "weft_bench",
                "main",
                scenario));
    for (long a : args) {
      command.add(Long.toString(a));
    }
    Process erl = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(erl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!erl.waitFor(10, TimeUnit.MINUTES)) {
      erl.destroyForcibly();
      throw new IOException("erl " + scenario + " did not finish");
    }
    for (String line : out.split("\n")) {
      if (line.startsWith("result ")) {
        Map<String, Double> values = new HashMap<>();
        for (String pair : line.substring(7).trim().split(" ")) {
          int eq = pair.indexOf('=');
          values.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
        }
        return values;
      }
    }
    throw new IOException("erl " + scenario + " printed no result: " + out);
  }
}
