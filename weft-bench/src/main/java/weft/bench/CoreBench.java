package weft.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import weft.genserver.CallResult;
import weft.genserver.From;
import weft.genserver.GenServer;
import weft.genserver.InitResult;
import weft.genserver.StartOptions;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;

/**
 * Benchmarks of the process runtime, each beside a plain-JDK baseline measured in the same run:
 * what Weft's processes cost over bare virtual threads and queues. Prints a table and writes {@code
 * core.csv}, {@code core.json} and {@code core.png} into the directory given as the first argument
 * (default {@code bench/results}).
 *
 * <p>Each figure is the median of {@value #ROUNDS} rounds after one warm-up round.
 */
public final class CoreBench {

  private static final int ROUNDS = 5;
  private static final int SPAWNS = 50_000;
  private static final int ROUND_TRIPS = 100_000;
  private static final int IDLE = 100_000;

  private CoreBench() {}

  /**
   * Runs the benchmarks.
   *
   * @param args the output directory (optional)
   * @throws Exception if a benchmark fails
   */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/results");
    List<Result> results = new ArrayList<>();
    try (Node node = Node.start("bench")) {
      results.add(
          new Result(
              "spawn and exit",
              "processes/s",
              true,
              median(() -> perSecond(SPAWNS, () -> spawnWeft(node))),
              median(() -> perSecond(SPAWNS, CoreBench::spawnBaseline)),
              "virtual threads"));
      results.add(
          new Result(
              "message round trip",
              "round trips/s",
              true,
              median(() -> perSecond(ROUND_TRIPS, () -> pingPongWeft(node))),
              median(() -> perSecond(ROUND_TRIPS, CoreBench::pingPongBaseline)),
              "vthreads + blocking queues"));
      results.add(
          new Result(
              "GenServer.call",
              "calls/s",
              true,
              median(() -> perSecond(ROUND_TRIPS, () -> callsWeft(node))),
              median(() -> perSecond(ROUND_TRIPS, CoreBench::callsBaseline)),
              "vthread + queue + timed future"));
      results.add(
          new Result(
              "idle process memory",
              "bytes each",
              false,
              median(() -> idleWeft(node)),
              median(CoreBench::idleBaseline),
              "blocked virtual threads"));
    }
    Reports.publish(out, "core", results, "");
  }

  @FunctionalInterface
  private interface Measure {
    double run() throws Exception;
  }

  private static double median(Measure m) throws Exception {
    m.run();
    double[] v = new double[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      v[i] = m.run();
    }
    Arrays.sort(v);
    return v[ROUNDS / 2];
  }

  @FunctionalInterface
  private interface Work {
    void run() throws Exception;
  }

  private static double perSecond(int ops, Work work) throws Exception {
    long start = System.nanoTime();
    work.run();
    return ops / ((System.nanoTime() - start) / 1e9);
  }

  // ---------------------------------------------------------------- spawn

  private static void spawnWeft(Node node) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(SPAWNS);
    for (int i = 0; i < SPAWNS; i++) {
      node.spawn(done::countDown);
    }
    done.await();
  }

  private static void spawnBaseline() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(SPAWNS);
    for (int i = 0; i < SPAWNS; i++) {
      Thread.ofVirtual().start(done::countDown);
    }
    done.await();
  }

  // ---------------------------------------------------------------- ping-pong

  private record Ball(Pid from, int n) {}

  private static void pingPongWeft(Node node) throws Exception {
    Pid echo =
        node.spawn(() -> {
          for (int i = 0; i < ROUND_TRIPS; i++) {
            Ball b = Process.receive(Ball.class);
            Process.send(b.from(), b);
          }
        });
    Pid player =
        node.spawn(() -> {
          Pid self = Process.self();
          for (int i = 0; i < ROUND_TRIPS; i++) {
            Process.send(echo, new Ball(self, i));
            Process.receive(Ball.class);
          }
        });
    node.awaitExit(player, Duration.ofMinutes(5));
  }

  private static void pingPongBaseline() throws Exception {
    LinkedBlockingQueue<Integer> toEcho = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Integer> back = new LinkedBlockingQueue<>();
    Thread echo =
        Thread.ofVirtual()
            .start(() -> {
              try {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                  back.put(toEcho.take());
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Thread player =
        Thread.ofVirtual()
            .start(() -> {
              try {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                  toEcho.put(i);
                  back.take();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    player.join();
    echo.join();
  }

  // ---------------------------------------------------------------- calls

  private record Echo(int n) {}

  private static final class EchoServer implements GenServer<Integer, Echo> {
    @Override
    public InitResult<Integer> init() {
      return InitResult.ok(0);
    }

    @Override
    public CallResult<Integer> handleCall(Echo request, From from, Integer state) {
      return CallResult.reply(request.n(), state);
    }
  }

  private static void callsWeft(Node node) throws Exception {
    Pid server = GenServer.start(node, new EchoServer(), StartOptions.defaults());
    Pid client =
        node.spawn(() -> {
          for (int i = 0; i < ROUND_TRIPS; i++) {
            GenServer.call(server, new Echo(i), Duration.ofSeconds(5));
          }
        });
    node.awaitExit(client, Duration.ofMinutes(5));
    GenServer.stop(server);
  }

  private record Request(int n, CompletableFuture<Integer> reply) {}

  private static void callsBaseline() throws Exception {
    LinkedBlockingQueue<Request> inbox = new LinkedBlockingQueue<>();
    Thread server =
        Thread.ofVirtual()
            .start(() -> {
              try {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                  Request r = inbox.take();
                  r.reply().complete(r.n());
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Thread client =
        Thread.ofVirtual()
            .start(() -> {
              for (int i = 0; i < ROUND_TRIPS; i++) {
                CompletableFuture<Integer> f = new CompletableFuture<>();
                inbox.add(new Request(i, f));
                try {
                  f.get(5, TimeUnit.SECONDS); // a call has a timeout, as GenServer.call does
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }
            });
    client.join();
    server.join();
  }

  // ---------------------------------------------------------------- memory

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double idleWeft(Node node) throws Exception {
    long before = usedHeapAfterGc();
    CountDownLatch waiting = new CountDownLatch(IDLE);
    List<Pid> pids = new ArrayList<>(IDLE);
    for (int i = 0; i < IDLE; i++) {
      pids.add(
          node.spawn(() -> {
            waiting.countDown();
            Process.receive(String.class);
          }));
    }
    waiting.await();
    long after = usedHeapAfterGc();
    for (Pid p : pids) {
      node.send(p, "stop");
    }
    for (Pid p : pids) {
      node.awaitExit(p, Duration.ofMinutes(1));
    }
    return (after - before) / (double) IDLE;
  }

  private static double idleBaseline() throws Exception {
    long before = usedHeapAfterGc();
    CountDownLatch waiting = new CountDownLatch(IDLE);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>(IDLE);
    for (int i = 0; i < IDLE; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(() -> {
                waiting.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }));
    }
    waiting.await();
    long after = usedHeapAfterGc();
    release.countDown();
    for (Thread t : threads) {
      t.join();
    }
    return (after - before) / (double) IDLE;
  }
}
