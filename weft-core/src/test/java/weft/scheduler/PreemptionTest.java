package weft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import weft.process.Down;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;

/**
 * Processes in endless CPU-bound loops do not stop the others: the scheduler preempts them at their
 * yield points. Every wait is bounded, and the bound only turns a hang into a failure.
 */
class PreemptionTest {

  private static final Duration BOUND = Duration.ofSeconds(30);
  private Node node;
  private final List<Pid> spinners = new ArrayList<>();

  @BeforeEach
  void start() {
    node = Node.start("preemption");
    assertThat(Scheduler.mode())
        .as("the tests run with -javaagent:weft-agent.jar")
        .isEqualTo(Scheduler.Mode.PREEMPTIVE);
  }

  @AfterEach
  void stop() {
    System.err.println("DEBUG " + Scheduler.stats());
    spinners.forEach(p -> node.exit(p, ExitReason.KILL));
    node.close();
  }

  static volatile long sink;

  /** An endless loop with no call in it: only a back-edge yield point can stop it. */
  static void spinForever() {
    long n = 0;
    while (true) {
      n = n * 31 + 7;
      if (n == 42) {
        sink = n;
      }
    }
  }

  /** Twice as many spinning processes as carriers; returns once every one of them has run. */
  private void spinOnEveryCarrier() throws InterruptedException {
    int hogs = 2 * Scheduler.options().parallelism();
    CountDownLatch running = new CountDownLatch(hogs);
    for (int i = 0; i < hogs; i++) {
      spinners.add(
          node.spawn(() -> {
            running.countDown();
            spinForever();
          }));
    }
    assertThat(running.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
  }

  record Ping(Pid from, int n) {}

  @Test
  void aProcessInAnEndlessLoopDoesNotStopOthersFromAnswering() throws Exception {
    spinOnEveryCarrier();
    Pid echo =
        node.spawn(() -> {
          while (true) {
            Ping p = Process.receive(Ping.class);
            Process.send(p.from(), p);
          }
        });
    CountDownLatch done = new CountDownLatch(1);
    node.spawn(() -> {
      for (int i = 0; i < 200; i++) {
        Process.send(echo, new Ping(Process.self(), i));
        int n = i;
        assertThat(Process.receive(Ping.class, p -> p.n() == n, BOUND)).isPresent();
      }
      done.countDown();
    });
    assertThat(done.await(BOUND.toSeconds(), TimeUnit.SECONDS))
        .as("200 round trips beside %d spinning processes", spinners.size())
        .isTrue();
    assertThat(node.info(spinners.getFirst()).orElseThrow().preemptions()).isPositive();
  }

  @Test
  void killEndsASpinningProcessAndItsLinksAndMonitorsFire() throws Exception {
    spinOnEveryCarrier();
    CountDownLatch unwound = new CountDownLatch(1);
    Pid spinner =
        node.spawn(() -> {
          try {
            spinForever();
          } finally {
            unwound.countDown();
          }
        });
    CountDownLatch observed = new CountDownLatch(2);
    List<Object> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    node.spawn(() -> {
      Process.trapExit(true);
      Process.link(spinner);
      var ref = Process.monitor(spinner);
      observed.countDown(); // linked and monitoring
      seen.add(
          Process.receive(m -> m instanceof Down d && d.ref().equals(ref), BOUND).orElseThrow());
      seen.add(Process.receive(weft.process.Exit.class, BOUND).orElseThrow());
      observed.countDown();
    });
    awaitCount(observed, 1);
    node.exit(spinner, ExitReason.KILL);
    assertThat(unwound.await(BOUND.toSeconds(), TimeUnit.SECONDS))
        .as("the spinning thread itself stopped")
        .isTrue();
    assertThat(observed.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(seen)
        .hasSize(2)
        .anySatisfy(m -> assertThat(m).isEqualTo(downOf(seen, spinner)))
        .anySatisfy(
            m -> assertThat(m).isEqualTo(new weft.process.Exit(spinner, ExitReason.KILLED)));
    assertThat(downOf(seen, spinner).reason()).isEqualTo(ExitReason.KILLED);
    assertThat(node.isAlive(spinner)).isFalse();
  }

  /**
   * A process that ended by itself runs its clean-up on its own thread; a yield point met there
   * (here, the clean-up's own loop, preempted beside the spinners) may yield but must not unwind
   * the process a second time: that exception would escape the process runner.
   */
  @Test
  void aPreemptionDuringAProcesssOwnCleanUpDoesNotUnwindItAgain() throws Exception {
    spinOnEveryCarrier();
    java.util.concurrent.atomic.AtomicLong ticks = new java.util.concurrent.atomic.AtomicLong();
    spinners.add(
        node.spawn(() -> {
          while (true) {
            ticks.incrementAndGet();
            Process.sleep(Duration.ofMillis(1));
          }
        }));
    CountDownLatch cleanedUp = new CountDownLatch(1);
    Pid ending =
        node.spawn(() -> {
          Process.atExit(
              Process.self(),
              reason -> {
                // Spins until the ticker has run many times: the carriers rotate, so this loop is
                // preempted at its yield points while the process is already dead.
                long until = ticks.get() + 50;
                long n = 0;
                while (ticks.get() < until) {
                  n = n * 31 + 7;
                  if (n == 42) {
                    sink = n;
                  }
                }
                cleanedUp.countDown();
              });
          throw new IllegalStateException("ends by itself");
        });
    assertThat(cleanedUp.await(BOUND.toSeconds(), TimeUnit.SECONDS))
        .as("the clean-up ran to its end")
        .isTrue();
    assertThat(node.awaitExit(ending, BOUND)).isInstanceOf(ExitReason.Error.class);
  }

  private static Down downOf(List<Object> seen, Pid pid) {
    return seen.stream()
        .filter(Down.class::isInstance)
        .map(Down.class::cast)
        .filter(d -> d.pid().equals(pid))
        .findFirst()
        .orElseThrow();
  }

  private static void awaitCount(CountDownLatch latch, long count) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (latch.getCount() > count) {
      assertThat(System.nanoTime()).as("waited too long").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
