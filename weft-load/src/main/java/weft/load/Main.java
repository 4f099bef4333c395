package weft.load;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/*
 * Design: the coordinator, in the spirit of Tsung. For each N it starts load processes (Worker),
 * each with at most --per-process sockets and its own source address (127.0.0.2, .3, ...: one
 * process may hold 20,000 descriptors here, and one source address 28,000 ephemeral ports), and
 * paces the joins to --rate per second over all of them. While they join it prints a live line.
 * Then it measures the server (heap after a full GC through jcmd, RSS from /proc, CPU from
 * /proc/<pid>/stat), broadcasts from a socket of its own and collects every socket's receipt time
 * (all processes read the same CLOCK_MONOTONIC), runs the C epoll floor for the same N, and
 * closes everything before the next N. Traffic goes to loopback only.
 */
/** The load tool's command: {@code weft-load --users 2000,10000,19000 ...}. */
@Command(
    name = "weft-load",
    mixinStandardHelpOptions = true,
    description =
        "Opens and joins N Phoenix-protocol sockets against a server on loopback, from several"
            + " processes; measures join rates, server memory per socket, presence traffic during"
            + " the join storm and broadcast latency to every socket beside the C epoll floor.")
public final class Main implements Callable<Integer> {

  @Option(
      names = "--url",
      defaultValue = "ws://127.0.0.1:4000/socket/websocket",
      description = "the socket's WebSocket URL (loopback only); default ${DEFAULT-VALUE}")
  URI url;

  @Option(
      names = "--session-url",
      defaultValue = "http://127.0.0.1:4000/api/session",
      description =
          "POSTed {\"name\": user} per user for a {\"token\"} passed as the token param; empty"
              + " for none; default ${DEFAULT-VALUE}")
  String sessionUrl;

  @Option(
      names = "--topic",
      defaultValue = "room:lobby",
      description = "the topic every socket joins")
  String topic;

  @Option(
      names = "--users",
      defaultValue = "2000",
      split = ",",
      description = "the numbers of sockets, one run each, in order; default ${DEFAULT-VALUE}")
  List<Integer> users;

  @Option(names = "--rate", defaultValue = "500", description = "joins per second, all processes")
  double rate;

  @Option(
      names = "--per-process",
      defaultValue = "9500",
      description = "at most this many sockets per load process")
  int perProcess;

  @Option(
      names = "--server-pid",
      defaultValue = "0",
      description = "the server's pid, for memory and CPU; 0 finds it by the URL's port")
  long serverPid;

  @Option(names = "--broadcasts", defaultValue = "5", description = "broadcasts per N")
  int broadcasts;

  @Option(
      names = "--event",
      defaultValue = "new_msg",
      description =
          "the event the broadcaster pushes with {\"body\": marker}; the server must"
              + " broadcast it to the topic")
  String event;

  @Option(
      names = "--join-timeout",
      defaultValue = "PT5M",
      description = "how long the joins of one N may take; default ${DEFAULT-VALUE}")
  Duration joinTimeout;

  @Option(names = "--out", defaultValue = "bench/results", description = "where the files go")
  Path out;

  @Option(names = "--name", defaultValue = "load", description = "the files' base name")
  String name;

  private final PrintStream console = System.out;

