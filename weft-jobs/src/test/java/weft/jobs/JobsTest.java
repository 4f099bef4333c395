package weft.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import weft.jobs.engine.JobEngine;
import weft.process.Node;
import weft.store.Sql;
import weft.store.Store;
import weft.store.StoreConfig;
import weft.store.testing.TestPostgres;
import weft.testing.ManualClock;

/** The job queue on SQLite and on PostgreSQL, with a clock the tests move by hand. */
class JobsTest {

  static final Duration WAIT = Duration.ofSeconds(10);

  /** A clock the test moves. */
  @TempDir Path dir;

  private final Node node = Node.start("jobs");
  private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:00Z"));
  private final LinkedBlockingQueue<JobEvent> events = new LinkedBlockingQueue<>();
  private final List<Runnable> cleanup = new ArrayList<>();
  private Store store;
  private Jobs jobs;

  @AfterEach
  void stop() {
    if (jobs != null) {
      jobs.stop(Duration.ofSeconds(1));
    }
    node.close();
    cleanup.forEach(Runnable::run);
  }

  private Store store(String backend) {
    StoreConfig config =
        switch (backend) {
          case "sqlite" -> StoreConfig.sqlite(dir.resolve("jobs.db"));
          default -> {
            assumeTrue(TestPostgres.reachable(), TestPostgres.skipMessage("the PostgreSQL run"));
            StoreConfig pg = TestPostgres.freshSchema("weft_j_");
            cleanup.add(() -> TestPostgres.dropSchema(pg.schema()));
            yield pg;
          }
        };
    Store s = Store.open(config.withMigrations());
    cleanup.add(s::close);
    return s;
  }

  private Jobs start(String backend, Map<String, Integer> queues, Worker... workers) {
    return start(backend, List.of(), queues, workers);
  }

  private Jobs start(
      String backend, List<CronEntry> cron, Map<String, Integer> queues, Worker... workers) {
    store = store(backend);
    jobs =
        Jobs.start(
            node,
            store,
            JobsConfig.of("node-a", queues)
                .withClock(clock)
                .withPollInterval(Duration.ofMillis(50))
                .withCron(cron),
            List.of(workers),
            List.of(events::add));
    return jobs;
  }

  private long waiting(String queue) {
    return jobs.counts().getOrDefault(queue, Map.of()).getOrDefault(JobState.AVAILABLE, 0L);
  }

  private final List<JobEvent> seen = new ArrayList<>();

