package weft.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import weft.genserver.CallResult;
import weft.genserver.From;
import weft.genserver.GenServer;
import weft.genserver.InitResult;
import weft.genserver.StartOptions;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.supervisor.ChildSpec;
import weft.supervisor.Strategy;
import weft.supervisor.Supervisor;
import weft.supervisor.SupervisorOptions;

/**
 * The Weft side of each core scenario: the same programs as the Erlang ones in {@code
 * resources/erlang/weft_bench.erl} and the bare-JDK ones in {@code baseline.BareScenarios}.
 */
final class WeftScenarios {

  private static final Duration LONG = Duration.ofMinutes(5);

  private final Node node;

  WeftScenarios(Node node) {
    this.node = node;
  }

  // ---------------------------------------------------------------- spawn

  /** Spawns n processes that wait in receive; returns {seconds, bytes each}. */
  double[] spawnIdle(int n) throws Exception {
    long before = Measure.usedHeapAfterGc();
    CountDownLatch waiting = new CountDownLatch(n);
    CountDownLatch ended = new CountDownLatch(n);
    Pid[] pids = new Pid[n];
    long[] t0 = new long[1];
    // Spawned by a process, as the Erlang program does.
    node.awaitExit(
        node.spawn(() -> {
          t0[0] = System.nanoTime();
          for (int i = 0; i < n; i++) {
            pids[i] =
                Process.spawn(() -> {
                  waiting.countDown();
                  Process.receive(String.class);
                  ended.countDown();
                });
          }
        }),
        LONG);
    waiting.await();
    double seconds = (System.nanoTime() - t0[0]) / 1e9;
    Measure.settle(() ->
        node.processes().stream().allMatch(p -> p.status() != weft.process.ProcessStatus.RUNNING));
    long after = Measure.usedHeapAfterGc();
    for (Pid p : pids) {
      node.send(p, "stop");
    }
    ended.await();
    return new double[] {seconds, (after - before) / (double) n};
  }

