package weft.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One load process ({@link Worker}) as the coordinator sees it: started, read, told, ended. */
final class LoadProcess {

  /**
   * One worker's receipt times of a broadcast.
   *
   * @param joined how many of its sockets were joined
   * @param times each receiving socket's receipt time (System.nanoTime)
   */
  record Receipts(int joined, long[] times) {}

  private final Process process;
  private final PrintStream in;
  private volatile Progress progress = Progress.NONE;
  private final Map<String, CompletableFuture<Void>> armed = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Receipts>> receipts = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  private LoadProcess(Process process) {
    this.process = process;
    this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread.ofPlatform().daemon().start(this::read);
  }

  static LoadProcess start(
      URI url,
      String sessionUrl,
      String topic,
      String prefix,
      int first,
      int count,
      double rate,
      String source)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    // 9,500 sockets may each be reading a presence_state of a megabyte or more at once.
    cmd.add("-Xmx4g");
    cmd.add("-XX:MaxDirectMemorySize=4g");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("--enable-native-access=io.netty.common");
    String modules = System.getProperty("jdk.module.path");
    if (modules != null && !modules.isEmpty()) {
      cmd.addAll(List.of("--module-path", modules, "--module", "weft.load/weft.load.Worker"));
    } else {
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Worker.class.getName()));
    }
    cmd.addAll(
        List.of(
            "--url",
            url.toString(),
            "--session-url",
            sessionUrl,
            "--topic",
            topic,
            "--prefix",
            prefix,
            "--first",
            Integer.toString(first),
            "--count",
            Integer.toString(count),
            "--rate",
            Double.toString(rate),
            "--source",
            source));
    Path log = Files.createTempFile("weft-load-" + source + "-", ".log");
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new LoadProcess(p);
  }

  private void read() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("P ")) {
          progress = Progress.parse(line);
        } else if (line.startsWith("A ")) {
          armed.computeIfAbsent(line.substring(2), k -> new CompletableFuture<>()).complete(null);
        } else if (line.startsWith("R ")) {
          String[] f = line.split(" ");
          long[] times = new long[f.length - 3];
          for (int i = 3; i < f.length; i++) {
            times[i - 3] = Long.parseLong(f[i]);
          }
          receipts
              .computeIfAbsent(f[1], k -> new CompletableFuture<>())
              .complete(new Receipts(Integer.parseInt(f[2]), times));
        } else if (line.equals("C")) {
          closed.complete(null);
        }
      }
    } catch (IOException e) {
      // the process ended
    } finally {
      closed.complete(null);
    }
  }

  Progress progress() {
    return progress;
  }

  /** Arms a broadcast marker and waits until the worker watches for it. */
  void arm(String marker) throws Exception {
    in.println("B " + marker);
    armed.computeIfAbsent(marker, k -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS);
  }

  Receipts receipts(String marker, Duration timeout) throws Exception {
    return receipts
        .computeIfAbsent(marker, k -> new CompletableFuture<>())
        .get(timeout.toSeconds(), TimeUnit.SECONDS);
  }

  /** The worker's CPU time so far (user + system), or 0 when unknown. */
  double cpuSeconds() {
    return Math.max(0, ServerProbe.cpuSeconds(process.pid()));
  }

  /** Closes its sockets and waits for it to end (killing it after 60 s). */
  void quit() throws InterruptedException {
    in.println("Q");
    try {
      closed.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      // fall through to the kill
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
