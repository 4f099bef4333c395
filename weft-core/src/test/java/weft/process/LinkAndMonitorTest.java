package weft.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.testing.InProcess;

class LinkAndMonitorTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration BRIEF = Duration.ofMillis(30);
  private final Node node = Node.start("links");

  @AfterEach
  void stop() {
    node.close();
  }

  private static Down down(Ref ref) {
    return Process.receive(Down.class, d -> d.ref() == ref, WAIT).orElseThrow();
  }

  @Test
  void linkedProcessDiesWithItsPartner() {
    InProcess.run(
        node,
        () -> {
          Pid a = Process.spawn(() -> Process.receive(String.class));
          Pid b =
              Process.spawn(() -> {
                Process.link(a);
                Process.receive(String.class);
              });
          Ref rb = Process.monitor(b);
          // b is linked once it waits; wait for the link to show before crashing a.
          ProcessTest.await(b, i -> i.links().contains(a));
          Process.exit(a, ExitReason.of("boom"));
          assertThat(down(rb).reason()).isEqualTo(ExitReason.of("boom"));
        });
  }

  @Test
  void normalExitDoesNotKillALinkedProcess() {
    InProcess.run(
        node,
        () -> {
          Pid child = Process.spawnLink(() -> {});
          Ref ref = Process.monitor(child);
          assertThat(down(ref).reason()).isIn(ExitReason.NORMAL, ExitReason.NOPROC);
          assertThat(Process.receive(Duration.ofMillis(10))).isEmpty();
        });
  }

  @Test
  void trappingProcessGetsExitMessages() {
    InProcess.run(
        node,
        () -> {
          Process.trapExit(true);
          Pid child =
              Process.spawnLink(() -> {
                throw new IllegalStateException("child failed");
              });
          Exit exit = Process.receive(Exit.class, WAIT).orElseThrow();
          assertThat(exit.from()).isEqualTo(child);
          assertThat(exit.reason()).isInstanceOf(ExitReason.Error.class);
          Pid normal = Process.spawnLink(() -> {});
          assertThat(Process.receive(Exit.class, WAIT))
              .contains(new Exit(normal, ExitReason.NORMAL));
        });
  }

  @Test
  void killCannotBeTrapped() {
    InProcess.run(
        node,
        () -> {
          Pid trapper =
              Process.spawn(() -> {
                Process.trapExit(true);
                Process.sleep(Process.INFINITY);
              });
          Ref ref = Process.monitor(trapper);
          ProcessTest.await(trapper, ProcessInfo::trapExit);
          Process.exit(trapper, ExitReason.of("polite"));
          assertThat(Process.receive(Down.class, BRIEF)).isEmpty();
          Process.exit(trapper, ExitReason.KILL);
          assertThat(down(ref).reason()).isEqualTo(ExitReason.KILLED);
        });
  }

  @Test
  void killedReasonPropagatesOverLinksAsKilled() {
    InProcess.run(
        node,
        () -> {
          Process.trapExit(true);
          Pid child = Process.spawnLink(() -> Process.sleep(Process.INFINITY));
          Process.exit(child, ExitReason.KILL);
          assertThat(Process.receive(Exit.class, WAIT))
              .contains(new Exit(child, ExitReason.KILLED));
        });
  }

  @Test
  void linkingToADeadProcessSendsNoproc() {
    InProcess.run(
        node,
        () -> {
          Pid dead = Process.spawn(() -> {});
          Ref ref = Process.monitor(dead);
          down(ref);
          Process.trapExit(true);
          Process.link(dead);
          assertThat(Process.receive(Exit.class, WAIT)).contains(new Exit(dead, ExitReason.NOPROC));
        });
  }

  @Test
  void monitorDeliversExactlyOneDownWithTheReason() {
    InProcess.run(
        node,
        () -> {
          Pid p = Process.spawn(() -> Process.receive(String.class));
          Ref r1 = Process.monitor(p);
          Ref r2 = Process.monitor(p);
          Process.send(p, "go");
          assertThat(down(r1).reason()).isEqualTo(ExitReason.NORMAL);
          assertThat(down(r2).pid()).isEqualTo(p);
          assertThat(Process.receive(Down.class, BRIEF)).isEmpty();
        });
  }

  @Test
  void monitoringADeadProcessGivesNoprocAtOnce() {
    InProcess.run(
        node,
        () -> {
          Pid p = Process.spawn(() -> {});
          down(Process.monitor(p));
          assertThat(down(Process.monitor(p)).reason()).isEqualTo(ExitReason.NOPROC);
        });
  }

  @Test
  void demonitorWithFlushRemovesAnArrivedDown() {
    InProcess.run(
        node,
        () -> {
          Pid p = Process.spawn(() -> {});
          Ref ref = Process.monitor(p);
          Ref probe = Process.monitor(p);
          down(probe); // both Downs have arrived once this one has
          assertThat(Process.demonitor(ref, true)).isFalse();
          assertThat(Process.receive(Down.class, BRIEF)).isEmpty();
          Pid q = Process.spawn(() -> Process.receive(String.class));
          Ref active = Process.monitor(q);
          assertThat(Process.demonitor(active)).isTrue();
          Process.send(q, "stop");
          assertThat(Process.receive(Down.class, BRIEF)).isEmpty();
        });
  }

  @Test
  void exitNormalToOneselfEndsTheCaller() throws Exception {
    Pid p =
        node.spawn(() -> {
          Process.exit(Process.self(), ExitReason.NORMAL);
          throw new AssertionError("still running");
        });
    assertThat(node.awaitExit(p, WAIT)).isEqualTo(ExitReason.NORMAL);
  }

  @Test
  void killedProcessStuckOutsideReceiveIsDeadAtOnce() throws Exception {
    java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    Pid p =
        node.spawn(() -> {
          inside.countDown();
          try {
            never.await();
          } catch (InterruptedException e) {
            Process.send(Process.self(), "after kill"); // throws: the process is dead
          }
        });
    inside.await();
    node.exit(p, ExitReason.KILL);
    assertThat(node.awaitExit(p, WAIT)).isEqualTo(ExitReason.KILLED);
    assertThat(node.isAlive(p)).isFalse();
  }

  @Test
  void anExitCallbackThatThrowsDoesNotKeepTheDeathFromMonitorsAndLinks() throws Exception {
    try (weft.testing.Probe probe = weft.testing.Probe.start(node)) {
      Pid dying =
          node.spawn(() -> {
            Process.atExit(
                Process.self(),
                reason -> {
                  throw new IllegalStateException("a bad clean-up");
                });
            Process.receive(String.class);
          });
      probe.monitor(dying);
      probe.link(dying);
      node.send(dying, "go");
      assertThat(probe.expectDown(dying, Duration.ofSeconds(5))).isEqualTo(ExitReason.NORMAL);
      assertThat(probe.expectExit(dying, Duration.ofSeconds(5))).isEqualTo(ExitReason.NORMAL);
    }
  }
}
