package weft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.testing.InProcess;
import weft.testing.uninstrumented.Spin;

/**
 * Code without yield points (here weft.testing.uninstrumented, which the tests' agent leaves alone)
 * holds its carrier: the watchdog names it, and gives the scheduler spare carriers so that others
 * still run.
 */
class WatchdogTest {

  private final Node node = Node.start("watchdog");
  private final AtomicBoolean release = new AtomicBoolean();
  private final LinkedBlockingQueue<LongSchedule> reports = new LinkedBlockingQueue<>();
  private final Consumer<LongSchedule> listener = reports::add;

  @AfterEach
  void stop() {
    release.set(true);
    Scheduler.removeLongScheduleListener(listener);
    node.close();
  }

  /**
   * Starts as many holders as there are carriers (spares an earlier test left included) and returns
   * once every one of them spins.
   */
  private List<Pid> holdEveryCarrier() throws InterruptedException {
    List<Pid> holders = new ArrayList<>();
    // Spares an earlier test left may retire or (still compensating) appear meanwhile: hold
    // carriers until there are no more carriers than spinning holders.
    while (true) {
      int more = Scheduler.stats().carriers() - holders.size();
      if (more <= 0) {
        return holders;
      }
      java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(more);
      for (int i = 0; i < more; i++) {
        holders.add(
            node.spawn(() -> {
              Process.label("Holder");
              holding.countDown();
              Spin.until(release);
            }));
      }
      assertThat(holding.await(30, TimeUnit.SECONDS)).as("every holder runs").isTrue();
    }
  }

  @Test
  void theWatchdogNamesAProcessThatHoldsItsCarrierInCodeWithoutYieldPoints() throws Exception {
    Scheduler.addLongScheduleListener(listener);
    List<Pid> holders = holdEveryCarrier();
    // Someone waits for a carrier: the holds now harm others, and are reported.
    node.spawn(() -> Process.receive(String.class));
    LongSchedule report = null;
    while (report == null || report.pid().filter(holders::contains).isEmpty()) {
      report = reports.poll(30, TimeUnit.SECONDS);
      assertThat(report).as("a watchdog report within 30 s").isNotNull();
    }
    Pid holder = report.pid().orElseThrow();
    assertThat(report.behaviour()).contains("Holder");
    assertThat(report.held()).isGreaterThanOrEqualTo(Scheduler.options().longSchedule());
    assertThat(report.stack())
        .anySatisfy(f -> assertThat(f.getClassName()).isEqualTo(Spin.class.getName()));
    assertThat(node.info(holder).orElseThrow().longSchedules()).isPositive();
    assertThat(Scheduler.stats().longSchedules()).isPositive();
  }

  @Test
  void processesStillRunWhenEveryCarrierIsHeldByCodeWithoutYieldPoints() throws Exception {
    holdEveryCarrier();
    long before = Scheduler.stats().compensations();
    InProcess.run(
        node,
        () -> {
          for (int i = 0; i < 50; i++) {
            Pid self = Process.self();
            int n = i;
            Process.spawn(() -> Process.send(self, n));
            assertThat(Process.receive(Integer.class, Duration.ofSeconds(20))).contains(n);
          }
        });
    assertThat(Scheduler.stats().compensations()).isGreaterThan(before);
  }
}
