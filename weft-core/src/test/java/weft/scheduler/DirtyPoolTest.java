package weft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.testing.InProcess;

class DirtyPoolTest {

  private static final Duration BOUND = Duration.ofSeconds(30);
  private final Node node = Node.start("dirty");
  private final DirtyPool pool = DirtyPool.create("test-dirty", 2);

  @AfterEach
  void stop() {
    node.close();
    pool.close();
  }

  @Test
  void workFromAProcessRunsOnAPlatformThreadAndActsForTheProcess() {
    InProcess.run(
        node,
        () -> {
          Pid self = Process.self();
          record Seen(boolean virtual, String thread, Pid self) {}
          Seen seen =
              pool.call(() ->
                  new Seen(
                      Thread.currentThread().isVirtual(),
                      Thread.currentThread().getName(),
                      Process.self()));
          assertThat(seen.virtual()).isFalse();
          assertThat(seen.thread()).startsWith("test-dirty-");
          assertThat(seen.self()).isEqualTo(self);
          assertThat(Process.current()).contains(self); // the process's own thread is unchanged
        });
  }

  @Test
  void whatTheWorkThrowsTheCallThrows() {
    InProcess.run(
        node,
        () ->
            assertThatThrownBy(() ->
                    pool.call(() -> {
                      throw new IOException("disk");
                    }))
                .isInstanceOf(IOException.class)
                .hasMessage("disk"));
  }

  @Test
  void workFromAPlatformThreadRunsOnThatThread() {
    Thread caller = Thread.currentThread();
    assertThat(pool.call(Thread::currentThread)).isSameAs(caller);
  }

  @Test
  void receiveIsRefusedInsideDirtyWork() {
    InProcess.run(
        node,
        () ->
            assertThatThrownBy(() -> pool.call(() -> Process.receive(Duration.ZERO)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dirty work"));
  }

  @Test
  void aProcessKilledWhileItWaitsEndsAtOnceAndTheWorkFinishesAlone() throws Exception {
    CountDownLatch inWork = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch workDone = new CountDownLatch(1);
    AtomicReference<Boolean> afterward = new AtomicReference<>();
    Pid waiter =
        node.spawn(() ->
            pool.call(() -> {
              inWork.countDown();
              release.await(BOUND.toSeconds(), TimeUnit.SECONDS);
              afterward.set(Process.current().map(Process::isAlive).orElse(true));
              workDone.countDown();
              return null;
            }));
    assertThat(inWork.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    node.exit(waiter, ExitReason.KILL);
    assertThat(node.awaitExit(waiter, BOUND)).isEqualTo(ExitReason.KILLED);
    release.countDown();
    assertThat(workDone.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(afterward.get()).as("the work can see that its process ended").isFalse();
  }

  @Test
  void atMostThreadsPiecesOfWorkRunAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(3);
    for (int i = 0; i < 3; i++) {
      node.spawn(() ->
          pool.call(() -> {
            started.countDown();
            release.await(BOUND.toSeconds(), TimeUnit.SECONDS);
            return null;
          }));
    }
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (started.getCount() > 1 || pool.queued() < 1) {
      assertThat(System.nanoTime()).as("two started, one queued").isLessThan(deadline);
      Thread.onSpinWait();
    }
    // Both threads are blocked in their work: the third cannot have started.
    assertThat(pool.busy()).isEqualTo(2);
    assertThat(pool.queued()).isEqualTo(1);
    assertThat(started.getCount()).isEqualTo(1);
    release.countDown();
    assertThat(started.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aClosedPoolRefusesWorkAndTheSizeIsChecked() {
    pool.close();
    InProcess.run(
        node,
        () ->
            assertThatThrownBy(() -> pool.call(() -> 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed"));
    assertThatThrownBy(() -> DirtyPool.create("x", 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
