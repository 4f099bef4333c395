package weft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.genserver.CallResult;
import weft.genserver.From;
import weft.genserver.GenServer;
import weft.genserver.InitResult;
import weft.genserver.StartOptions;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.testing.InProcess;

/** A GenServer whose handleCall never returns does not stop other GenServers from answering. */
class LoopingGenServerTest {

  private final Node node = Node.start("looping");

  @AfterEach
  void stop() {
    node.close();
  }

  record Spin() {}

  record Echo(int n) {}

  static volatile long sink;

  /** Loops forever in handleCall: only yield points let others have the carrier. */
  static final class Stuck implements GenServer<Long, Spin> {
    private final CountDownLatch looping;

    Stuck(CountDownLatch looping) {
      this.looping = looping;
    }

    @Override
    public InitResult<Long> init() {
      return InitResult.ok(0L);
    }

    @Override
    public CallResult<Long> handleCall(Spin request, From from, Long state) {
      looping.countDown();
      long n = state;
      while (true) {
        n = n * 31 + 1;
        if (n == 0) {
          sink = n;
        }
      }
    }
  }

  static final class Echoing implements GenServer<Integer, Echo> {
    @Override
    public InitResult<Integer> init() {
      return InitResult.ok(0);
    }

    @Override
    public CallResult<Integer> handleCall(Echo request, From from, Integer count) {
      return CallResult.reply(request.n(), count + 1);
    }
  }

  @Test
  void aGenServerLoopingInHandleCallDoesNotStopOthersFromAnsweringCalls() throws Exception {
    int stuck = 2 * Scheduler.options().parallelism();
    CountDownLatch looping = new CountDownLatch(stuck);
    Pid echo = GenServer.start(node, new Echoing(), StartOptions.defaults());
    for (int i = 0; i < stuck; i++) {
      Pid server = GenServer.start(node, new Stuck(looping), StartOptions.defaults());
      // Each stuck server gets its call from a client of its own, which waits for ever.
      node.spawn(() -> GenServer.call(server, new Spin(), Process.INFINITY));
    }
    assertThat(looping.await(30, TimeUnit.SECONDS)).as("every stuck server is looping").isTrue();
    System.err.println("DEBUG " + Scheduler.stats() + " " + Scheduler.mode());
    InProcess.run(
        node,
        () -> {
          for (int i = 0; i < 100; i++) {
            int answer = GenServer.call(echo, new Echo(i), Duration.ofSeconds(20));
            assertThat(answer).isEqualTo(i);
          }
        });
  }
}
