package weft.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import weft.bench.baseline.BareScenarios;
import weft.process.Node;
import weft.scheduler.Scheduler;

/**
 * Benchmarks of the process runtime, each measured three ways in the same run: Weft, the same
 * program on bare virtual threads with the JDK's queues (the JDK's scheduler), and, when {@code
 * erl} is on the PATH, the same program on the BEAM ({@code resources/erlang/weft_bench.erl}).
 * Prints a table, the targets with what was measured, and writes {@code core.csv}, {@code
 * core.json} and {@code core.png} into the directory given as the first argument.
 *
 * <p>Throughput figures are the median of {@value #ROUNDS} rounds after a warm-up round; the
 * million-process spawn is the median of three; fairness and kill latency are one long run each.
 * Instrumentation cost is measured in child JVMs, with and without yield points, A B A B.
 */
public final class CoreBench {

  private static final int ROUNDS = 5;
  private static final int IDLE = 1_000_000;
  private static final int SPAWNS = 200_000;
  private static final int ROUND_TRIPS = 500_000;
  private static final int RING = 10_000;
  private static final int HOPS = 1_000_000;
  private static final int CALLS = 200_000;
  private static final int RESTARTS = 20_000;
  private static final int HOGS = 4;
  private static final Duration FAIRNESS = Duration.ofSeconds(10);
  private static final int KILLS = 200;

  /** Which scenarios run: all, or those named in the system property {@code bench.core}. */
  private static final List<String> ONLY =
      System.getProperty("bench.core", "").isBlank()
          ? List.of()
          : List.of(System.getProperty("bench.core").split(","));

  private CoreBench() {}

  private static boolean wanted(String scenario) {
    return ONLY.isEmpty() || ONLY.contains(scenario);
  }

