package weft.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import weft.testing.InProcess;
import weft.testing.Seeds;

/**
 * Exit signals through random link graphs: a crash kills exactly the processes reachable from the
 * crashed one through links without passing a process that traps exits; trapping processes survive
 * and receive an {@link Exit}. A normal exit kills nobody.
 */
class ExitPropagationPropertyTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  record LinkTo(List<Pid> pids, Pid ack) {}

  record Crash(ExitReason reason) {}

  @Test
  void crashKillsExactlyTheNonTrappingComponent() {
    Seeds.forEach(0xE417, 60, this::runCase);
  }

  private void runCase(Random random) {
    Node node = Node.start("prop");
    try {
      int n = 2 + random.nextInt(11);
      boolean[] traps = new boolean[n];
      List<Set<Integer>> edges = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        traps[i] = random.nextInt(4) == 0;
        edges.add(new HashSet<>());
      }
      int edgeCount = random.nextInt(n * 2);
      for (int e = 0; e < edgeCount; e++) {
        int a = random.nextInt(n);
        int b = random.nextInt(n);
        if (a != b) {
          edges.get(a).add(b);
          edges.get(b).add(a);
        }
      }
      int origin = random.nextInt(n);
      ExitReason reason = random.nextInt(5) == 0 ? ExitReason.NORMAL : ExitReason.of("boom");

      InProcess.run(
          node,
          () -> {
            List<Pid> pids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
              boolean trap = traps[i];
              pids.add(
                  Process.spawn(() -> {
                    Process.trapExit(trap);
                    LinkTo links = Process.receive(LinkTo.class);
                    links.pids().forEach(Process::link);
                    Process.send(links.ack(), "linked");
                    Crash crash = Process.receive(Crash.class);
                    if (!(crash.reason() instanceof ExitReason.Normal)) {
                      throw Process.exit(crash.reason());
                    }
                  }));
            }
            Map<Ref, Integer> monitors = new HashMap<>();
            for (int i = 0; i < n; i++) {
              monitors.put(Process.monitor(pids.get(i)), i);
              int self = i;
              List<Pid> targets =
                  edges.get(i).stream().filter(j -> j > self).map(pids::get).toList();
              Process.send(pids.get(i), new LinkTo(targets, Process.self()));
            }
            for (int i = 0; i < n; i++) {
              assertThat(Process.receive(String.class, WAIT)).contains("linked");
            }

            Set<Integer> expectedDead = new HashSet<>(Set.of(origin));
            if (!reason.isNormal()) {
              ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(origin));
              while (!queue.isEmpty()) {
                for (int next : edges.get(queue.poll())) {
                  if (!traps[next] && expectedDead.add(next)) {
                    queue.add(next);
                  }
                }
              }
            }
            Process.send(pids.get(origin), new Crash(reason));
            for (int k = 0; k < expectedDead.size(); k++) {
              Down down = Process.receive(Down.class, WAIT).orElseThrow();
              int who = monitors.get(down.ref());
              assertThat(expectedDead).as("died: %d", who).contains(who);
              assertThat(down.reason()).isEqualTo(reason);
            }
            // Exit signals travel synchronously inside the dying process's clean-up, before
            // its monitors fire: once every expected Down is here, no other death can follow.
            assertThat(Process.receive(Down.class, Duration.ZERO)).isEmpty();
            for (int i = 0; i < n; i++) {
              assertThat(Process.isAlive(pids.get(i)))
                  .as("process %d (trap=%s)", i, traps[i])
                  .isEqualTo(!expectedDead.contains(i));
            }
          });
    } finally {
      node.stop(Duration.ZERO); // survivors that trap exits are killed at once
    }
  }
}
