package weft.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import weft.jobs.Job;
import weft.jobs.JobSpec;
import weft.jobs.JobState;
import weft.jobs.engine.JobEngine;

/**
 * What every {@link JobEngine} must do, as a JUnit 5 test class to extend: one subclass per engine
 * ({@code class MyEngineTest extends JobEngineContract}) gives {@link #newEngine()} a fresh, empty
 * engine. Weft runs it against SQLite, PostgreSQL and the in-memory engine. Times are passed to the
 * engine by the suite; nothing waits on a clock.
 */
public abstract class JobEngineContract {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  /** The engine under test, made fresh and initialised before each test. */
  protected JobEngine engine;

  /** For subclasses. */
  protected JobEngineContract() {}

  /**
   * A fresh engine with no jobs, not yet initialised (the suite calls {@link JobEngine#init()}).
   *
   * @return the engine
   */
  protected abstract JobEngine newEngine();

  /** Releases what {@link #newEngine()} made, after each test; the default does nothing. */
  protected void discardEngine() {}

  @BeforeEach
  void makeEngine() {
    engine = newEngine();
    engine.init();
    engine.init(); // idempotent
  }

  @AfterEach
  void dropEngine() {
    discardEngine();
  }

  private static JobSpec spec(String queue, int priority, Map<String, ?> args) {
    return new JobSpec(
        "contract.Worker", JSON.valueToTree(args), queue, priority, 3, Duration.ZERO, null);
  }

  private static JobSpec spec(String queue) {
    return spec(queue, 0, Map.of());
  }

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  private Job only(long id) {
    return engine.job(id).orElseThrow(() -> new AssertionError("job " + id + " is gone"));
  }

  @Test
  void anInsertedJobIsAvailableAndKeepsWhatItWasGiven() {
    Map<String, Object> args =
        Map.of("to", "ada@example.com", "n", 3, "nested", List.of("é", "😀"));
    long id = engine.insert(spec("mail", 2, args), at(0));
    Job job = only(id);
    assertEquals(JobState.AVAILABLE, job.state());
    assertEquals("mail", job.queue());
    assertEquals("contract.Worker", job.worker());
    assertEquals(JSON.valueToTree(args), job.args());
    assertEquals(0, job.attempt());
    assertEquals(3, job.maxAttempts());
    assertEquals(2, job.priority());
    assertEquals(at(0), job.insertedAt());
    assertEquals(at(0), job.scheduledAt());
    assertTrue(job.errors().isArray() && job.errors().isEmpty(), "no errors yet");
    assertEquals(Optional.empty(), engine.job(id + 1000));
  }

  @Test
  void fetchTakesDueJobsOfOneQueueInPriorityThenDueThenIdOrder() {
    long late =
        engine.insert(spec("q", 0, Map.of("k", 1)).scheduleIn(Duration.ofSeconds(5)), at(0));
    long low = engine.insert(spec("q", 5, Map.of("k", 2)), at(0));
    long first = engine.insert(spec("q", 0, Map.of("k", 3)), at(0));
    long second = engine.insert(spec("q", 0, Map.of("k", 4)), at(0));
    long other = engine.insert(spec("other"), at(0));
    assertEquals(JobState.SCHEDULED, only(late).state());

    List<Job> taken = engine.fetch("q", 2, "node-a", at(1));
    assertEquals(List.of(first, second), ids(taken));
    for (Job j : taken) {
      assertEquals(JobState.EXECUTING, j.state());
      assertEquals(1, j.attempt());
      assertEquals("node-a", j.attemptedBy());
      assertEquals(j, only(j.id()), "fetch returns the job as it is now");
    }
    assertEquals(List.of(low), ids(engine.fetch("q", 10, "node-a", at(1))), "not due yet: late");
    assertEquals(List.of(), engine.fetch("q", 10, "node-a", at(1)), "nothing is taken twice");
    assertEquals(List.of(late), ids(engine.fetch("q", 10, "node-a", at(5))), "due at its time");
    assertEquals(JobState.AVAILABLE, only(other).state(), "another queue's job is untouched");
  }