  /**
   * Runs the tool.
   *
   * @param args the command line ({@code --help} lists it); when empty, the system property {@code
   *     load.args}, split at spaces
   */
  public static void main(String[] args) {
    String property = System.getProperty("load.args", "").strip();
    if (args.length == 0 && !property.isEmpty()) {
      args = property.split("\\s+"); // from ./mvnw ... exec:exec -Dload.args="..."
    }
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!"127".equals(url.getHost().split("\\.")[0]) && !url.getHost().equals("localhost")) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "the load tool sends traffic to loopback only, not " + url);
    }
    long pid = serverPid > 0 ? serverPid : ServerProbe.pidListeningOn(url.getPort());
    ServerProbe server = new ServerProbe(pid);
    console.println(
        "server pid "
            + (pid > 0 ? pid : "unknown (memory and CPU not measured)")
            + "; the C floor "
            + (Floor.available() ? "compiled" : "unavailable (gcc missing)"));
    List<Row> rows = new ArrayList<>();
    for (int n : users) {
      rows.add(run(n, server));
    }
    Report.write(out, name, rows, context());
    console.print(Report.table(rows));
    console.println(
        "results written to " + out.toAbsolutePath().normalize() + "/" + name + ".{csv,json,png}");
    return 0;
  }

  private String context() {
    return "JDK "
        + Runtime.version()
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " cores, "
        + url
        + " "
        + topic
        + ", joins at "
        + rate
        + "/s, "
        + java.time.Instant.now();
  }

  /** One N: join, measure, broadcast, floor, close. */
  private Row run(int n, ServerProbe server) throws Exception {
    String prefix = "l" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36) + "u";
    server.gc();
    ServerProbe.Sample before = server.sample();
    int processes = (n + perProcess - 1) / perProcess;
    List<LoadProcess> workers = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      int first = p * perProcess;
      int count = Math.min(perProcess, n - first);
      workers.add(
          LoadProcess.start(
              url,
              sessionUrl,
              topic,
              prefix,
              first,
              count,
              rate / processes,
              "127.0.0." + (2 + p)));
    }
    long t0 = System.nanoTime();
    long lastJoinAt = t0;
    int lastJoined = 0;
    long deadline = t0 + joinTimeout.toNanos();
    Progress total;
    while (true) {
      Thread.sleep(250);
      total = Progress.sum(workers.stream().map(LoadProcess::progress).toList());
      if (total.joined() > lastJoined) {
        lastJoined = total.joined();
        lastJoinAt = System.nanoTime();
      }
      console.print("\r" + total.line(n, System.nanoTime() - t0));
      if (total.joined() + total.failed() >= n || System.nanoTime() > deadline) {
        break;
      }
    }
    console.println();
    double joinSeconds = (lastJoinAt - t0) / 1e9;
    // Presence diffs of the storm may still be on their way: wait until none arrive for 2 s.
    long quietSince = System.nanoTime();
    long diffs = total.presenceDiffs();
    while (System.nanoTime() - quietSince < 2_000_000_000L) {
      Thread.sleep(250);
      Progress now = Progress.sum(workers.stream().map(LoadProcess::progress).toList());
      if (now.presenceDiffs() != diffs) {
        diffs = now.presenceDiffs();
        quietSince = System.nanoTime();
      }
      total = now;
    }
    ServerProbe.Sample joinedCpu = server.sample();
    server.gc();
    ServerProbe.Sample after = server.sample();
    List<List<Long>> latencies = new ArrayList<>();
    int expected = total.joined();
    int missing = 0;
    try (Broadcaster b = Broadcaster.join(url, sessionUrl, topic, prefix + "b")) {
      for (int i = 0; i < broadcasts; i++) {
        String marker =
            "LOADMARK" + i + "x" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        for (LoadProcess w : workers) {
          w.arm(marker);
        }
        long sent = System.nanoTime();
        b.push(event, marker);
        List<Long> these = new ArrayList<>();
        for (LoadProcess w : workers) {
          LoadProcess.Receipts r = w.receipts(marker, Duration.ofSeconds(60));
          for (long t : r.times()) {
            these.add(t - sent);
          }
          missing += r.joined() - r.times().length;
        }
        latencies.add(these);
        Thread.sleep(1_200); // the chat allows a user 5 messages a second
      }
    }
    ServerProbe.Sample end = server.sample();
    double loadCpu = workers.stream().mapToDouble(LoadProcess::cpuSeconds).sum();
    for (LoadProcess w : workers) {
      w.quit();
    }
    long floorMicros = Floor.available() ? Floor.medianMicros(Math.max(1, expected), 3) : -1;
    Row row =
        Row.of(
            n,
            processes,
            total,
            joinSeconds,
            before,
            joinedCpu,
            after,
            end,
            latencies,
            missing,
            loadCpu,
            floorMicros);
    console.print(Report.table(List.of(row)));
    return row;
  }
}
