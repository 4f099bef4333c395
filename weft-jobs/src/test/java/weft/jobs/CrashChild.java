package weft.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import weft.process.Node;
import weft.store.Sql;
import weft.store.Store;
import weft.store.StoreConfig;

/**
 * The process the crash test kills: runs the jobs of a database until it is killed. Each job
 * records its effect in the {@code effects} table (idempotent work, counted by the test).
 * Arguments: the JDBC URL, then the PostgreSQL schema or "-".
 */
public final class CrashChild {

  private CrashChild() {}

  /** The recording worker. */
  static final class Record implements Worker {
    private final Store store;

    Record(Store store) {
      this.store = store;
    }

    @Override
    public JobResult perform(Job job) {
      store.transaction(c -> Sql.update(c, "insert into effects (job_id) values (?)", job.id()));
      return JobResult.ok();
    }

    @Override
    public String name() {
      return "record";
    }
  }

  /**
   * Runs until killed.
   *
   * @param args URL, schema or "-"
   * @throws Exception never in practice
   */
  public static void main(String[] args) throws Exception {
    StoreConfig config = StoreConfig.url(args[0]).withMigrations();
    if (!args[1].equals("-")) {
      config = config.withSchema(args[1]);
    }
    Store store = Store.open(config);
    Node node = Node.start("crash-child");
    Jobs.start(
        node,
        store,
        JobsConfig.of("crash-node", Map.of("default", 10)).withPollInterval(Duration.ofMillis(20)),
        List.of(new Record(store)));
    System.out.println("RUNNING");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE); // killed by the test with SIGKILL
  }
}
