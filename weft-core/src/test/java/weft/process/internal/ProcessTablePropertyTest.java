package weft.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import weft.process.Node;
import weft.testing.Seeds;

/**
 * The process table under concurrent adds and removes in id order, as spawns and exits make them:
 * it lists exactly the live processes, and holds no chunk once every process of it has ended.
 */
class ProcessTablePropertyTest {

  @Test
  void listsTheLiveProcessesAndDropsEmptyChunks() {
    try (Node node = Node.start("table")) {
      Kernel kernel = Kernel.core(node.spawn(() -> {})).kernel();
      Seeds.forEach(
          0x7ab1_e000L,
          30,
          random -> {
            ProcessTable table = new ProcessTable();
            int n = 1 + random.nextInt(20_000);
            long base = random.nextInt(1 << 20);
            List<ProcessCore> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
              all.add(new ProcessCore(kernel, base + i, null));
            }
            Set<ProcessCore> live = ConcurrentHashMap.newKeySet();
            int threads = 1 + random.nextInt(3);
            long seed = random.nextLong();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
              int from = t * n / threads;
              int to = (t + 1) * n / threads;
              java.util.Random r = new java.util.Random(seed + t);
              workers.add(
                  Thread.ofPlatform()
                      .start(() -> {
                        for (int i = from; i < to; i++) {
                          table.add(all.get(i));
                          live.add(all.get(i));
                          if (r.nextInt(3) > 0) {
                            ProcessCore gone = all.get(from + r.nextInt(i - from + 1));
                            if (live.remove(gone)) {
                              table.remove(gone);
                            }
                          }
                        }
                      }));
            }
            for (Thread w : workers) {
              try {
                w.join();
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
            }
            assertThat(new HashSet<>(table.list())).isEqualTo(live);
            assertThat(table.size()).isEqualTo(live.size());
            for (ProcessCore p : live) {
              table.remove(p);
            }
            assertThat(table.list()).isEmpty();
            // Only chunks at either end of the range, which not every id reached, may remain.
            assertThat(table.chunks()).isLessThanOrEqualTo(2);
          });
    }
  }
}
