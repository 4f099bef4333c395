package weft.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import weft.jobs.engine.JobEngine;
import weft.store.Sql;
import weft.store.Store;
import weft.store.StoreConfig;
import weft.store.testing.TestPostgres;

/**
 * Enqueues 10,000 jobs, lets a separate JVM run them, kills it with SIGKILL half-way, runs a new
 * one, and proves that every job completed, none was lost, and only jobs that were executing at the
 * kill ran to completion twice (at least once: at most the queue's concurrency plus its unwritten
 * acknowledgement batch).
 */
class CrashTest {

  private static final int JOBS = 10_000;
  private static final int CONCURRENCY = 10;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void killedNodeLosesNoJob(String backend) throws Exception {
    String url;
    String schema = "-";
    if (backend.equals("sqlite")) {
      url = "jdbc:sqlite:" + dir.resolve("crash.db");
    } else {
      assumeTrue(TestPostgres.reachable(), TestPostgres.skipMessage("the PostgreSQL run"));
      StoreConfig pg = TestPostgres.freshSchema("weft_c_");
      url = pg.jdbcUrl();
      schema = pg.schema();
    }
    StoreConfig config = StoreConfig.url(url).withMigrations();
    if (!schema.equals("-")) {
      config = config.withSchema(schema);
    }
    try (Store store = Store.open(config)) {
      // Create the job tables (no queues run here) and the effects table, then enqueue.
      weft.process.Node setupNode = weft.process.Node.start("setup");
      Jobs.start(setupNode, store, JobsConfig.of("setup", Map.of()), List.of())
          .stop(Duration.ofSeconds(1));
      setupNode.close();
      store.transaction(c -> Sql.update(c, "create table effects (job_id bigint not null)"));
      var engine = JobEngine.of(store);
      store.transaction(c -> {
        for (int i = 0; i < JOBS; i++) {
          engine.insert(
              c,
              new JobSpec(
                  "record",
                  weft.jobs.internal.JobsJson.MAPPER.createObjectNode().put("i", i),
                  "default",
                  0,
                  20,
                  Duration.ZERO,
                  null),
              java.time.Instant.now());
        }
        return null;
      });

      Process first = child(url, schema);
      awaitEffects(store, JOBS / 4, first);
      first.destroyForcibly(); // SIGKILL
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      int before = count(store, "select count(distinct job_id) from effects");
      assertThat(before).as("the kill came half-way").isBetween(JOBS / 4, JOBS - 1);

      Process second = child(url, schema);
      try {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (count(store, "select count(*) from weft_jobs where state = 'completed'") < JOBS) {
          assertThat(System.nanoTime())
              .as("all jobs complete within 5 minutes")
              .isLessThan(deadline);
          assertThat(second.isAlive()).as("the second node runs").isTrue();
          Thread.sleep(100); // polls the database: an observation, not a synchronisation
        }
      } finally {
        second.destroyForcibly();
        second.waitFor(30, TimeUnit.SECONDS);
      }
      assertThat(count(store, "select count(distinct job_id) from effects"))
          .as("no job lost")
          .isEqualTo(JOBS);
      int twice =
          count(
              store,
              "select count(*) from (select job_id from effects group by job_id having count(*) > 1) t");
      // At least once: only jobs executing at the kill, or finished with their acknowledgement
      // still in the queue's unwritten batch, may have run twice.
      assertThat(twice)
          .as("jobs run twice")
          .isLessThanOrEqualTo(CONCURRENCY + weft.jobs.internal.QueueRunner.MAX_ACK_BATCH);
      System.out.println(backend + ": " + twice + " job(s) ran twice after the SIGKILL");
      assertThat(count(store, "select count(*) from weft_jobs where state <> 'completed'"))
          .isZero();
    } finally {
      if (!schema.equals("-")) {
        TestPostgres.dropSchema(schema);
      }
    }
  }

  private static int count(Store store, String sql) {
    return store.transaction(c -> Sql.one(c, sql, rs -> rs.getInt(1)).orElseThrow());
  }

  private static void awaitEffects(Store store, int atLeast, Process child)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (count(store, "select count(*) from effects") < atLeast) {
      assertThat(child.isAlive()).as("the child runs").isTrue();
      assertThat(System.nanoTime()).as("progress within 3 minutes").isLessThan(deadline);
      Thread.sleep(20); // polls the database: an observation, not a synchronisation
    }
  }

  /**
   * The test runs patched into the weft.jobs module on the module path; the child runs the same
   * classes (the test classes, the module path, the class path) on the class path.
   */
  private static String childClassPath() throws Exception {
    List<String> parts = new ArrayList<>();
    parts.add(
        java.nio.file.Path.of(
                CrashChild.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString());
    for (String p :
        new String[] {
          System.getProperty("jdk.module.path"), System.getProperty("java.class.path")
        }) {
      if (p != null && !p.isEmpty()) {
        parts.add(p);
      }
    }
    return String.join(java.io.File.pathSeparator, parts);
  }

  private static Process child(String url, String schema) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m",
                "-cp",
                childClassPath(),
                CrashChild.class.getName(),
                url,
                schema));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.equals("RUNNING")) {
      // start-up log lines
    }
    Thread.ofVirtual()
        .start(() -> {
          try {
            while (out.readLine() != null) {
              // drain the child's output so it never blocks on a full pipe
            }
          } catch (java.io.IOException e) {
            // the child ended
          }
        });
    return p;
  }
}
