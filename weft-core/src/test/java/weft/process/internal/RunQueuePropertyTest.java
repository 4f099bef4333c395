package weft.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import weft.testing.Seeds;

/**
 * A carrier's run queue under its one producer and racing consumers: every task is taken exactly
 * once, and each consumer sees tasks in the order they were offered.
 */
class RunQueuePropertyTest {

  record Task(int n) implements Runnable {
    @Override
    public void run() {}
  }

  @Test
  void everyTaskIsTakenOnceAndInOrder() throws Exception {
    Seeds.forEach(
        0x5eed_0e0eL,
        40,
        random -> {
          int tasks = 1 + random.nextInt(20_000);
          int consumers = 1 + random.nextInt(3);
          RunQueue q = new RunQueue();
          ConcurrentLinkedQueue<Task> spilled = new ConcurrentLinkedQueue<>();
          AtomicBoolean producing = new AtomicBoolean(true);
          AtomicInteger taken = new AtomicInteger();
          BitSet seen = new BitSet(tasks);
          List<Thread> threads = new ArrayList<>();
          List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
          for (int c = 0; c < consumers; c++) {
            threads.add(
                Thread.ofPlatform()
                    .start(() -> {
                      int last = -1;
                      while (producing.get() || !q.isEmpty()) {
                        Runnable r = q.poll();
                        if (r == null) {
                          Thread.onSpinWait();
                          continue;
                        }
                        int n = ((Task) r).n();
                        if (n <= last) {
                          problems.add("out of order: " + n + " after " + last);
                        }
                        last = n;
                        synchronized (seen) {
                          if (seen.get(n)) {
                            problems.add("taken twice: " + n);
                          }
                          seen.set(n);
                        }
                        taken.incrementAndGet();
                      }
                    }));
          }
          int pauseEvery = 1 + random.nextInt(500);
          for (int i = 0; i < tasks; i++) {
            Task t = new Task(i);
            if (!q.offer(t)) {
              spilled.add(t); // full: the scheduler would use the global queue
            }
            if (i % pauseEvery == 0) {
              Thread.onSpinWait();
            }
          }
          producing.set(false);
          for (Thread t : threads) {
            try {
              t.join();
            } catch (InterruptedException e) {
              throw new AssertionError(e);
            }
          }
          assertThat(problems).isEmpty();
          assertThat(taken.get() + spilled.size()).isEqualTo(tasks);
          for (Task t : spilled) {
            assertThat(seen.get(t.n())).isFalse();
          }
        });
  }
}
