package weft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import weft.process.Down;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.testing.Seeds;

/**
 * Random workloads on the scheduler: chains of processes passing tokens (some doing CPU work
 * between hops, some sleeping), beside processes spinning for ever, some of which are killed on the
 * way. Whatever the mix, every chain completes (no wake-up is lost, nobody starves), tokens arrive
 * in the order they were sent, and each killed spinner's monitor fires exactly once.
 */
class SchedulerPropertyTest {

  private static final Duration BOUND = Duration.ofSeconds(60);

  record Token(int chain, int round) {}

  static volatile long sink;

  static void work(int iterations) {
    long n = 1;
    for (int i = 0; i < iterations; i++) {
      n = n * 31 + i;
    }
    sink = n;
  }

  static void spin() {
    while (true) {
      work(1000);
    }
  }

  @Test
  void randomWorkloadsComplete() {
    Seeds.forEach(0x5c4e_d01eL, 20, SchedulerPropertyTest::runWorkload);
  }

  private static void runWorkload(Random random) {
    try (Node node = Node.start("workload")) {
      int spinners = random.nextInt(3 * Scheduler.options().parallelism() + 1);
      List<Pid> spinning = new ArrayList<>();
      for (int i = 0; i < spinners; i++) {
        spinning.add(node.spawn(SchedulerPropertyTest::spin));
      }
      int chains = 1 + random.nextInt(6);
      CountDownLatch done = new CountDownLatch(chains);
      List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int c = 0; c < chains; c++) {
        startChain(node, c, random, done, problems);
      }
      // Kill some spinners while the chains run, watching each with a monitor.
      int victims = spinners == 0 ? 0 : random.nextInt(spinners + 1);
      AtomicInteger downs = new AtomicInteger();
      CountDownLatch watched = new CountDownLatch(1);
      node.spawn(() -> {
        List<weft.process.Ref> refs = new ArrayList<>();
        for (int v = 0; v < victims; v++) {
          refs.add(Process.monitor(spinning.get(v)));
          Process.exit(spinning.get(v), ExitReason.KILL);
        }
        for (int v = 0; v < victims; v++) {
          if (Process.receive(Down.class, BOUND).isPresent()) {
            downs.incrementAndGet();
          }
        }
        if (Process.receive(Down.class, Duration.ofMillis(20)).isPresent()) {
          problems.add("a monitor fired twice");
        }
        watched.countDown();
      });
      try {
        assertThat(done.await(BOUND.toSeconds(), TimeUnit.SECONDS))
            .as("every chain completed beside %d spinners", spinners)
            .isTrue();
        assertThat(watched.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      assertThat(downs.get()).isEqualTo(victims);
      assertThat(problems).isEmpty();
      spinning.forEach(p -> node.exit(p, ExitReason.KILL));
    }
  }

  /**
   * A ring of processes; the token goes round `rounds` times. Member 0 counts the rounds: each time
   * the token comes back it sends the next round on, and after the last one it is done.
   */
  private static void startChain(
      Node node, int chain, Random random, CountDownLatch done, List<String> problems) {
    int length = 2 + random.nextInt(40);
    int rounds = 1 + random.nextInt(30);
    int workPerHop = random.nextBoolean() ? 0 : random.nextInt(200_000);
    boolean sleeps = random.nextInt(4) == 0;
    Pid[] members = new Pid[length];
    for (int i = length - 1; i >= 0; i--) {
      Pid next = i == length - 1 ? null : members[i + 1];
      boolean first = i == 0;
      members[i] =
          node.spawn(() -> {
            Pid to = next != null ? next : Process.receive(Pid.class);
            int expected = 0;
            while (true) {
              Token t = Process.receive(Token.class);
              if (t.round() != expected) {
                problems.add("chain " + chain + ": round " + t.round() + " for " + expected);
              }
              work(workPerHop);
              if (sleeps) {
                Process.sleep(Duration.ofMillis(1));
              }
              if (first && t.round() + 1 == rounds) {
                done.countDown();
                return;
              }
              Process.send(to, first ? new Token(chain, t.round() + 1) : t);
              expected = t.round() + 1;
              if (!first && expected == rounds) {
                return;
              }
            }
          });
    }
    node.send(members[length - 1], members[0]);
    node.send(members[1], new Token(chain, 0)); // round 0 starts at member 1 and ends at member 0
  }
}