  /** Waits for a job to reach a state; events seen earlier count, each is used once. */
  private JobEvent await(long id, JobState state) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (var it = seen.iterator(); it.hasNext(); ) {
        JobEvent e = it.next();
        if (e.id() == id && e.state() == state) {
          it.remove();
          return e;
        }
      }
      long left = deadline - System.nanoTime();
      JobEvent e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
      if (e == null) {
        throw new AssertionError("job " + id + " never reached " + state + "; events: " + seen);
      }
      seen.add(e);
    }
  }

  // ---------------------------------------------------------------- workers

  record Args(int n) {}

  static final class Ok implements Worker {
    final Set<Long> ran = ConcurrentHashMap.newKeySet();

    @Override
    public JobResult perform(Job job) {
      ran.add(job.id());
      return JobResult.ok();
    }
  }

  static final class Flaky implements Worker {
    @Override
    public JobResult perform(Job job) {
      if (job.attempt() < 3) {
        throw new IllegalStateException("flaky on attempt " + job.attempt());
      }
      return JobResult.ok();
    }

    @Override
    public WorkerOptions options() {
      return WorkerOptions.defaults().withMaxAttempts(5).withBackoff(a -> Duration.ofSeconds(10));
    }
  }

  static final class Doomed implements Worker {
    @Override
    public JobResult perform(Job job) {
      return JobResult.error("always fails");
    }

    @Override
    public WorkerOptions options() {
      return WorkerOptions.defaults().withMaxAttempts(2).withBackoff(a -> Duration.ZERO);
    }
  }

  static final class Typed implements Worker {
    @Override
    public JobResult perform(Job job) {
      return job.args(Args.class).n() > 0 ? JobResult.ok() : JobResult.cancel("n must be positive");
    }
  }

  static final class Snoozer implements Worker {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public JobResult perform(Job job) {
      return calls.incrementAndGet() == 1
          ? JobResult.snooze(Duration.ofMinutes(5))
          : JobResult.ok();
    }
  }

  static final class Slow implements Worker {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();

    @Override
    public JobResult perform(Job job) throws InterruptedException {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        release.await();
      } finally {
        running.decrementAndGet();
      }
      return JobResult.ok();
    }

    @Override
    public WorkerOptions options() {
      return WorkerOptions.defaults()
          .withQueue("slow")
          .withMaxAttempts(1)
          .withTimeout(Duration.ofMillis(300));
    }
  }

  /** Hangs on its first attempt (until killed), succeeds on the next. */
  static final class HangsOnce implements Worker {
    final CountDownLatch started = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public JobResult perform(Job job) {
      if (calls.incrementAndGet() == 1) {
        started.countDown();
        weft.process.Process.sleep(Duration.ofMinutes(5));
      }
      return JobResult.ok();
    }
  }

  // ---------------------------------------------------------------- tests

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aKilledQueueIsRestartedAndItsRunningJobRunsAgain(String backend) throws Exception {
    HangsOnce worker = new HangsOnce();
    start(backend, Map.of("default", 2), worker);
    long id = jobs.insert(JobSpec.of(worker, new Args(1)));
    assertThat(worker.started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    weft.process.Pid first = jobs.queueProcesses().get("default");
    node.exit(first, weft.process.ExitReason.KILL);
    await(id, JobState.COMPLETED);
    assertThat(worker.calls.get()).isEqualTo(2);
    assertThat(jobs.queueProcesses().get("default")).isNotEqualTo(first);
    Job job = jobs.job(id).orElseThrow();
    assertThat(job.state()).isEqualTo(JobState.COMPLETED);
    assertThat(job.attempt()).as("the killed attempt is given back").isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void insertedJobRunsAndCompletes(String backend) throws Exception {
    Ok ok = new Ok();
    start(backend, Map.of("default", 5), ok);
    long id = jobs.insert(JobSpec.of(ok, new Args(1)));
    await(id, JobState.COMPLETED);
    assertThat(ok.ran).contains(id);
    Job job = jobs.job(id).orElseThrow();
    assertThat(job.state()).isEqualTo(JobState.COMPLETED);
    assertThat(job.attempt()).isEqualTo(1);
    assertThat(job.attemptedBy()).isEqualTo("node-a");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void failedAttemptsRetryAfterTheBackoffThenSucceed(String backend) throws Exception {
    Flaky flaky = new Flaky();
    start(backend, Map.of("default", 5), flaky);
    long id = jobs.insert(JobSpec.of(flaky, Map.of()));
    await(id, JobState.RETRYABLE);
    Job afterFirst = jobs.job(id).orElseThrow();
    assertThat(afterFirst.scheduledAt()).isEqualTo(clock.instant().plusSeconds(10));
    assertThat(afterFirst.errors().get(0).path("error").asString()).contains("flaky on attempt 1");
    for (int i = 0; i < 2; i++) {
      clock.advance(Duration.ofSeconds(11));
      jobs.wakeAll();
      await(id, i == 0 ? JobState.RETRYABLE : JobState.COMPLETED);
    }
    assertThat(jobs.job(id).orElseThrow().attempt()).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void jobsOutOfAttemptsAreDiscarded(String backend) throws Exception {
    Doomed doomed = new Doomed();
    start(backend, Map.of("default", 5), doomed);
    long id = jobs.insert(JobSpec.of(doomed, Map.of()));
    await(id, JobState.RETRYABLE);
    JobEvent discarded = await(id, JobState.DISCARDED);
    assertThat(discarded.error()).isEqualTo("always fails");
    assertThat(jobs.job(id).orElseThrow().errors().size()).isEqualTo(2);
    assertThat(jobs.retry(id)).isTrue();
    await(id, JobState.AVAILABLE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void badInputIsDiscardedWithTheReasonAndNothingElseStops(String backend) throws Exception {
    Typed typed = new Typed();
    Ok ok = new Ok();
    start(backend, Map.of("default", 5), typed, ok);
    long unknown =
        jobs.insert(
            new JobSpec(
                "no.such.Worker",
                tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                "default",
                0,
                3,
                Duration.ZERO,
                null));
    long badArgs = jobs.insert(JobSpec.of(typed, Map.of("n", "not a number")));
    long cancelled = jobs.insert(JobSpec.of(typed, new Args(-1)));
    long fine = jobs.insert(JobSpec.of(ok, Map.of()));
    assertThat(await(unknown, JobState.DISCARDED).error())
        .contains("unknown worker no.such.Worker");
    assertThat(await(badArgs, JobState.DISCARDED).error()).contains("do not fit Args");
    assertThat(await(cancelled, JobState.CANCELLED).error()).isEqualTo("n must be positive");
    await(fine, JobState.COMPLETED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void scheduledAndSnoozedJobsWaitForTheirTime(String backend) throws Exception {
    Snoozer snoozer = new Snoozer();
    start(backend, Map.of("default", 5), snoozer);
    long later = jobs.insert(JobSpec.of(snoozer, Map.of()).scheduleIn(Duration.ofHours(1)));
    assertThat(jobs.job(later).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);
    clock.advance(Duration.ofHours(1));
    jobs.wakeAll();
    await(later, JobState.SCHEDULED); // snoozed, attempt given back
    assertThat(jobs.job(later).orElseThrow().attempt()).isZero();
    clock.advance(Duration.ofMinutes(6));
    jobs.wakeAll();
    await(later, JobState.COMPLETED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aJobInsertedInARolledBackTransactionDoesNotExist(String backend) {
    Ok ok = new Ok();
    start(backend, Map.of("other", 1), ok);
    long[] id = new long[1];
    try {
      store.transaction(c -> {
        id[0] = jobs.insert(c, JobSpec.of(ok, Map.of()));
        throw new IllegalStateException("roll back");
      });
    } catch (IllegalStateException expected) {
      // rolled back
    }
    assertThat(jobs.job(id[0])).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void concurrencyLimitTimeoutAndGracefulStop(String backend) throws Exception {
    Slow slow = new Slow();
    start(backend, Map.of("slow", 2), slow);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(jobs.insert(JobSpec.of(slow, Map.of())));
    }
    // Each attempt times out after 300 ms (max 1 attempt: discarded); two run at a time.
    for (long id : ids) {
      assertThat(await(id, JobState.DISCARDED).error()).contains("timed out");
    }
    assertThat(slow.peak.get()).isEqualTo(2);
  }

  /**
   * What a crash leaves behind: a job marked executing by {@code node}, in tables created by a
   * first, stopped start.
   */
  private long leftExecuting(String backend, Worker worker, String node) {
    store = store(backend);
    Jobs first =
        Jobs.start(
            this.node, store, JobsConfig.of("node-a", Map.of()).withClock(clock), List.of(worker));
    first.stop(Duration.ofSeconds(1));
    long jobId =
        store.transaction(
            c -> JobEngine.of(store).insert(c, JobSpec.of(worker, Map.of()), clock.instant()));
    store.transaction(c ->
        Sql.update(
            c,
            "update weft_jobs set state = 'executing', attempt = 1, attempted_by = ? where id = ?",
            node,
            jobId));
    return jobId;
  }

  /** Starts Jobs on the current store with one "default" queue, its config adjusted. */
  private Jobs startOn(java.util.function.UnaryOperator<JobsConfig> adjust, Worker worker) {
    return Jobs.start(
        node,
        store,
        adjust.apply(
            JobsConfig.of("node-a", Map.of("default", 1))
                .withClock(clock)
                .withPollInterval(Duration.ofMillis(50))),
        List.of(worker),
        List.of(events::add));
  }

  private Jobs restart(Worker worker) {
    jobs = startOn(c -> c, worker);
    return jobs;
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void jobsLeftExecutingByACrashRunAgainAtStart(String backend) throws Exception {
    Ok ok = new Ok();
    long jobId = leftExecuting(backend, ok, "node-a");
    restart(ok);
    await(jobId, JobState.COMPLETED);
    assertThat(ok.ran).contains(jobId);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void uniqueJobsReturnTheExistingOneWithinTheirPeriod(String backend) {
    Ok ok = new Ok();
    start(backend, Map.of("other", 1), ok); // "default" is not run here: jobs stay available
    Duration period = Duration.ofMinutes(5);
    long first =
        jobs.insert(JobSpec.of(ok, Map.of("a", 1, "b", Map.of("x", 1, "y", 2))).unique(period));
    long same =
        jobs.insert(JobSpec.of(ok, Map.of("b", Map.of("y", 2, "x", 1), "a", 1)).unique(period));
    assertThat(same).as("equal args in another key order").isEqualTo(first);
    long other = jobs.insert(JobSpec.of(ok, Map.of("a", 2)).unique(period));
    assertThat(other).isNotEqualTo(first);
    assertThat(jobs.insert(JobSpec.of(ok, Map.of("a", 1, "b", Map.of("x", 1, "y", 2)))))
        .as("not unique: always new")
        .isNotEqualTo(first);
    assertThat(jobs.cancel(first)).isTrue();
    long afterCancel =
        jobs.insert(JobSpec.of(ok, Map.of("a", 1, "b", Map.of("x", 1, "y", 2))).unique(period));
    assertThat(afterCancel).as("a cancelled job does not block").isNotEqualTo(first);
    clock.advance(Duration.ofMinutes(6));
    long later =
        jobs.insert(JobSpec.of(ok, Map.of("a", 1, "b", Map.of("x", 1, "y", 2))).unique(period));
    assertThat(later).as("outside the period").isNotEqualTo(afterCancel);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void cronInsertsItsJobOncePerTickAcrossNodes(String backend) throws Exception {
    Ok ok = new Ok();
    clock.set(Instant.parse("2026-06-01T00:00:30Z"));
    List<CronEntry> cron = List.of(new CronEntry("five", "*/5 * * * *", JobSpec.of(ok, Map.of())));
    start(backend, cron, Map.of("other", 1), ok);
    jobs.tickCron();
    jobs.tickCron();
    Jobs second =
        Jobs.start(
            node,
            store,
            JobsConfig.of("node-b", Map.of()).withClock(clock).withCron(cron),
            List.of(ok));
    second.tickCron();
    assertThat(waiting("default")).as("one job for the 00:00 tick").isEqualTo(1);
    clock.set(Instant.parse("2026-06-01T00:03:00Z"));
    assertThat(jobs.tickCron()).isEmpty();
    clock.set(Instant.parse("2026-06-01T00:05:10Z"));
    second.tickCron();
    jobs.tickCron();
    assertThat(waiting("default")).as("one more for the 00:05 tick").isEqualTo(2);
    second.stop(Duration.ofSeconds(1));
  }

  @org.junit.jupiter.api.Test
  void invalidCronExpressionsAreRejectedWithTheReason() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new CronEntry("bad", "61 * * * *", JobSpec.of(new Ok(), Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid cron expression for bad");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void jobsOfANodeNotHeardFromAreRescued(String backend) throws Exception {
    Ok ok = new Ok();
    long jobId = leftExecuting(backend, ok, "node-dead");
    long stale = clock.instant().minus(Duration.ofMinutes(2)).toEpochMilli();
    store.transaction(c ->
        Sql.update(c, "insert into weft_job_nodes (name, seen_at) values ('node-dead', ?)", stale));
    restart(ok);
    await(jobId, JobState.COMPLETED);
    assertThat(jobs.job(jobId).orElseThrow().attempt())
        .as("the rescued attempt counts")
        .isEqualTo(2);
  }

  static final class Blocking implements Worker {
    final CountDownLatch started = new CountDownLatch(1);

    @Override
    public JobResult perform(Job job) throws InterruptedException {
      started.countDown();
      new CountDownLatch(1).await(); // until killed
      return JobResult.ok();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void pausedQueuesWaitAndAGracefulStopReleasesUnfinishedJobs(String backend) throws Exception {
    Blocking blocking = new Blocking();
    Ok ok = new Ok();
    start(backend, Map.of("default", 1), blocking, ok);
    jobs.pause("default", true);
    long waitingJob = jobs.insert(JobSpec.of(ok, Map.of()));
    assertThat(jobs.job(waitingJob).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
    jobs.pause("default", false);
    await(waitingJob, JobState.COMPLETED);

    long stuck = jobs.insert(JobSpec.of(blocking, Map.of()));
    assertThat(blocking.started.await(10, TimeUnit.SECONDS)).isTrue();
    jobs.stop(Duration.ofMillis(200));
    jobs = null;
    Job released = JobEngine.of(store).job(stuck).orElseThrow();
    assertThat(released.state()).as("released for another run").isEqualTo(JobState.AVAILABLE);
    assertThat(released.attempt()).as("the cut attempt is given back").isZero();
  }

  static final class Once implements Worker {
    @Override
    public JobResult perform(Job job) {
      return JobResult.ok();
    }

    @Override
    public WorkerOptions options() {
      return WorkerOptions.defaults().withUniqueFor(Duration.ofHours(1));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void workerUniquenessInsertAllAndPruning(String backend) throws Exception {
    Once once = new Once();
    Ok ok = new Ok();
    start(backend, Map.of("default", 2), once, ok);
    long a = jobs.insert(JobSpec.of(once, Map.of("k", 1)));
    assertThat(jobs.insert(JobSpec.of(once, Map.of("k", 1))))
        .as("the worker's uniqueness")
        .isEqualTo(a);
    List<Long> many =
        jobs.insertAll(List.of(JobSpec.of(ok, Map.of("i", 1)), JobSpec.of(ok, Map.of("i", 2))));
    assertThat(many).hasSize(2).doesNotHaveDuplicates();
    for (long id : many) {
      await(id, JobState.COMPLETED);
    }
    await(a, JobState.COMPLETED);
    // Stopped first: its own pruner runs too, and could take the three first.
    jobs.stop(Duration.ofSeconds(1));
    jobs = null;
    clock.advance(Duration.ofDays(8));
    JobEngine engine = JobEngine.of(store);
    int pruned = engine.prune(Duration.ofDays(7), clock.instant());
    assertThat(pruned).isEqualTo(3);
    assertThat(engine.job(a)).isEmpty();
  }

  @Test
  void thePrunerDeletesFinishedJobsOlderThanPruneAfter() throws Exception {
    Ok ok = new Ok();
    store = store("sqlite");
    jobs =
        startOn(
            c -> c.withRescueAfter(Duration.ofMillis(200)).withPruneAfter(Duration.ofDays(2)), ok);
    long id = jobs.insert(JobSpec.of(ok, Map.of()));
    await(id, JobState.COMPLETED);
    clock.advance(Duration.ofDays(1));
    long fresh = jobs.insert(JobSpec.of(ok, Map.of()));
    await(fresh, JobState.COMPLETED);
    clock.advance(Duration.ofDays(1).plusSeconds(1));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (jobs.job(id).isPresent()) {
      assertThat(System.nanoTime()).as("job %d pruned in time", id).isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(jobs.job(fresh)).as("finished a day ago: kept").isPresent();
  }

  @Test
  void theInMemoryEngineRunsJobsAsTheDatabasesDo() throws Exception {
    Ok ok = new Ok();
    Doomed doomed = new Doomed();
    JobEngine engine = JobEngine.inMemory();
    jobs =
        Jobs.start(
            node,
            engine,
            JobsConfig.of("node-a", Map.of("default", 2)).withClock(clock),
            List.of(ok, doomed),
            List.of(events::add));
    long fine = jobs.insert(JobSpec.of(ok, Map.of("n", 1)));
    long bad = jobs.insert(JobSpec.of(doomed, Map.of()));
    await(fine, JobState.COMPLETED);
    await(bad, JobState.DISCARDED);
    assertThat(jobs.job(bad).orElseThrow().errors()).hasSize(2);
    assertThat(jobs.engine()).isSameAs(engine);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> jobs.insert((Connection) null, JobSpec.of(ok, Map.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be inserted in a database transaction");
  }
}
