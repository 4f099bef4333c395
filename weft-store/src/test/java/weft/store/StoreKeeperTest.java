package weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import weft.process.Node;
import weft.process.Pid;
import weft.supervisor.Strategy;
import weft.supervisor.Supervisor;
import weft.supervisor.SupervisorOptions;

class StoreKeeperTest {

  @TempDir Path dir;
  private final Node node = Node.start("keeper");

  @AfterEach
  void stop() {
    node.close();
  }

  /** Waits, up to 10 s, for the keeper's next checks to see what is expected. */
  private static void awaitHealthy(Store store, boolean expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (store.healthy() != expected) {
      assertThat(System.nanoTime()).as("healthy() never became " + expected).isLessThan(deadline);
      Thread.sleep(5); // observing another process's periodic check, bounded by the deadline
    }
  }

  @Test
  void theKeeperRunsSupervisedAndNoticesADatabaseThatStopsAnswering() throws Exception {
    Store store = Store.open(StoreConfig.sqlite(dir.resolve("k.db")));
    Pid sup =
        Supervisor.start(
            node,
            SupervisorOptions.of(Strategy.ONE_FOR_ONE),
            List.of(store.childSpec(Duration.ofMillis(20))));
    assertThat(Supervisor.whichChildren(sup).getFirst().id()).isEqualTo("store");
    assertThat(node.info(Supervisor.whichChildren(sup).getFirst().pid().orElseThrow()))
        .get()
        .satisfies(i -> assertThat(i.behaviour()).contains("Store(SQLITE)"));
    awaitHealthy(store, true);
    store.close(); // the pool refuses connections from now on
    awaitHealthy(store, false);
    assertThat(node.isAlive(sup)).isTrue();
  }
}
