package weft.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.scheduler.Scheduler;

/**
 * A process woken from outside the scheduler (here the test's own thread) while every carrier runs
 * a busy process takes the next slot of one of them, whose busy process yields at its next yield
 * point, instead of waiting in the global queue for a slice to end.
 */
class WakePreemptionTest {

  private final Node node = Node.start("wake-preemption");
  private final AtomicBoolean release = new AtomicBoolean();

  @AfterEach
  void stop() {
    release.set(true);
    node.close();
  }

  /** A busy loop with yield points (this class is instrumented as application code). */
  private long busy() {
    long n = 0;
    while (!release.get()) {
      n++;
    }
    return n;
  }

  @Test
  void aProcessWokenFromOutsideTakesABusyCarriersNextSlot() throws Exception {
    WeftScheduler s = Scheduling.get().weft();
    assertThat(s).as("Weft's scheduler runs the tests").isNotNull();
    CountDownLatch woken = new CountDownLatch(1);
    Pid waiter =
        node.spawn(() -> {
          Process.receive(String.class);
          woken.countDown();
        });
    // Keep every carrier busy, spares an earlier test left included.
    List<Pid> busy = new ArrayList<>();
    while (true) {
      int more = Scheduler.stats().carriers() - busy.size();
      if (more <= 0) {
        break;
      }
      CountDownLatch running = new CountDownLatch(more);
      for (int i = 0; i < more; i++) {
        busy.add(
            node.spawn(() -> {
              running.countDown();
              busy();
            }));
      }
      assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
    }
    // The ticker has seen each busy process on its carrier since before its latest tick.
    long seen = WeftScheduler.ticks() + 2;
    long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (WeftScheduler.ticks() < seen && System.nanoTime() < bound) {
      Thread.onSpinWait();
    }
    long before = s.wakePreemptions.sum();
    node.send(waiter, "wake up");
    assertThat(woken.await(30, TimeUnit.SECONDS)).as("the woken process ran").isTrue();
    assertThat(s.wakePreemptions.sum()).isGreaterThan(before);
  }
}
