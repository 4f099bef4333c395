package weft.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.process.Exit;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.testing.InProcess;

/**
 * A process that links again to a linked partner while the partner is dying (a supervisor linking
 * to the child that its start function had already linked) must hear the partner's real reason, not
 * a noproc that overtakes it: a transient child stopped with {@code normal} right after it started
 * was restarted because the supervisor saw noproc first.
 */
class LinkDuringDeathTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final Node node = Node.start("link-death");

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void relinkingToALinkedPartnerThatIsDyingDeliversItsRealReasonFirst() throws Exception {
    InProcess.run(
        node,
        () -> {
          Process.trapExit(true);
          ProcessCore me = Kernel.core(Process.self());
          CountDownLatch relinked = new CountDownLatch(1);
          Pid child =
              Process.spawnLink(() -> {
                // Runs inside the child's death, after its exit reason is set and before its
                // links are signalled: the window the supervisor's link fell into.
                Kernel.core(Process.self())
                    .onExitCleanup(r -> {
                      me.deliver("dying");
                      try {
                        relinked.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    });
              });
          assertThat(Process.receive(String.class, WAIT)).contains("dying");
          Process.link(child);
          relinked.countDown();
          assertThat(Process.receive(Exit.class, WAIT))
              .contains(new Exit(child, ExitReason.NORMAL));
        });
  }

  @Test
  void aMonitorMadeWhileAProcessIsCleaningUpHearsOfItOnlyAfterTheCleanUp() throws Exception {
    InProcess.run(
        node,
        () -> {
          ProcessCore me = Kernel.core(Process.self());
          CountDownLatch cleaned = new CountDownLatch(1);
          java.util.concurrent.atomic.AtomicBoolean done =
              new java.util.concurrent.atomic.AtomicBoolean();
          Pid child =
              Process.spawn(() ->
                  Kernel.core(Process.self())
                      .onExitCleanup(r -> {
                        me.deliver("dying");
                        try {
                          cleaned.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        done.set(true);
                      }));
          assertThat(Process.receive(String.class, WAIT)).contains("dying");
          weft.process.Ref ref = Process.monitor(child);
          // The child is dead but still cleaning up: its Down must wait for the clean-up.
          assertThat(Process.receive(weft.process.Down.class, Duration.ofMillis(100))).isEmpty();
          cleaned.countDown();
          weft.process.Down down = Process.receive(weft.process.Down.class, WAIT).orElseThrow();
          assertThat(down.ref()).isEqualTo(ref);
          assertThat(done.get()).as("the clean-up had finished").isTrue();
        });
  }
}