  /** Spawns n processes that end at once; processes per second. */
  double spawnExit(int n) throws Exception {
    CountDownLatch done = new CountDownLatch(n);
    long t0 = System.nanoTime();
    node.spawn(() -> {
      for (int i = 0; i < n; i++) {
        Process.spawn(done::countDown);
      }
    });
    done.await();
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  // ---------------------------------------------------------------- messages

  record Ball(Pid from, int n) {}

  /** A process that sends each ball back to its sender, until a ball with a negative count. */
  private Pid echo() {
    return node.spawn(() -> {
      while (true) {
        Ball b = Process.receive(Ball.class);
        if (b.n() < 0) {
          return;
        }
        Process.send(b.from(), b);
      }
    });
  }

  /** n round trips between two processes; round trips per second. */
  double pingPong(int n) throws Exception {
    Pid echo = echo();
    double[] rate = new double[1];
    Pid player =
        node.spawn(() -> {
          Pid self = Process.self();
          long t0 = System.nanoTime();
          for (int i = 0; i < n; i++) {
            Process.send(echo, new Ball(self, i));
            Process.receive(Ball.class);
          }
          rate[0] = n / ((System.nanoTime() - t0) / 1e9);
          Process.send(echo, new Ball(self, -1));
        });
    node.awaitExit(player, LONG);
    return rate[0];
  }

  record Token(int hops) {}

  /** A ring of n processes passes a token the given number of hops; seconds. */
  double ring(int n, int hops) throws Exception {
    Pid[] ring = new Pid[n];
    CountDownLatch done = new CountDownLatch(1);
    // Each member forwards to the next one, which it learns from its first message.
    for (int i = n - 1; i >= 0; i--) {
      Pid next = i == n - 1 ? null : ring[i + 1];
      ring[i] =
          node.spawn(() -> {
            Pid to = next != null ? next : Process.receive(Pid.class);
            while (true) {
              Token t = Process.receive(Token.class);
              if (t.hops() == 0) {
                done.countDown();
                Process.send(to, new Token(-1));
                return;
              }
              if (t.hops() < 0) {
                Process.send(to, t);
                return;
              }
              Process.send(to, new Token(t.hops() - 1));
            }
          });
    }
    node.send(ring[n - 1], ring[0]);
    long t0 = System.nanoTime();
    node.send(ring[0], new Token(hops));
    done.await();
    double seconds = (System.nanoTime() - t0) / 1e9;
    for (Pid p : ring) {
      node.awaitExit(p, LONG);
    }
    return seconds;
  }

  // ---------------------------------------------------------------- GenServer and Supervisor

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

  /** n GenServer.call round trips with a 5 s timeout each; calls per second. */
  double calls(int n) throws Exception {
    Pid server = GenServer.start(node, new EchoServer(), StartOptions.defaults());
    double[] rate = new double[1];
    Pid client =
        node.spawn(() -> {
          long t0 = System.nanoTime();
          for (int i = 0; i < n; i++) {
            GenServer.call(server, new Echo(i), Duration.ofSeconds(5));
          }
          rate[0] = n / ((System.nanoTime() - t0) / 1e9);
        });
    node.awaitExit(client, LONG);
    GenServer.stop(server);
    return rate[0];
  }

  private record Started(Pid worker) {}

  /** A one-for-one supervisor restarts its killed worker n times; restarts per second. */
  double restarts(int n) throws Exception {
    double[] rate = new double[1];
    Pid bench =
        node.spawn(() -> {
          Pid self = Process.self();
          Pid sup =
              Supervisor.start(
                  node,
                  SupervisorOptions.of(Strategy.ONE_FOR_ONE)
                      .withIntensity(1_000_000_000, Duration.ofSeconds(1)),
                  List.of(
                      ChildSpec.worker(
                          "worker",
                          () ->
                              Process.spawnLink(() -> {
                                Process.send(self, new Started(Process.self()));
                                Process.receive(String.class);
                              }))));
          Pid worker = Process.receive(Started.class).worker();
          long t0 = System.nanoTime();
          for (int i = 0; i < n; i++) {
            Process.exit(worker, ExitReason.KILL);
            worker = Process.receive(Started.class).worker();
          }
          rate[0] = n / ((System.nanoTime() - t0) / 1e9);
          Process.exit(sup, ExitReason.SHUTDOWN);
        });
    node.awaitExit(bench, LONG);
    return rate[0];
  }

  // ---------------------------------------------------------------- fairness

  static volatile long sink;

  /** Spins on arithmetic until the deadline, as weft_bench:hog/2. */
  static void hog(long deadline) {
    long acc = 0;
    while (System.nanoTime() < deadline) {
      for (int k = 10_000; k > 0; k--) {
        acc = (acc * 31 + k) & 0xFFFFFF;
      }
    }
    sink = acc;
  }

  /**
   * Hogs spin for the duration while a requester does round trips to an echo process with a 1 ms
   * sleep between them; returns the latencies in microseconds.
   */
  List<Long> fairness(int hogs, Duration duration) throws Exception {
    long deadline = System.nanoTime() + duration.toNanos();
    List<Pid> hogPids = new ArrayList<>();
    for (int i = 0; i < hogs; i++) {
      hogPids.add(node.spawn(() -> hog(deadline)));
    }
    Pid echo = echo();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    Pid requester =
        node.spawn(() -> {
          Pid self = Process.self();
          while (System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            Process.send(echo, new Ball(self, 1));
            Process.receive(Ball.class);
            latencies.add((System.nanoTime() - t0) / 1000);
            Process.sleep(Duration.ofMillis(1));
          }
        });
    for (Pid h : hogPids) {
      node.awaitExit(h, LONG);
    }
    node.awaitExit(requester, LONG);
    node.send(echo, new Ball(requester, -1));
    return new ArrayList<>(latencies);
  }

  /**
   * Kills a process spinning in an endless loop, n times, beside spinning hogs; returns the
   * microseconds from the kill until its thread stopped, as seen by the killing process (as the
   * Erlang program sees its DOWN message: measured inside the runtime, not by a thread the OS may
   * not run when every core is busy).
   */
  List<Long> killLatency(int n, int hogs) throws Exception {
    List<Pid> hogPids = new ArrayList<>();
    for (int i = 0; i < hogs; i++) {
      hogPids.add(node.spawn(() -> hog(Long.MAX_VALUE)));
    }
    List<Long> latencies = new ArrayList<>();
    Pid killer =
        node.spawn(() -> {
          for (int i = 0; i < n; i++) {
            CountDownLatch spinning = new CountDownLatch(1);
            CountDownLatch stopped = new CountDownLatch(1);
            Pid victim =
                Process.spawn(() -> {
                  try {
                    spinning.countDown();
                    hog(Long.MAX_VALUE);
                  } finally {
                    stopped.countDown();
                  }
                });
            await(spinning);
            long t0 = System.nanoTime();
            Process.exit(victim, ExitReason.KILL);
            await(stopped);
            latencies.add((System.nanoTime() - t0) / 1000);
          }
        });
    node.awaitExit(killer, LONG);
    for (Pid h : hogPids) {
      node.exit(h, ExitReason.KILL);
    }
    return latencies;
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException("a killed spinning process did not stop in a minute");
      }
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
