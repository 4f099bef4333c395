package weft.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import weft.jobs.Job;
import weft.jobs.JobResult;
import weft.jobs.JobSpec;
import weft.jobs.JobState;
import weft.jobs.Jobs;
import weft.jobs.JobsConfig;
import weft.jobs.Worker;
import weft.process.Node;
import weft.store.Sql;
import weft.store.Store;
import weft.store.StoreConfig;
import weft.store.testing.TestPostgres;

/**
 * The job queue end to end: jobs per second (insert, fetch, run an empty worker, complete) at
 * concurrency 10 and 100, and the latency from insert to start, on SQLite and PostgreSQL. The
 * baseline is the same rows inserted and updated (to executing, then completed) by plain JDBC on
 * one thread, in the same run. PostgreSQL rows are skipped, with a message, when it cannot be
 * reached ({@link TestPostgres#url()}). Writes {@code jobs.csv}, {@code jobs.json} and {@code
 * jobs.png}.
 */
public final class JobsBench {

  private static final int JOBS = 5_000;
  private static final int LATENCY_SAMPLES = 200;

  private JobsBench() {}

  /** The empty worker. */
  static final class Empty implements Worker {
    @Override
    public JobResult perform(Job job) {
      return JobResult.ok();
    }

    @Override
    public String name() {
      return "empty";
    }
  }

  /**
   * Runs the benchmark.
   *
   * @param args the output directory (optional)
   * @throws Exception if it fails
   */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/results");
    List<Result> results = new ArrayList<>();
    List<String> engines = new ArrayList<>(List.of("sqlite"));
    if (TestPostgres.reachable()) {
      engines.add("postgres");
    } else {
      System.out.println(TestPostgres.skipMessage("the PostgreSQL rows"));
    }
    for (String engine : engines) {
      double baseline = withStore(engine, JobsBench::plainJdbc);
      for (int concurrency : new int[] {10, 100}) {
        double rate = withStore(engine, store -> throughput(store, concurrency));
        results.add(
            new Result(
                "jobs/s " + engine + " c=" + concurrency,
                "jobs/s",
                true,
                rate,
                baseline,
                "plain JDBC rows"));
      }
      double latency = withStore(engine, JobsBench::insertToStart);
      double floor = withStore(engine, JobsBench::plainRoundTrip);
      results.add(
          new Result(
              "insert-to-start " + engine + (engine.equals("postgres") ? " (NOTIFY)" : ""),
              "ms",
              false,
              latency,
              floor,
              "plain JDBC insert+update"));
    }
    Reports.publish(out, "jobs", results, JOBS + " jobs per run");
  }

  @FunctionalInterface
  private interface Run {
    double on(Store store) throws Exception;
  }

  private static double withStore(String engine, Run run) throws Exception {
    Path dir = Files.createTempDirectory("weft-jobs-bench");
    String schema = null;
    StoreConfig config;
    if (engine.equals("sqlite")) {
      config = StoreConfig.sqlite(dir.resolve("bench.db")).withMigrations();
    } else {
      config = TestPostgres.freshSchema("weft_b_").withMigrations().withPoolSize(20);
      schema = config.schema();
    }
    try (Store store = Store.open(config)) {
      return run.on(store);
    } finally {
      if (schema != null) {
        TestPostgres.dropSchema(schema);
      }
    }
  }

  private static double throughput(Store store, int concurrency) throws Exception {
    try (Node node = Node.start("jobs-bench")) {
      CountDownLatch done = new CountDownLatch(JOBS);
      Jobs jobs =
          Jobs.start(
              node,
              store,
              JobsConfig.of("bench", Map.of("default", concurrency)),
              List.of(new Empty()),
              List.of(e -> {
                if (e.state() == JobState.COMPLETED) {
                  done.countDown();
                }
              }));
      JobSpec spec = JobSpec.of(new Empty(), Map.of());
      long t0 = System.nanoTime();
      jobs.insertAll(java.util.Collections.nCopies(JOBS, spec));
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("jobs did not complete");
      }
      double rate = JOBS / ((System.nanoTime() - t0) / 1e9);
      jobs.stop(Duration.ofSeconds(5));
      return rate;
    }
  }

  private static double insertToStart(Store store) throws Exception {
    try (Node node = Node.start("latency-bench")) {
      Map<Long, Long> started = new ConcurrentHashMap<>();
      Jobs runner =
          Jobs.start(
              node,
              store,
              JobsConfig.of("runner", Map.of("default", 10)),
              List.of(new Empty()),
              List.of(e -> {
                if (e.state() == JobState.EXECUTING) {
                  started.putIfAbsent(e.id(), System.nanoTime());
                }
              }));
      // Insert from a second instance with no queues: on PostgreSQL the runner learns of each job
      // by NOTIFY; on SQLite (one node) by its next poll or a local insert's wake.
      Jobs inserter =
          store.kind() == StoreConfig.Kind.POSTGRES
              ? Jobs.start(node, store, JobsConfig.of("inserter", Map.of()), List.of(new Empty()))
              : runner;
      double[] ms = new double[LATENCY_SAMPLES];
      for (int i = 0; i < LATENCY_SAMPLES; i++) {
        long t0 = System.nanoTime();
        long id = inserter.insert(JobSpec.of(new Empty(), Map.of("i", i)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!started.containsKey(id)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("job " + id + " did not start");
          }
          Thread.onSpinWait();
        }
        ms[i] = (started.get(id) - t0) / 1e6;
      }
      if (inserter != runner) {
        inserter.stop(Duration.ofSeconds(1));
      }
      runner.stop(Duration.ofSeconds(5));
      Arrays.sort(ms);
      return ms[LATENCY_SAMPLES / 2];
    }
  }

  /** The same rows by hand: inserted in one transaction, then each set executing and completed. */
  private static double plainJdbc(Store store) throws SQLException {
    createPlain(store);
    long t0 = System.nanoTime();
    store.transaction(c -> {
      try (PreparedStatement ps =
          c.prepareStatement("insert into plain_jobs (state, args) values ('available', '{}')")) {
        for (int i = 0; i < JOBS; i++) {
          ps.executeUpdate();
        }
      }
      return null;
    });
    for (int id = 1; id <= JOBS; id++) {
      int row = id;
      store.transaction(
          c -> Sql.update(c, "update plain_jobs set state = 'executing' where id = ?", row));
      store.transaction(
          c -> Sql.update(c, "update plain_jobs set state = 'completed' where id = ?", row));
    }
    return JOBS / ((System.nanoTime() - t0) / 1e9);
  }

  private static double plainRoundTrip(Store store) throws SQLException {
    createPlain(store);
    double[] ms = new double[LATENCY_SAMPLES];
    for (int i = 0; i < LATENCY_SAMPLES; i++) {
      long t0 = System.nanoTime();
      store.transaction(
          c -> Sql.update(c, "insert into plain_jobs (state, args) values ('available', '{}')"));
      int row = i + 1;
      store.transaction(
          c -> Sql.update(c, "update plain_jobs set state = 'executing' where id = ?", row));
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms[LATENCY_SAMPLES / 2];
  }

  private static void createPlain(Store store) {
    String id =
        store.kind() == StoreConfig.Kind.POSTGRES
            ? "bigserial primary key"
            : "integer primary key autoincrement";
    store.transaction(c ->
        Sql.update(
            c,
            "create table plain_jobs (id "
                + id
                + ", state varchar(16) not null, args text not null)"));
  }
}
