package weft.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.genserver.CallException;
import weft.genserver.CallResult;
import weft.genserver.From;
import weft.genserver.GenServer;
import weft.genserver.InitResult;
import weft.genserver.Result;
import weft.genserver.StartOptions;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;

/**
 * A node on a {@link ManualClock}: its timers and timeouts fire when the test moves the clock, and
 * never before. "Never before" is checked by {@code expectNoMessage} over a short real window,
 * which can only miss a bug, never fail a correct runtime.
 */
class ManualTimeTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(100);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:00Z"));
  private final Node node = Node.start("manual", clock);
  private final Probe probe = Probe.start(node);

  @AfterEach
  void stop() {
    probe.close();
    node.close();
  }

  /** Waits (on real time) until {@code n} timers wait for the clock: the process is parked. */
  private void awaitTimers(int n) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (clock.pendingTimers() != n) {
      assertThat(System.nanoTime()).as("%d timer(s) pending", n).isLessThan(deadline);
      Thread.sleep(1); // polling a condition, not standing in for one
    }
  }

  @Test
  void sendAfterFiresWhenTheClockReachesItsDelay() throws Exception {
    node.sendAfter(probe.pid(), "tick", Duration.ofMinutes(5));
    clock.advance(Duration.ofMinutes(4));
    probe.expectNoMessage(QUIET);
    clock.advance(Duration.ofMinutes(1));
    assertThat(probe.expectMessage(String.class, WAIT)).isEqualTo("tick");
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void aCancelledTimerNeverFiresAndZeroDelayFiresAtOnce() throws Exception {
    InProcess.run(
        node,
        () -> {
          var ref = Process.sendAfter(probe.pid(), "never", Duration.ofSeconds(1));
          assertThat(Process.cancelTimer(ref)).isTrue();
          Process.sendAfter(probe.pid(), "now", Duration.ZERO);
        });
    assertThat(probe.expectMessage(String.class, WAIT)).isEqualTo("now");
    clock.advance(Duration.ofSeconds(2));
    probe.expectNoMessage(QUIET);
  }

  @Test
  void anIntervalFiresOncePerPeriodEvenWhenTheClockJumps() throws Exception {
    Pid ticker =
        node.spawn(() -> {
          Process.sendInterval(probe.pid(), "beat", Duration.ofSeconds(10));
          Process.receive(String.class); // until told to stop
        });
    awaitTimers(1);
    clock.advance(Duration.ofSeconds(35));
    for (int i = 0; i < 3; i++) {
      assertThat(probe.expectMessage(String.class, WAIT)).isEqualTo("beat");
    }
    probe.expectNoMessage(QUIET);
    node.send(ticker, "stop");
    probe.monitor(ticker);
    probe.expectDown(ticker, WAIT);
    clock.advance(Duration.ofSeconds(60));
    probe.expectNoMessage(QUIET);
    assertThat(clock.pendingTimers()).as("the interval ended with its process").isZero();
  }

  @Test
  void receiveAndSleepTimeOutOnTheClock() throws Exception {
    node.spawn(() -> {
      Optional<Object> got = Process.receive(Duration.ofHours(1));
      Process.send(probe.pid(), got.isEmpty() ? "timed out" : "got " + got.get());
      Process.sleep(Duration.ofMinutes(30));
      Process.send(probe.pid(), "slept");
    });
    awaitTimers(1);
    clock.advance(Duration.ofMinutes(59));
    probe.expectNoMessage(QUIET);
    clock.advance(Duration.ofMinutes(1));
    assertThat(probe.expectMessage(String.class, WAIT)).isEqualTo("timed out");
    awaitTimers(1);
    clock.advance(Duration.ofMinutes(30));
    assertThat(probe.expectMessage(String.class, WAIT)).isEqualTo("slept");
  }

  /** A server that never answers. */
  static final class Silent implements GenServer<Integer, String> {
    @Override
    public InitResult<Integer> init() {
      return InitResult.ok(0);
    }

    @Override
    public CallResult<Integer> handleCall(String request, From from, Integer state) {
      return Result.noreply(state);
    }
  }

  @Test
  void aGenServerCallTimesOutOnTheClock() throws Exception {
    Pid server = GenServer.start(node, new Silent(), StartOptions.defaults());
    node.spawn(() -> {
      try {
        GenServer.call(server, "hello?", Duration.ofSeconds(5));
        Process.send(probe.pid(), "answered");
      } catch (CallException e) {
        Process.send(probe.pid(), e.reason());
      }
    });
    awaitTimers(1);
    clock.advance(Duration.ofSeconds(4));
    probe.expectNoMessage(QUIET);
    clock.advance(Duration.ofSeconds(1));
    assertThat(probe.expectMessage(ExitReason.class, WAIT)).isEqualTo(ExitReason.TIMEOUT);
  }

  @Test
  void timeNeverGoesBackForTimersAndDelaysMustBeSane() {
    long before = clock.nanoTime();
    clock.advance(Duration.ofSeconds(-30));
    assertThat(clock.nanoTime()).isEqualTo(before);
    clock.advance(Duration.ofSeconds(1));
    assertThat(clock.nanoTime()).isEqualTo(before + 1_000_000_000L);
    assertThatThrownBy(() -> clock.scheduleAtFixedRate(() -> {}, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