  /**
   * Runs the benchmarks.
   *
   * @param args the output directory (optional)
   * @throws Exception if a benchmark fails
   */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/results");
    Optional<Beam> beam = Beam.find();
    List<Result> results = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    try (Node node = Node.start("bench")) {
      WeftScenarios weft = new WeftScenarios(node);
      if (wanted("spawn-idle")) {
        System.out.println("core: spawn 1,000,000 waiting processes");
        double[][] w = rounds(3, () -> weft.spawnIdle(IDLE));
        double[][] b = rounds(3, () -> BareScenarios.spawnIdle(IDLE));
        Map<String, Double> e = beamMedian(beam, 3, "spawn_idle", IDLE);
        results.add(
            new Result(
                "spawn 1M waiting: time",
                "seconds",
                false,
                w[0][1],
                b[0][1],
                "virtual threads",
                seconds(e, "micros")));
        results.add(
            new Result(
                "spawn 1M waiting: memory",
                "bytes each",
                false,
                w[1][1],
                b[1][1],
                "virtual threads",
                e.getOrDefault("bytes_each", Double.NaN)));
        targets.add(
            target(
                "an idle process waiting in receive at most 1 KB",
                w[1][1] <= 1024,
                "%.0f bytes",
                w[1][1]));
      }
      if (wanted("spawn-exit")) {
        System.out.println("core: spawn and exit");
        double ws = Measure.median(ROUNDS, () -> weft.spawnExit(SPAWNS));
        double bs = Measure.median(ROUNDS, () -> BareScenarios.spawnExit(SPAWNS));
        Map<String, Double> es = beamMedian(beam, ROUNDS, "spawn_exit", SPAWNS);
        results.add(
            new Result(
                "spawn and exit",
                "processes/s",
                true,
                ws,
                bs,
                "virtual threads",
                rate(es, SPAWNS)));
        targets.add(
            target(
                "spawn and exit at least 0.7x a bare virtual thread",
                ws / bs >= 0.7,
                "%.2fx",
                ws / bs));
      }
      if (wanted("ping-pong")) {
        System.out.println("core: ping-pong");
        double wp = Measure.median(ROUNDS, () -> weft.pingPong(ROUND_TRIPS));
        double bp = Measure.median(ROUNDS, () -> BareScenarios.pingPong(ROUND_TRIPS));
        double ep = rate(beamMedian(beam, ROUNDS, "ping_pong", ROUND_TRIPS), ROUND_TRIPS);
        results.add(
            new Result(
                "ping-pong", "round trips/s", true, wp, bp, "vthreads + transfer queues", ep));
        targets.add(beamTarget("ping-pong at least 1.0x the BEAM", wp / ep, 1.0));
      }
      if (wanted("ring")) {
        System.out.println("core: ring of 10,000 processes, 1,000,000 hops");
        double wr = Measure.median(ROUNDS, () -> weft.ring(RING, HOPS));
        double br = Measure.median(ROUNDS, () -> BareScenarios.ring(RING, HOPS));
        double er = seconds(beamMedian(beam, ROUNDS, "ring", RING, HOPS), "micros");
        results.add(
            new Result(
                "ring 10k, 1M hops", "seconds", false, wr, br, "vthreads + transfer queues", er));
        targets.add(beamTarget("the 10k ring no slower than the BEAM", er / wr, 1.0));
      }
      if (wanted("calls")) {
        System.out.println("core: GenServer.call");
        double wc = Measure.median(ROUNDS, () -> weft.calls(CALLS));
        double bc = Measure.median(ROUNDS, () -> BareScenarios.calls(CALLS));
        double ec = rate(beamMedian(beam, ROUNDS, "calls", CALLS), CALLS);
        results.add(
            new Result("GenServer.call", "calls/s", true, wc, bc, "vthread + queue + future", ec));
      }
      if (wanted("restarts")) {
        System.out.println("core: supervisor restarts");
        double wt = Measure.median(ROUNDS, () -> weft.restarts(RESTARTS));
        double bt = Measure.median(ROUNDS, () -> BareScenarios.restarts(RESTARTS));
        double et = rate(beamMedian(beam, ROUNDS, "restarts", RESTARTS), RESTARTS);
        results.add(
            new Result(
                "supervisor restarts",
                "restarts/s",
                true,
                wt,
                bt,
                "vthread restarting a vthread",
                et));
      }
      if (wanted("fairness")) {
        System.out.println(
            "core: fairness (" + HOGS + " CPU-bound processes for " + FAIRNESS.toSeconds() + " s)");
        List<Long> wf = weft.fairness(HOGS, FAIRNESS);
        List<Long> bf = BareScenarios.fairness(HOGS, FAIRNESS);
        Map<String, Double> ef = beamOnce(beam, "fairness", HOGS, FAIRNESS.toMillis());
        results.add(
            new Result(
                "fairness: round trips",
                "round trips",
                true,
                wf.size(),
                bf.size(),
                "virtual threads",
                ef.getOrDefault("round_trips", Double.NaN)));
        for (String[] p : new String[][] {{"p50", "0.50"}, {"p99", "0.99"}, {"max", "1.0"}}) {
          double pct = Double.parseDouble(p[1]);
          results.add(
              new Result(
                  "fairness: " + p[0] + " latency",
                  "microseconds",
                  false,
                  Measure.percentile(wf, pct),
                  Measure.percentile(bf, pct),
                  "virtual threads",
                  ef.getOrDefault(p[0] + "_micros", Double.NaN)));
        }
        double wp99 = Measure.percentile(wf, 0.99);
        targets.add(
            beamTarget(
                "fairness: at least as many round trips as the BEAM",
                wf.size() / ef.getOrDefault("round_trips", Double.NaN),
                1.0));
        targets.add(target("fairness: p99 at most 1 ms", wp99 <= 1000, "%.0f us", wp99));
      }
      if (wanted("kill")) {
        System.out.println(
            "core: kill a spinning process (" + KILLS + " times, beside " + HOGS + " spinning)");
        List<Long> wk = weft.killLatency(KILLS, HOGS);
        Map<String, Double> ek = beamOnce(beam, "kill_latency", KILLS, HOGS);
        results.add(
            new Result(
                "kill a spinning process: p50",
                "microseconds",
                false,
                Measure.percentile(wk, 0.5),
                Double.NaN,
                "(a spinning vthread cannot be stopped)",
                ek.getOrDefault("p50_micros", Double.NaN)));
        results.add(
            new Result(
                "kill a spinning process: max",
                "microseconds",
                false,
                Measure.percentile(wk, 1.0),
                Double.NaN,
                "(a spinning vthread cannot be stopped)",
                ek.getOrDefault("max_micros", Double.NaN)));
        double wkMax = Measure.percentile(wk, 1.0);
        targets.add(
            target(
                "kill of a spinning process within 10 ms", wkMax <= 10_000, "max %.0f us", wkMax));
      }
    }
    List<Result> kernels = wanted("kernels") ? kernels() : List.of();
    results.addAll(kernels);
    if (!kernels.isEmpty()) {
      double geo =
          Math.exp(kernels.stream().mapToDouble(r -> Math.log(r.relative())).average().orElse(0));
      targets.add(
          target(
              "instrumented CPU-bound code at least 0.9x its uninstrumented speed",
              geo >= 0.9,
              "%.2fx (geometric mean of %d kernels)",
              geo,
              kernels.size()));
    }
    Reports.publish(
        out,
        "core",
        results,
        "scheduler "
            + Scheduler.mode()
            + ", "
            + Scheduler.options().parallelism()
            + " carriers"
            + (beam.isPresent() ? ", BEAM " + beamVersion() : ", no BEAM (erl not found)"));
    System.out.println();
    System.out.println("targets (issue 9):");
    targets.forEach(t -> System.out.println("  " + t));
  }

  // ---------------------------------------------------------------- rounds

  @FunctionalInterface
  private interface Pair {
    double[] run() throws Exception;
  }

  /** Medians of each figure of a scenario that yields several: [figure][0 unused, 1 median]. */
  private static double[][] rounds(int rounds, Pair pair) throws Exception {
    pair.run();
    List<double[]> runs = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      runs.add(pair.run());
    }
    int figures = runs.getFirst().length;
    double[][] out = new double[figures][2];
    for (int f = 0; f < figures; f++) {
      int ff = f;
      double[] v = runs.stream().mapToDouble(r -> r[ff]).sorted().toArray();
      out[f][1] = v[v.length / 2];
    }
    return out;
  }

  // ---------------------------------------------------------------- the BEAM

  private static Map<String, Double> beamMedian(
      Optional<Beam> beam, int rounds, String scenario, long... args) throws Exception {
    if (beam.isEmpty()) {
      return Map.of();
    }
    List<Map<String, Double>> runs = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      runs.add(beam.get().run(scenario, args));
    }
    Map<String, Double> median = new HashMap<>();
    for (String key : runs.getFirst().keySet()) {
      double[] v = runs.stream().mapToDouble(m -> m.get(key)).sorted().toArray();
      median.put(key, v[v.length / 2]);
    }
    return median;
  }

  private static Map<String, Double> beamOnce(Optional<Beam> beam, String scenario, long... args)
      throws Exception {
    return beam.isEmpty() ? Map.of() : beam.get().run(scenario, args);
  }

  private static double seconds(Map<String, Double> m, String key) {
    Double micros = m.get(key);
    return micros == null ? Double.NaN : micros / 1e6;
  }

  private static double rate(Map<String, Double> m, int ops) {
    Double micros = m.get("micros");
    return micros == null ? Double.NaN : ops / (micros / 1e6);
  }

  private static String beamVersion() {
    try {
      Process p =
          new ProcessBuilder(
                  "erl",
                  "-noshell",
                  "-eval",
                  "io:format(\"OTP ~s~n\", [erlang:system_info(otp_release)]), halt().")
              .redirectErrorStream(true)
              .start();
      String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor(1, TimeUnit.MINUTES);
      return v;
    } catch (IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  // ---------------------------------------------------------------- targets

  private static String target(String what, boolean met, String format, Object... args) {
    return (met ? "met     " : "MISSED  ") + what + ": " + String.format(Locale.ROOT, format, args);
  }

  private static String beamTarget(String what, double ratio, double needed) {
    if (Double.isNaN(ratio)) {
      return "n/a     " + what + ": no BEAM in this run";
    }
    return target(what, ratio >= needed, "%.2fx the BEAM", ratio);
  }

  // ---------------------------------------------------------------- instrumentation cost

  /** Times the CPU kernels in child JVMs with and without yield points, A B A B. */
  private static List<Result> kernels() throws Exception {
    Optional<String> agent =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("-javaagent:"))
            .map(a -> a.substring("-javaagent:".length()).split("=", 2)[0])
            .filter(a -> a.contains("weft-agent"))
            .findFirst();
    if (agent.isEmpty()) {
      System.err.println("instrumentation cost skipped: this JVM was not started with weft-agent");
      return List.of();
    }
    System.out.println("core: CPU-bound kernels with and without yield points (child JVMs)");
    String java = ProcessHandle.current().info().command().orElse("java");
    // This JVM may run on the module path: the children run the same jars on the class path.
    String cp =
        Stream.of(System.getProperty("jdk.module.path"), System.getProperty("java.class.path"))
            .filter(p -> p != null && !p.isEmpty())
            .collect(Collectors.joining(File.pathSeparator));
    List<String> with =
        List.of(
            java,
            "-javaagent:" + agent.get() + "=app=weft.bench",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            cp,
            CpuKernels.class.getName());
    List<String> without =
        List.of(
            java,
            "--add-opens",
            "java.base/java.lang=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            cp,
            CpuKernels.class.getName());
    Map<String, List<Double>> a = new HashMap<>();
    Map<String, List<Double>> b = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      collect(with, a);
      collect(without, b);
    }
    List<Result> out = new ArrayList<>();
    for (String k : List.of("fib", "loop", "sort", "maps", "text")) {
      out.add(
          new Result(
              "CPU kernel: " + k,
              "milliseconds",
              false,
              median(a.get(k)) / 1e6,
              median(b.get(k)) / 1e6,
              "same code, no yield points"));
    }
    return out;
  }

  private static void collect(List<String> command, Map<String, List<Double>> into)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException("kernel JVM failed: " + output);
    }
    for (String line : output.split("\n")) {
      String[] f = line.strip().split(" ");
      if (f.length == 3 && f[0].equals("kernel")) {
        into.computeIfAbsent(f[1], k -> new ArrayList<>()).add(Double.parseDouble(f[2]));
      }
    }
  }

  private static double median(List<Double> v) {
    double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return s[s.length / 2];
  }
}
