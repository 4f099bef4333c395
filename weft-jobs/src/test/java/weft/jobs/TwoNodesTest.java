package weft.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import weft.process.Node;
import weft.store.Sql;
import weft.store.Store;
import weft.store.StoreConfig;
import weft.store.testing.TestPostgres;

/** Two nodes on one PostgreSQL database share a queue: no job runs twice, all complete. */
class TwoNodesTest {

  private static final int JOBS = 500;

  /** Records which node ran each job and whether two attempts of one job ever overlapped. */
  static final class Tally implements Worker {
    final Map<Long, AtomicInteger> runs;
    final Set<Long> running;
    final AtomicInteger overlaps;
    final Map<String, AtomicInteger> perNode;
    final String node;
    final Store store;

    Tally(
        String node,
        Store store,
        Map<Long, AtomicInteger> runs,
        Set<Long> running,
        AtomicInteger overlaps,
        Map<String, AtomicInteger> perNode) {
      this.node = node;
      this.store = store;
      this.runs = runs;
      this.running = running;
      this.overlaps = overlaps;
      this.perNode = perNode;
    }

    @Override
    public JobResult perform(Job job) {
      if (!running.add(job.id())) {
        overlaps.incrementAndGet();
      }
      try {
        store.transaction(c -> Sql.one(c, "select 1", rs -> rs.getInt(1))); // some real work
        runs.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
        perNode.computeIfAbsent(node, k -> new AtomicInteger()).incrementAndGet();
      } finally {
        running.remove(job.id());
      }
      return JobResult.ok();
    }

    @Override
    public String name() {
      return "tally";
    }
  }

  @Test
  void twoNodesShareAQueueWithoutRunningAJobTwice() throws Exception {
    assumeTrue(TestPostgres.reachable(), TestPostgres.skipMessage("the two-node test"));
    StoreConfig config = TestPostgres.freshSchema("weft_n_").withMigrations();
    String schema = config.schema();
    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    Set<Long> running = ConcurrentHashMap.newKeySet();
    AtomicInteger overlaps = new AtomicInteger();
    Map<String, AtomicInteger> perNode = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(JOBS);
    List<AutoCloseable> toClose = new ArrayList<>();
    try {
      List<Jobs> nodes = new ArrayList<>();
      for (String name : List.of("node-a", "node-b")) {
        Store store = Store.open(config);
        Node node = Node.start(name);
        Jobs jobs =
            Jobs.start(
                node,
                store,
                JobsConfig.of(name, Map.of("default", 8)).withPollInterval(Duration.ofMillis(20)),
                List.of(new Tally(name, store, runs, running, overlaps, perNode)),
                List.of(e -> {
                  if (e.state() == JobState.COMPLETED) {
                    done.countDown();
                  }
                }));
        nodes.add(jobs);
        toClose.add(store);
        toClose.add(node);
        toClose.add(jobs);
      }
      for (int i = 0; i < JOBS; i++) {
        nodes
            .get(i % 2)
            .insert(JobSpec.of(new Tally("x", null, null, null, null, null), Map.of("i", i)));
      }
      assertThat(done.await(2, TimeUnit.MINUTES)).as("all jobs completed").isTrue();
      assertThat(runs).hasSize(JOBS);
      assertThat(runs.values()).allMatch(n -> n.get() == 1);
      assertThat(overlaps).hasValue(0);
      assertThat(perNode.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(JOBS);
    } finally {
      for (AutoCloseable c : toClose.reversed()) {
        c.close();
      }
      TestPostgres.dropSchema(schema);
    }
  }
}
