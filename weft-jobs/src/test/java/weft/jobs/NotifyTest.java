package weft.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import weft.process.Node;
import weft.store.Store;
import weft.store.StoreConfig;
import weft.store.testing.TestPostgres;

/**
 * On PostgreSQL a job inserted on one node starts on another at once (LISTEN/NOTIFY), not at the
 * next poll.
 */
class NotifyTest {

  @Test
  void aNewJobWakesAnotherNodesQueueWithoutPolling() throws Exception {
    assumeTrue(TestPostgres.reachable(), TestPostgres.skipMessage("the LISTEN/NOTIFY test"));
    StoreConfig config = TestPostgres.freshSchema("weft_l_").withMigrations();
    String schema = config.schema();
    JobsTest.Ok ok = new JobsTest.Ok();
    CompletableFuture<JobEvent> completed = new CompletableFuture<>();
    try (Store storeA = Store.open(config);
        Store storeB = Store.open(config);
        Node nodeA = Node.start("a");
        Node nodeB = Node.start("b")) {
      Jobs inserter = Jobs.start(nodeA, storeA, JobsConfig.of("node-a", Map.of()), List.of(ok));
      // Node b polls once an hour: only a notification can start the job in time.
      Jobs runner =
          Jobs.start(
              nodeB,
              storeB,
              JobsConfig.of("node-b", Map.of("default", 2)).withPollInterval(Duration.ofHours(1)),
              List.of(ok),
              List.of(e -> {
                if (e.state() == JobState.COMPLETED) {
                  completed.complete(e);
                }
              }));
      long id = inserter.insert(JobSpec.of(ok, Map.of()));
      assertThat(completed.get(10, TimeUnit.SECONDS).id()).isEqualTo(id);
      runner.stop(Duration.ofSeconds(1));
      inserter.stop(Duration.ofSeconds(1));
    } finally {
      TestPostgres.dropSchema(schema);
    }
  }
}
