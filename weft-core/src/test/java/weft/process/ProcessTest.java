package weft.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.testing.InProcess;

class ProcessTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final Node node = Node.start("test");

  @AfterEach
  void stop() {
    node.close();
  }

  record Ping(Pid from, int n) {}

  @Test
  void atExitCleanupRunsBeforeMonitorsHearAndCanBeCancelled() {
    InProcess.run(
        node,
        () -> {
          List<ExitReason> cleaned = java.util.Collections.synchronizedList(new ArrayList<>());
          Pid p = Process.spawn(() -> Process.receive(String.class));
          Process.atExit(p, cleaned::add);
          Ref cancelled = Process.atExit(p, r -> cleaned.add(ExitReason.of("cancelled ran")));
          assertThat(Process.cancelAtExit(p, cancelled)).isTrue();
          Ref ref = Process.monitor(p);
          Process.exit(p, ExitReason.of("boom"));
          Down d = Process.receive(Down.class, x -> x.ref() == ref, WAIT).orElseThrow();
          assertThat(d.reason()).isEqualTo(ExitReason.of("boom"));
          assertThat(cleaned)
              .as("cleaned up before the Down")
              .containsExactly(ExitReason.of("boom"));
          var late = new java.util.concurrent.CompletableFuture<ExitReason>();
          Process.atExit(p, late::complete);
          assertThat(late.get(10, java.util.concurrent.TimeUnit.SECONDS))
              .as("already ended: noproc")
              .isEqualTo(ExitReason.NOPROC);
        });
  }

  @Test
  void spawnedProcessAnswersAMessage() {
    InProcess.run(
        node,
        () -> {
          Pid echo =
              Process.spawn(() -> {
                Ping p = Process.receive(Ping.class);
                Process.send(p.from(), "pong " + p.n());
              });
          Process.send(echo, new Ping(Process.self(), 7));
          assertThat(Process.receive(String.class, WAIT)).contains("pong 7");
        });
  }

  @Test
  void selectiveReceiveTakesFirstMatchAndKeepsTheRestInOrder() {
    InProcess.run(
        node,
        () -> {
          Pid self = Process.self();
          for (Object m : List.<Object>of("a", 1, "b", 2, "c")) {
            Process.send(self, m);
          }
          assertThat(Process.receive(Integer.class, WAIT)).contains(1);
          assertThat(Process.receive(Integer.class, WAIT)).contains(2);
          List<Object> rest = new ArrayList<>();
          for (int i = 0; i < 3; i++) {
            rest.add(Process.receive(WAIT).orElseThrow());
          }
          assertThat(rest).containsExactly("a", "b", "c");
        });
  }

  @Test
  void receiveTimesOutWhenNothingMatches() {
    InProcess.run(
        node,
        () -> {
          Process.send(Process.self(), "not an int");
          assertThat(Process.receive(Integer.class, Duration.ofMillis(20))).isEmpty();
          assertThat(Process.receive(Duration.ZERO)).contains("not an int");
          assertThat(Process.receive(Duration.ZERO)).isEmpty();
        });
  }

  @Test
  void receiveWaitsForALaterMessageThatMatches() {
    InProcess.run(
        node,
        () -> {
          Pid self = Process.self();
          Process.spawn(() -> {
            Process.send(self, "noise");
            Process.send(self, 42);
          });
          assertThat(Process.receive(Integer.class)).isEqualTo(42);
          assertThat(Process.receive(String.class, WAIT)).contains("noise");
        });
  }

  @Test
  void sendToADeadProcessIsDropped() throws Exception {
    Pid p = node.spawn(() -> {});
    assertThat(node.awaitExit(p, WAIT)).isEqualTo(ExitReason.NORMAL);
    node.send(p, "hello");
    assertThat(node.isAlive(p)).isFalse();
  }

  @Test
  void sendToAnUnregisteredNameFails() {
    assertThatThrownBy(() -> node.send(node.named("nobody"), "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nobody");
  }

  @Test
  void outsideAProcessOperationsExplainThemselves() {
    assertThatThrownBy(Process::self)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not inside a Weft process");
    assertThat(Process.current()).isEmpty();
  }

  @Test
  void processThatThrowsEndsWithErrorReason() throws Exception {
    Pid p =
        node.spawn(() -> {
          throw new IllegalStateException("boom");
        });
    ExitReason reason = node.awaitExit(p, WAIT);
    assertThat(reason).isInstanceOf(ExitReason.Error.class);
    assertThat(((ExitReason.Error) reason).cause()).hasMessage("boom");
  }

  @Test
  void exitWithReasonEndsTheCaller() throws Exception {
    Pid p =
        node.spawn(() -> {
          throw Process.exit(ExitReason.of("custom"));
        });
    assertThat(node.awaitExit(p, WAIT)).isEqualTo(ExitReason.of("custom"));
  }

  @Test
  void registeredNameResolvesAndIsReleasedOnExit() throws Exception {
    Pid p = node.spawn(() -> Process.receive(String.class));
    node.register("worker", p);
    assertThat(node.whereis("worker")).contains(p);
    assertThat(node.info(p).flatMap(ProcessInfo::name)).contains("worker");
    Pid other = node.spawn(() -> Process.receive(String.class));
    assertThatThrownBy(() -> node.register("worker", other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already registered");
    node.send(node.named("worker"), "stop");
    node.send(other, "stop");
    node.awaitExit(p, WAIT);
    assertThat(node.whereis("worker")).isEmpty();
  }

  @Test
  void processInfoShowsMailboxStatusAndLinks() {
    InProcess.run(
        node,
        () -> {
          Pid child = Process.spawnLink(() -> Process.receive(String.class));
          Process.send(child, 1);
          Process.send(child, 2);
          ProcessInfo info = await(child, i -> i.status() == ProcessStatus.WAITING);
          assertThat(info.mailboxLength()).isEqualTo(2);
          assertThat(info.links()).containsExactly(Process.self());
          assertThat(info.parent()).contains(Process.self());
          assertThat(node.processes()).extracting(ProcessInfo::pid).contains(child);
          Process.unlink(child);
          Process.exit(child, ExitReason.KILL);
        });
  }

  static ProcessInfo await(Pid pid, java.util.function.Predicate<ProcessInfo> cond) {
    // Polls process info (an observation from outside, not a synchronisation shortcut).
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ProcessInfo> info = Process.info(pid);
      if (info.isPresent() && cond.test(info.get())) {
        return info.get();
      }
      Thread.onSpinWait();
      Thread.yield();
    }
    throw new AssertionError("condition not met for " + pid);
  }

  @Test
  void sendAfterDeliversAndCancelReportsWhetherPending() {
    InProcess.run(
        node,
        () -> {
          Ref late = Process.sendAfter(Process.self(), "late", Duration.ofHours(1));
          assertThat(Process.cancelTimer(late)).isTrue();
          assertThat(Process.cancelTimer(late)).isFalse();
          Ref soon = Process.sendAfter(Process.self(), "soon", Duration.ofMillis(1));
          assertThat(Process.receive(String.class, WAIT)).contains("soon");
          assertThat(Process.cancelTimer(soon)).isFalse();
        });
  }

  @Test
  void aTimerThatFiresBeforeSendAfterReturnsStillDelivers() {
    // A zero delay lets the timer thread fire while sendAfter is still recording the timer (most
    // often on a node's first timer); the message was once lost when the timer won that race.
    for (int round = 0; round < 200; round++) {
      try (Node fresh = Node.start("timers-" + round)) {
        int r = round;
        InProcess.run(
            fresh,
            () -> {
              Process.sendAfter(Process.self(), "now", Duration.ZERO);
              assertThat(Process.receive(String.class, WAIT)).as("round %d", r).contains("now");
            });
      }
    }
  }

  @Test
  void sendIntervalRepeatsUntilCancelled() {
    InProcess.run(
        node,
        () -> {
          Ref tick = Process.sendInterval(Process.self(), "tick", Duration.ofMillis(1));
          for (int i = 0; i < 3; i++) {
            assertThat(Process.receive(String.class, WAIT)).contains("tick");
          }
          assertThat(Process.cancelTimer(tick)).isTrue();
        });
  }

  @Test
  void spawnMonitorDeliversDownForTheNewProcess() {
    InProcess.run(
        node,
        () -> {
          SpawnedMonitor sm =
              Process.spawnMonitor(() -> {
                throw Process.exit(ExitReason.of("done"));
              });
          Down down = Process.receive(Down.class, WAIT).orElseThrow();
          assertThat(down).isEqualTo(new Down(sm.ref(), sm.pid(), ExitReason.of("done")));
        });
  }

  @Test
  void unregisterFreesTheName() {
    InProcess.run(
        node,
        () -> {
          Process.register("me");
          assertThat(node.whereis("me")).contains(Process.self());
          assertThat(node.registered()).contains("me");
          assertThat(node.unregister("me")).isTrue();
          assertThat(node.unregister("me")).isFalse();
          assertThat(node.whereis("me")).isEmpty();
          Process.register("me");
        });
  }

  @Test
  void aPlainProcessLabelsWhatItRunsForIntrospection() throws Exception {
    var labelled = new java.util.concurrent.CountDownLatch(1);
    Pid pid =
        node.spawn(() -> {
          Process.label("Keeper(cache)");
          labelled.countDown();
          Process.receive(String.class);
        });
    labelled.await();
    assertThat(node.info(pid).orElseThrow().behaviour()).contains("Keeper(cache)");
    node.send(pid, "stop");
  }
}
