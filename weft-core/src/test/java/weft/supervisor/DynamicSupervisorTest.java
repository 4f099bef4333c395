package weft.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.process.Down;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.testing.InProcess;

class DynamicSupervisorTest {

  static final Duration WAIT = Duration.ofSeconds(10);
  private final Node node = Node.start("dyn");

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void startsChildrenOnDemandUpToMaxChildren() {
    InProcess.run(
        node,
        () -> {
          Pid me = Process.self();
          Pid sup =
              DynamicSupervisor.startLink(DynamicSupervisorOptions.defaults().withMaxChildren(2));
          Pid a = DynamicSupervisor.startChild(sup, Worker.spec("a", me));
          Pid b = DynamicSupervisor.startChild(sup, Worker.spec("b", me));
          assertThatThrownBy(() -> DynamicSupervisor.startChild(sup, Worker.spec("c", me)))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("max_children");
          assertThat(DynamicSupervisor.whichChildren(sup))
              .extracting(c -> c.pid().orElseThrow())
              .containsExactly(a, b);
          DynamicSupervisor.terminateChild(sup, a);
          assertThat(DynamicSupervisor.countChildren(sup).active()).isEqualTo(1);
          DynamicSupervisor.startChild(sup, Worker.spec("c", me));
        });
  }

  @Test
  void restartsPermanentChildrenAndDropsTemporaryOnes() {
    InProcess.run(
        node,
        () -> {
          Pid me = Process.self();
          Pid sup = DynamicSupervisor.startLink(DynamicSupervisorOptions.defaults());
          Pid p = DynamicSupervisor.startChild(sup, Worker.spec("p", me));
          Pid t =
              DynamicSupervisor.startChild(
                  sup, Worker.spec("t", me).withRestart(Restart.TEMPORARY));
          SupervisorTest.startedIds(2);
          Process.exit(p, ExitReason.KILL);
          Worker.Started again = SupervisorTest.started();
          assertThat(again.id()).isEqualTo("p");
          var ref = Process.monitor(t);
          Process.exit(t, ExitReason.KILL);
          Process.receive(Down.class, d -> d.ref() == ref, WAIT).orElseThrow();
          assertThat(DynamicSupervisor.whichChildren(sup))
              .extracting(c -> c.pid().orElseThrow())
              .containsExactly(again.pid());
        });
  }

  @Test
  void givesUpAfterTooManyRestarts() {
    InProcess.run(
        node,
        () -> {
          Pid me = Process.self();
          Pid sup =
              DynamicSupervisor.startLink(
                  DynamicSupervisorOptions.defaults().withIntensity(1, Duration.ofHours(1)));
          Process.unlink(sup);
          var ref = Process.monitor(sup);
          Pid w = DynamicSupervisor.startChild(sup, Worker.spec("w", me));
          SupervisorTest.started();
          Process.exit(w, ExitReason.KILL);
          Pid w2 = SupervisorTest.started().pid();
          Process.exit(w2, ExitReason.KILL);
          assertThat(Process.receive(Down.class, d -> d.ref() == ref, WAIT))
              .map(Down::reason)
              .contains(ExitReason.SHUTDOWN);
        });
  }
}