  @Test
  void twoFetchersNeverTakeTheSameJob() throws Exception {
    List<JobSpec> specs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      specs.add(spec("q", 0, Map.of("i", i)));
    }
    List<Long> ids = engine.insertAll(specs, at(0));
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    List<Long> duplicates = Collections.synchronizedList(new ArrayList<>());
    List<Thread> fetchers = new ArrayList<>();
    for (String node : List.of("node-a", "node-b", "node-c")) {
      fetchers.add(
          Thread.ofVirtual()
              .start(() -> {
                while (true) {
                  List<Job> got = engine.fetch("q", 4, node, at(1));
                  if (got.isEmpty()) {
                    return;
                  }
                  got.forEach(j -> {
                    if (!seen.add(j.id())) {
                      duplicates.add(j.id());
                    }
                  });
                }
              }));
    }
    for (Thread t : fetchers) {
      t.join();
    }
    assertEquals(List.of(), duplicates, "jobs taken twice");
    assertEquals(new HashSet<>(ids), seen, "every job taken once");
  }

  @Test
  void outcomesChangeOnlyExecutingJobs() {
    long a = engine.insert(spec("q"), at(0));
    long b = engine.insert(spec("q"), at(0));
    List<Job> taken = engine.fetch("q", 2, "node-a", at(1));
    assertEquals(List.of(a, b), engine.complete(List.of(a, b, 999_999L), at(2)));
    assertEquals(JobState.COMPLETED, only(a).state());
    assertEquals(List.of(), engine.complete(List.of(a), at(3)), "completed once");
    Job stale = taken.get(0);
    assertEquals(Optional.empty(), engine.error(stale, "late", Duration.ofSeconds(1), at(3)));
    assertFalse(engine.discard(stale, "late", at(3)));
    assertFalse(engine.snooze(stale, Duration.ofSeconds(1), at(3)));
    assertEquals(JobState.COMPLETED, only(a).state(), "a late outcome changes nothing");
  }

  @Test
  void aFailedAttemptIsRetriedAfterItsBackoffAndDiscardedOnTheLast() {
    JobSpec twice =
        new JobSpec("contract.Worker", JSON.createObjectNode(), "q", 0, 2, Duration.ZERO, null);
    long id = engine.insert(twice, at(0));
    Job first = engine.fetch("q", 1, "node-a", at(0)).getFirst();
    assertEquals(
        Optional.of(JobState.RETRYABLE),
        engine.error(first, "boom 1", Duration.ofSeconds(30), at(1)));
    Job retryable = only(id);
    assertEquals(at(31), retryable.scheduledAt());
    assertEquals(1, retryable.errors().size());
    JsonNode error = retryable.errors().get(0);
    assertEquals(1, error.get("attempt").asInt());
    assertEquals("boom 1", error.get("error").asString());
    assertEquals(at(1).toString(), error.get("at").asString());
    assertEquals(List.of(), engine.fetch("q", 1, "node-a", at(30)), "not before its backoff");
    Job second = engine.fetch("q", 1, "node-a", at(31)).getFirst();
    assertEquals(2, second.attempt());
    assertEquals(
        Optional.of(JobState.DISCARDED),
        engine.error(second, "boom 2", Duration.ofSeconds(30), at(32)));
    assertEquals(2, only(id).errors().size(), "every attempt's error is kept");
    assertEquals(List.of(), engine.fetch("q", 1, "node-a", at(1000)), "a discarded job stays");
  }

  @Test
  void snoozeGivesTheAttemptBackAndDiscardIsFinal() {
    long id = engine.insert(spec("q"), at(0));
    Job job = engine.fetch("q", 1, "node-a", at(0)).getFirst();
    assertTrue(engine.snooze(job, Duration.ofSeconds(10), at(1)));
    Job snoozed = only(id);
    assertEquals(JobState.SCHEDULED, snoozed.state());
    assertEquals(0, snoozed.attempt());
    assertEquals(at(11), snoozed.scheduledAt());
    Job again = engine.fetch("q", 1, "node-a", at(11)).getFirst();
    assertEquals(1, again.attempt());
    assertTrue(engine.discard(again, "bad args", at(12)));
    assertEquals(JobState.DISCARDED, only(id).state());
    assertEquals("bad args", only(id).errors().get(0).get("error").asString());
  }

  @Test
  void cancelStopsUnfinishedJobsAndRetryBringsFinishedOnesBack() {
    long waiting = engine.insert(spec("q"), at(0));
    long running = engine.insert(spec("q"), at(0));
    long done = engine.insert(spec("q"), at(0));
    engine.fetch("q", 3, "node-a", at(0));
    engine.complete(List.of(done), at(1));
    assertEquals(2, engine.releaseQueue("node-a", "q"));
    engine.fetch("q", 1, "node-a", at(1)); // waiting's id is lowest: executing again
    assertTrue(engine.cancel(running, "no longer wanted", at(2)), "an available job");
    assertTrue(engine.cancel(waiting, "no longer wanted", at(2)), "an executing job");
    assertFalse(engine.cancel(done, "too late", at(2)), "a finished job");
    assertFalse(engine.cancel(999_999L, "absent", at(2)));
    assertEquals(JobState.CANCELLED, only(waiting).state());
    assertEquals(
        List.of(),
        engine.complete(List.of(waiting), at(3)),
        "a cancelled job's outcome is ignored");
    assertEquals(JobState.CANCELLED, only(waiting).state());

    assertTrue(engine.retry(done, at(4)));
    assertTrue(engine.retry(waiting, at(4)));
    Job retried = only(waiting);
    assertEquals(JobState.AVAILABLE, retried.state());
    assertEquals(0, retried.attempt());
    assertEquals(at(4), retried.scheduledAt());
    assertFalse(engine.retry(waiting, at(5)), "an available job is not retried");
  }

  @Test
  void releaseGivesTheAttemptBackByNodeQueueOrId() {
    long a = engine.insert(spec("q1"), at(0));
    long b = engine.insert(spec("q2"), at(0));
    long c = engine.insert(spec("q1"), at(0));
    long d = engine.insert(spec("q1"), at(0));
    engine.fetch("q1", 1, "node-a", at(0));
    engine.fetch("q2", 1, "node-a", at(0));
    engine.fetch("q1", 1, "node-b", at(0));
    engine.fetch("q1", 1, "node-b", at(0));
    assertEquals(1, engine.releaseQueue("node-a", "q1"));
    assertEquals(JobState.AVAILABLE, only(a).state());
    assertEquals(0, only(a).attempt());
    assertEquals(JobState.EXECUTING, only(b).state(), "another queue");
    assertEquals(1, engine.release(List.of(c, a)), "only executing ones");
    assertEquals(JobState.AVAILABLE, only(c).state());
    assertEquals(1, engine.releaseNode("node-b"));
    assertEquals(JobState.AVAILABLE, only(d).state());
    assertEquals(1, engine.releaseNode("node-a"));
    assertEquals(0, only(b).attempt());
  }

  @Test
  void jobsOfNodesNotHeardFromAreRescuedWithTheirAttemptStanding() {
    long dead = engine.insert(spec("q"), at(0));
    long mine = engine.insert(spec("q"), at(0));
    long alive = engine.insert(spec("q"), at(0));
    engine.heartbeat("node-dead", at(0));
    engine.heartbeat("node-self", at(0));
    engine.heartbeat("node-alive", at(0));
    engine.fetch("q", 1, "node-dead", at(0));
    engine.fetch("q", 1, "node-self", at(0));
    engine.fetch("q", 1, "node-alive", at(0));
    engine.heartbeat("node-alive", at(50));
    assertEquals(0, engine.rescue(Duration.ofSeconds(60), "node-self", at(59)), "not yet");
    assertEquals(1, engine.rescue(Duration.ofSeconds(60), "node-self", at(61)));
    assertEquals(JobState.AVAILABLE, only(dead).state());
    assertEquals(1, only(dead).attempt(), "the rescued attempt counts");
    assertEquals(JobState.EXECUTING, only(mine).state(), "never this node's own");
    assertEquals(JobState.EXECUTING, only(alive).state(), "a node heard from lately");
    assertEquals(0, engine.rescue(Duration.ofSeconds(60), "node-self", at(62)), "once");
  }

  @Test
  void pruningDeletesOnlyFinishedJobsOlderThanTheAge() {
    long old = engine.insert(spec("q"), at(0));
    long recent = engine.insert(spec("q"), at(0));
    long waiting = engine.insert(spec("q").scheduleIn(Duration.ofDays(30)), at(0));
    engine.fetch("q", 1, "node-a", at(0));
    engine.complete(List.of(old), at(0));
    engine.fetch("q", 1, "node-a", at(0));
    engine.complete(List.of(recent), at(100));
    assertEquals(1, engine.prune(Duration.ofSeconds(50), at(60)));
    assertEquals(Optional.empty(), engine.job(old));
    assertTrue(engine.job(recent).isPresent());
    assertTrue(engine.job(waiting).isPresent(), "an unfinished job is never pruned");
  }

  @Test
  void aUniqueSpecMatchingARecentJobInsertsNothing() {
    JobSpec unique = spec("q", 0, Map.of("user", 7)).unique(Duration.ofMinutes(10));
    long first = engine.insert(unique, at(0));
    assertEquals(first, engine.insert(unique, at(60)), "within the period");
    assertNotEquals(
        first,
        engine.insert(spec("q", 0, Map.of("user", 8)).unique(Duration.ofMinutes(10)), at(60)),
        "other arguments");
    long later = engine.insert(unique, at(601));
    assertNotEquals(first, later, "after the period");
    assertTrue(engine.cancel(later, "gone", at(602)));
    assertNotEquals(later, engine.insert(unique, at(603)), "a cancelled job does not count");
  }

  @Test
  void insertAllKeepsOrderAndACronTickIsTakenOnce() {
    List<Long> ids = engine.insertAll(List.of(spec("a"), spec("b"), spec("a")), at(0));
    assertEquals(3, new HashSet<>(ids).size());
    assertEquals("b", only(ids.get(1)).queue());
    assertEquals(List.of(), engine.insertAll(List.of(), at(0)));
    Optional<Long> tick = engine.insertForTick("nightly", at(60), spec("cron"), at(61));
    assertTrue(tick.isPresent());
    assertEquals(Optional.empty(), engine.insertForTick("nightly", at(60), spec("cron"), at(62)));
    assertTrue(engine.insertForTick("nightly", at(120), spec("cron"), at(121)).isPresent());
    assertTrue(engine.insertForTick("hourly", at(60), spec("cron"), at(61)).isPresent());
  }

  @Test
  void countsAndRecentReportEveryJob() {
    long a = engine.insert(spec("a"), at(0));
    long b = engine.insert(spec("a"), at(0));
    long c = engine.insert(spec("b"), at(0));
    engine.fetch("a", 1, "node-a", at(0));
    Map<String, Map<JobState, Long>> counts = engine.counts();
    assertEquals(Map.of(JobState.EXECUTING, 1L, JobState.AVAILABLE, 1L), counts.get("a"));
    assertEquals(Map.of(JobState.AVAILABLE, 1L), counts.get("b"));
    assertEquals(List.of(c, b, a), ids(engine.recent(Optional.empty(), 10)));
    assertEquals(List.of(c), ids(engine.recent(Optional.empty(), 1)));
    assertEquals(List.of(a), ids(engine.recent(Optional.of(JobState.EXECUTING), 10)));
  }

  @Test
  void changingAReturnedJobChangesNothingStored() {
    long id = engine.insert(spec("q", 0, Map.of("k", "v")), at(0));
    Job job = only(id);
    ((tools.jackson.databind.node.ObjectNode) job.args()).put("k", "changed");
    assertEquals("v", only(id).args().get("k").asString());
  }

  private static List<Long> ids(List<Job> jobs) {
    return jobs.stream().map(Job::id).toList();
  }
}
