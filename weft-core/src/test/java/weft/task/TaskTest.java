package weft.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.process.Exit;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.testing.InProcess;

class TaskTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final Node node = Node.start("task");

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void asyncAwaitReturnsTheValue() {
    InProcess.run(
        node,
        () -> {
          Task<Integer> a = Task.async(() -> 6 * 7);
          Task<String> b = Task.async(() -> "hi");
          assertThat(a.await(WAIT)).isEqualTo(42);
          assertThat(b.await(WAIT)).isEqualTo("hi");
          assertThat(Process.receive(Duration.ZERO)).isEmpty();
        });
  }

  @Test
  void awaitTimeoutKillsTheTask() {
    InProcess.run(
        node,
        () -> {
          Task<Integer> slow =
              Task.async(() -> {
                Process.sleep(Process.INFINITY);
                return 1;
              });
          assertThatThrownBy(() -> slow.await(Duration.ofMillis(20)))
              .isInstanceOfSatisfying(
                  TaskException.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.TIMEOUT));
          assertThat(Process.isAlive(slow.pid())).isFalse();
          assertThat(Process.isAlive(Process.self())).isTrue();
        });
  }

  @Test
  void yieldLeavesAnUnfinishedTaskRunning() {
    InProcess.run(
        node,
        () -> {
          Task<String> t =
              Task.async(() -> {
                Process.receive(String.class);
                return "done";
              });
          assertThat(t.yield(Duration.ofMillis(5))).isEmpty();
          Process.send(t.pid(), "go");
          assertThat(t.await(WAIT)).isEqualTo("done");
        });
  }

  @Test
  void crashingLinkedTaskReachesATrappingCaller() {
    InProcess.run(
        node,
        () -> {
          Process.trapExit(true);
          Task<Integer> t =
              Task.async(() -> {
                throw new IllegalStateException("bad");
              });
          assertThatThrownBy(() -> t.await(WAIT)).isInstanceOf(TaskException.class);
          assertThat(Process.receive(Exit.class, WAIT)).map(Exit::from).contains(t.pid());
        });
  }

  @Test
  void supervisedTasksDoNotTakeTheCallerDown() {
    Pid sup = TaskSupervisor.start(node, "tasks");
    InProcess.run(
        node,
        () -> {
          Task<Integer> ok = TaskSupervisor.asyncNolink(node.named("tasks"), () -> 1);
          Task<Integer> bad =
              TaskSupervisor.asyncNolink(
                  sup,
                  () -> {
                    throw new IllegalArgumentException("nope");
                  });
          assertThat(ok.await(WAIT)).isEqualTo(1);
          assertThatThrownBy(() -> bad.await(WAIT))
              .isInstanceOfSatisfying(
                  TaskException.class, e -> assertThat(e.getCause()).hasMessage("nope"));
          Pid me = Process.self();
          TaskSupervisor.startChild(sup, () -> Process.send(me, "fired"));
          assertThat(Process.receive(String.class, WAIT)).contains("fired");
        });
  }

  @Test
  void asyncStreamKeepsOrderAndBoundsConcurrency() {
    InProcess.run(
        node,
        () -> {
          AtomicInteger running = new AtomicInteger();
          AtomicInteger peak = new AtomicInteger();
          List<Integer> inputs = IntStream.range(0, 40).boxed().toList();
          List<TaskResult<Integer>> results =
              Task.asyncStream(
                      node,
                      inputs,
                      i -> {
                        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                        Thread.yield();
                        running.decrementAndGet();
                        return i * i;
                      },
                      StreamOptions.defaults().withMaxConcurrency(3))
                  .toList();
          assertThat(results)
              .containsExactlyElementsOf(
                  inputs.stream()
                      .map(i -> (TaskResult<Integer>) new TaskResult.Ok<>(i * i))
                      .toList());
          assertThat(peak.get()).isBetween(1, 3);
        });
  }

  @Test
  void unorderedAsyncStreamYieldsInCompletionOrder() {
    InProcess.run(
        node,
        () -> {
          // Task 0 finishes only after the consumer has taken a result: that must be task 1's.
          java.util.concurrent.CountDownLatch firstTaken =
              new java.util.concurrent.CountDownLatch(1);
          List<Integer> order =
              Task.asyncStream(
                      node,
                      List.of(0, 1),
                      i -> {
                        if (i == 0) {
                          try {
                            firstTaken.await();
                          } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                          }
                        }
                        return i;
                      },
                      StreamOptions.defaults().withMaxConcurrency(2).withOrdered(false))
                  .map(r -> {
                    firstTaken.countDown();
                    return ((TaskResult.Ok<Integer>) r).value();
                  })
                  .toList();
          assertThat(order).containsExactly(1, 0);
        });
  }

  @Test
  void asyncStreamTimeoutKillsTheTaskOrFailsTheStream() {
    InProcess.run(
        node,
        () -> {
          StreamOptions opts =
              StreamOptions.defaults()
                  .withMaxConcurrency(2)
                  .withTimeout(Duration.ofMillis(50), StreamOptions.OnTimeout.KILL_TASK);
          List<TaskResult<Integer>> results =
              Task.asyncStream(
                      node,
                      List.of(1, 2),
                      i -> {
                        if (i == 2) {
                          Process.sleep(Process.INFINITY);
                        }
                        return i;
                      },
                      opts)
                  .toList();
          assertThat(results)
              .containsExactly(new TaskResult.Ok<>(1), new TaskResult.Exited<>(ExitReason.TIMEOUT));
          assertThatThrownBy(() ->
                  Task.asyncStream(
                          node,
                          List.of(1),
                          i -> {
                            Process.sleep(Process.INFINITY);
                            return i;
                          },
                          opts.withTimeout(Duration.ofMillis(20), StreamOptions.OnTimeout.EXIT))
                      .toList())
              .isInstanceOf(TaskException.class);
        });
  }
}
