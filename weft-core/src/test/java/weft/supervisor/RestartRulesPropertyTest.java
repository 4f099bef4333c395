package weft.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import weft.genserver.GenServer;
import weft.process.Down;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.process.Ref;
import weft.testing.InProcess;
import weft.testing.Seeds;

/**
 * Random supervisors (strategy, children with random restart types) lose a random child, killed or
 * stopped normally; the children stopped and started, and their order, must be exactly what OTP's
 * rules say.
 */
class RestartRulesPropertyTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void restartsFollowStrategyAndRestartType() {
    Seeds.forEach(0x0075, 40, this::runCase);
  }

  private void runCase(Random random) {
    Strategy strategy = Strategy.values()[random.nextInt(3)];
    int n = 1 + random.nextInt(5);
    List<Restart> restarts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      restarts.add(Restart.values()[random.nextInt(3)]);
    }
    int victim = random.nextInt(n);
    boolean kill = random.nextBoolean();
    ExitReason reason = kill ? ExitReason.KILLED : ExitReason.NORMAL;

    List<Object> expected = new ArrayList<>();
    List<String> expectedIds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expectedIds.add("c" + i);
    }
    if (!kill) {
      expected.add("stopped c" + victim);
    }
    if (restarts.get(victim).restarts(reason)) {
      List<Integer> affected =
          switch (strategy) {
            case ONE_FOR_ONE -> List.of(victim);
            case ONE_FOR_ALL -> range(0, n);
            case REST_FOR_ONE -> range(victim, n);
          };
      for (int i : affected.reversed()) {
        if (i != victim) {
          expected.add("stopped c" + i);
        }
      }
      for (int i : affected) {
        if (i != victim && restarts.get(i) == Restart.TEMPORARY) {
          expectedIds.remove("c" + i);
        } else {
          expected.add("started c" + i);
        }
      }
    } else if (restarts.get(victim) == Restart.TEMPORARY) {
      expectedIds.remove("c" + victim);
    }

    try (Node node = Node.start("rules")) {
      InProcess.run(
          node,
          () -> {
            Pid me = Process.self();
            List<ChildSpec> specs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
              specs.add(Worker.spec("c" + i, me).withRestart(restarts.get(i)));
            }
            Pid sup =
                Supervisor.startLink(
                    SupervisorOptions.of(strategy).withIntensity(100, Duration.ofHours(1)), specs);
            List<Pid> pids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
              pids.add(Process.receive(Worker.Started.class, WAIT).orElseThrow().pid());
            }
            Pid target = pids.get(victim);
            Ref ref = Process.monitor(target);
            if (kill) {
              Process.exit(target, ExitReason.KILL);
            } else {
              GenServer.stop(target, ExitReason.NORMAL, WAIT);
            }
            Process.receive(Down.class, d -> d.ref() == ref, WAIT).orElseThrow();
            // The supervisor got the Exit before our Down; this call is handled after it.
            List<ChildInfo> children = Supervisor.whichChildren(sup);
            List<Object> seen = new ArrayList<>();
            while (true) {
              var m =
                  Process.receive(
                      o -> o instanceof Worker.Started || o instanceof Worker.Stopped,
                      Duration.ZERO);
              if (m.isEmpty()) {
                break;
              }
              seen.add(
                  switch (m.get()) {
                    case Worker.Started s -> "started " + s.id();
                    case Worker.Stopped s -> "stopped " + s.id();
                    default -> throw new AssertionError(m.get());
                  });
            }
            assertThat(seen)
                .as("%s %s, victim c%d %s", strategy, restarts, victim, kill ? "killed" : "stopped")
                .containsExactlyElementsOf(expected);
            assertThat(children).extracting(ChildInfo::id).containsExactlyElementsOf(expectedIds);
          });
    }
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(i);
    }
    return out;
  }
}
