package weft.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.genserver.GenServer;
import weft.genserver.StartException;
import weft.process.Down;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.process.ProcessBody;
import weft.testing.InProcess;

class SupervisorTest {

  static final Duration WAIT = Duration.ofSeconds(10);
  private final Node node = Node.start("sup");

  @AfterEach
  void stop() {
    node.close();
  }

  static Worker.Started started() {
    return Process.receive(Worker.Started.class, WAIT)
        .orElseThrow(() -> new AssertionError("no start"));
  }

  static List<String> startedIds(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(started().id());
    }
    return ids;
  }

  static List<String> stoppedIds(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(Process.receive(Worker.Stopped.class, WAIT).orElseThrow().id());
    }
    return ids;
  }

  private void test(ProcessBody body) {
    InProcess.run(node, body);
  }

  private static List<ChildSpec> abc(Pid observer) {
    return List.of(
        Worker.spec("a", observer), Worker.spec("b", observer), Worker.spec("c", observer));
  }

  private static Pid pidOf(Pid sup, String id) {
    return Supervisor.whichChildren(sup).stream()
        .filter(c -> c.id().equals(id))
        .findFirst()
        .orElseThrow()
        .pid()
        .orElseThrow();
  }

  @Test
  void childrenStartInOrderAndStopInReverseOrder() {
    test(() -> {
      Pid me = Process.self();
      Pid sup = Supervisor.startLink(SupervisorOptions.of(Strategy.ONE_FOR_ONE), abc(me));
      assertThat(startedIds(3)).containsExactly("a", "b", "c");
      Process.unlink(sup);
      GenServer.stop(sup, ExitReason.SHUTDOWN, WAIT);
      assertThat(stoppedIds(3)).containsExactly("c", "b", "a");
    });
  }

  @Test
  void oneForOneRestartsOnlyTheChildThatDied() {
    test(() -> {
      Pid sup =
          Supervisor.startLink(SupervisorOptions.of(Strategy.ONE_FOR_ONE), abc(Process.self()));
      startedIds(3);
      Pid b = pidOf(sup, "b");
      Process.exit(b, ExitReason.KILL);
      Worker.Started again = started();
      assertThat(again.id()).isEqualTo("b");
      assertThat(again.pid()).isNotEqualTo(b);
      assertThat(pidOf(sup, "b")).isEqualTo(again.pid());
      assertThat(Process.receive(Worker.Started.class, Duration.ofMillis(50))).isEmpty();
    });
  }

  @Test
  void oneForAllRestartsEveryChildInOrder() {
    test(() -> {
      Pid sup =
          Supervisor.startLink(SupervisorOptions.of(Strategy.ONE_FOR_ALL), abc(Process.self()));
      startedIds(3);
      Process.exit(pidOf(sup, "b"), ExitReason.KILL);
      assertThat(stoppedIds(2)).containsExactly("c", "a");
      assertThat(startedIds(3)).containsExactly("a", "b", "c");
    });
  }

  @Test
  void restForOneRestartsTheChildAndLaterSiblingsInOrder() {
    test(() -> {
      Pid sup =
          Supervisor.startLink(SupervisorOptions.of(Strategy.REST_FOR_ONE), abc(Process.self()));
      startedIds(3);
      Pid a = pidOf(sup, "a");
      Process.exit(pidOf(sup, "b"), ExitReason.KILL);
      assertThat(stoppedIds(1)).containsExactly("c");
      assertThat(startedIds(2)).containsExactly("b", "c");
      assertThat(pidOf(sup, "a")).isEqualTo(a);
    });
  }

  @Test
  void supervisorThatRestartsTooOftenExitsWithShutdown() {
    test(() -> {
      Pid sup =
          Supervisor.startLink(
              SupervisorOptions.of(Strategy.ONE_FOR_ONE).withIntensity(2, Duration.ofHours(1)),
              List.of(Worker.spec("a", Process.self())));
      Process.unlink(sup);
      var ref = Process.monitor(sup);
      Pid a = started().pid();
      for (int i = 0; i < 2; i++) {
        Process.exit(a, ExitReason.KILL);
        a = started().pid();
      }
      Process.exit(a, ExitReason.KILL);
      assertThat(Process.receive(Down.class, d -> d.ref() == ref, WAIT))
          .map(Down::reason)
          .contains(ExitReason.SHUTDOWN);
    });
  }

  @Test
  void escalationRestartsTheChildSupervisorThroughItsParent() {
    test(() -> {
      Pid me = Process.self();
      ChildSpec inner =
          ChildSpec.supervisor(
              "inner",
              () ->
                  Supervisor.startLink(
                      SupervisorOptions.of(Strategy.ONE_FOR_ONE)
                          .withIntensity(0, Duration.ofHours(1)),
                      List.of(Worker.spec("w", me))));
      Pid top = Supervisor.startLink(SupervisorOptions.of(Strategy.ONE_FOR_ONE), List.of(inner));
      Pid w = started().pid();
      Pid innerPid = pidOf(top, "inner");
      Process.exit(w, ExitReason.KILL);
      Pid w2 = started().pid();
      assertThat(w2).isNotEqualTo(w);
      assertThat(pidOf(top, "inner")).isNotEqualTo(innerPid);
      assertThat(Process.isAlive(innerPid)).isFalse();
    });
  }

  @Test
  void transientChildIsRestartedOnlyAfterAnAbnormalExit() {
    test(() -> {
      Pid me = Process.self();
      ChildSpec spec = Worker.spec("t", me).withRestart(Restart.TRANSIENT);
      Pid sup = Supervisor.startLink(SupervisorOptions.of(Strategy.ONE_FOR_ONE), List.of(spec));
      Pid t = started().pid();
      Process.exit(t, ExitReason.KILL);
      Pid t2 = started().pid();
      GenServer.stop(t2, ExitReason.NORMAL, WAIT);
      assertThat(Process.receive(Worker.Started.class, Duration.ofMillis(50))).isEmpty();
      assertThat(Supervisor.whichChildren(sup))
          .singleElement()
          .satisfies(c -> assertThat(c.pid()).isEmpty());
      assertThat(Supervisor.countChildren(sup)).isEqualTo(new ChildCounts(1, 0, 0, 1));
    });
  }

  @Test
  void temporaryChildIsNeverRestartedAndItsSpecIsRemoved() {
    test(() -> {
      ChildSpec spec = Worker.spec("tmp", Process.self()).withRestart(Restart.TEMPORARY);
      Pid sup = Supervisor.startLink(SupervisorOptions.of(Strategy.ONE_FOR_ONE), List.of(spec));
      Pid tmp = started().pid();
      Process.exit(tmp, ExitReason.KILL);
      assertThat(Process.receive(Worker.Started.class, Duration.ofMillis(50))).isEmpty();
      assertThat(Supervisor.whichChildren(sup)).isEmpty();
    });
  }

  @Test
  void childThatIgnoresShutdownIsKilledAfterItsTimeout() {
    test(() -> {
      Pid me = Process.self();
      ChildSpec stubborn =
          ChildSpec.worker(
                  "stubborn",
                  () ->
                      Process.spawnLink(() -> {
                        Process.trapExit(true);
                        Process.send(me, "ready");
                        Process.sleep(Process.INFINITY);
                      }))
              .withShutdown(Shutdown.timeout(Duration.ofMillis(50)));
      Pid sup = Supervisor.startLink(SupervisorOptions.of(Strategy.ONE_FOR_ONE), List.of(stubborn));
      Process.receive(String.class, WAIT);
      Pid child = pidOf(sup, "stubborn");
      var ref = Process.monitor(child);
      Supervisor.terminateChild(sup, "stubborn");
      assertThat(Process.receive(Down.class, d -> d.ref() == ref, WAIT))
          .map(Down::reason)
          .contains(ExitReason.KILLED);
    });
  }

  @Test
  void brutalKillKillsAtOnce() {
    test(() -> {
      ChildSpec spec = Worker.spec("w", Process.self()).withShutdown(Shutdown.brutalKill());
      Pid sup = Supervisor.startLink(SupervisorOptions.of(Strategy.ONE_FOR_ONE), List.of(spec));
      Pid w = started().pid();
      var ref = Process.monitor(w);
      Supervisor.terminateChild(sup, "w");
      assertThat(Process.receive(Down.class, d -> d.ref() == ref, WAIT))
          .map(Down::reason)
          .contains(ExitReason.KILLED);
      assertThat(Process.receive(Worker.Stopped.class, Duration.ofMillis(20))).isEmpty();
    });
  }

  @Test
  void terminateRestartDeleteAndStartChild() {
    test(() -> {
      Pid me = Process.self();
      Pid sup = Supervisor.startLink(SupervisorOptions.of(Strategy.ONE_FOR_ONE), abc(me));
      startedIds(3);
      Supervisor.terminateChild(sup, "b");
      assertThat(stoppedIds(1)).containsExactly("b");
      assertThatThrownBy(() -> Supervisor.deleteChild(sup, "a"))
          .isInstanceOf(IllegalStateException.class);
      Pid b = Supervisor.restartChild(sup, "b");
      assertThat(started().pid()).isEqualTo(b);
      assertThatThrownBy(() -> Supervisor.restartChild(sup, "b"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("running");
      Supervisor.terminateChild(sup, "b");
      Supervisor.deleteChild(sup, "b");
      assertThat(Supervisor.whichChildren(sup)).extracting(ChildInfo::id).containsExactly("a", "c");
      assertThatThrownBy(() -> Supervisor.terminateChild(sup, "b"))
          .isInstanceOf(NoSuchElementException.class);
      Pid d = Supervisor.startChild(sup, Worker.spec("d", me));
      assertThat(started().pid()).isEqualTo(d);
      assertThatThrownBy(() -> Supervisor.startChild(sup, Worker.spec("d", me)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already started");
      assertThat(Supervisor.countChildren(sup)).isEqualTo(new ChildCounts(3, 3, 0, 3));
    });
  }

  @Test
  void failedChildStartStopsEarlierChildrenAndFailsTheSupervisor() {
    test(() -> {
      Pid me = Process.self();
      ChildSpec bad =
          ChildSpec.worker(
              "bad",
              () -> {
                throw new IllegalStateException("cannot start");
              });
      assertThatThrownBy(() ->
              Supervisor.startLink(
                  SupervisorOptions.of(Strategy.ONE_FOR_ONE),
                  List.of(Worker.spec("a", me), bad, Worker.spec("c", me))))
          .isInstanceOfSatisfying(
              StartException.class,
              e -> assertThat(e.reason().toString()).contains("FailedToStartChild[id=bad"));
      assertThat(startedIds(1)).containsExactly("a");
      assertThat(stoppedIds(1)).containsExactly("a");
      assertThat(Process.receive(Worker.Started.class, Duration.ofMillis(20))).isEmpty();
    });
  }

  @Test
  void duplicateChildIdsAreRejectedUpFront() {
    assertThatThrownBy(() ->
            Supervisor.start(
                node,
                SupervisorOptions.of(Strategy.ONE_FOR_ONE),
                List.of(ChildSpec.worker("x", () -> null), ChildSpec.worker("x", () -> null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate child id x");
  }

  @Test
  void nodeStopShutsTopLevelSupervisorsDownInOrder() throws Exception {
    Node other = Node.start("other");
    java.util.concurrent.LinkedBlockingQueue<Object> seen =
        new java.util.concurrent.LinkedBlockingQueue<>();
    Pid observer =
        other.spawn(() -> {
          while (true) {
            seen.add(Process.receive());
          }
        });
    Pid sup = Supervisor.start(other, SupervisorOptions.of(Strategy.ONE_FOR_ONE), abc(observer));
    for (int i = 0; i < 3; i++) {
      assertThat(seen.poll(10, java.util.concurrent.TimeUnit.SECONDS))
          .isInstanceOf(Worker.Started.class);
    }
    other.stop(WAIT);
    assertThat(other.isAlive(sup)).isFalse();
    assertThat(other.processCount()).isZero();
  }
}
