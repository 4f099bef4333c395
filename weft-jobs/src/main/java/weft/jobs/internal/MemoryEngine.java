package weft.jobs.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import weft.jobs.Job;
import weft.jobs.JobSpec;
import weft.jobs.JobState;
import weft.jobs.engine.JobEngine;

/*
 * Design: the engine contract over a map under one lock, for tests. It keeps what the SQL engines
 * keep (rows with their unique key and finishing time, cron ticks, node heartbeats) and applies
 * the same guarded state changes, so a test on it sees what production sees, minus the disk.
 * Arguments are copied in and out: a caller changing a tree it passed or got changes no job.
 */
/** Jobs in memory. */
public final class MemoryEngine implements JobEngine {

  /** The order due jobs are taken in: priority, then due time, then id. */
  static final Comparator<Job> FETCH_ORDER =
      Comparator.comparingInt(Job::priority)
          .thenComparing(Job::scheduledAt)
          .thenComparingLong(Job::id);

  private static final Set<JobState> DUE =
      EnumSet.of(JobState.AVAILABLE, JobState.SCHEDULED, JobState.RETRYABLE);
  private static final Set<JobState> RETRIABLE =
      EnumSet.of(JobState.DISCARDED, JobState.CANCELLED, JobState.RETRYABLE, JobState.COMPLETED);

  private static final class Row {
    final long id;
    final String queue;
    final String worker;
    final JsonNode args;
    final int maxAttempts;
    final int priority;
    final Instant insertedAt;
    final String uniqueKey;
    JobState state;
    JsonNode errors = JobsJson.MAPPER.createArrayNode();
    int attempt;
    Instant scheduledAt;
    Instant finishedAt;
    String attemptedBy;

    Row(long id, JobSpec spec, Instant now, String uniqueKey) {
      this.id = id;
      this.queue = spec.queue();
      this.worker = spec.worker();
      this.args = spec.args().deepCopy();
      this.maxAttempts = spec.maxAttempts();
      this.priority = spec.priority();
      this.insertedAt = now;
      this.uniqueKey = uniqueKey;
      this.scheduledAt = Instant.ofEpochMilli(SqlEngine.dueAt(spec, now.toEpochMilli()));
      this.state = scheduledAt.isAfter(now) ? JobState.SCHEDULED : JobState.AVAILABLE;
    }

    Job job() {
      return new Job(
          id,
          state,
          queue,
          worker,
          args.deepCopy(),
          errors.deepCopy(),
          attempt,
          maxAttempts,
          priority,
          insertedAt,
          scheduledAt,
          attemptedBy);
    }
  }

  private final TreeMap<Long, Row> rows = new TreeMap<>();
  private final Set<String> ticks = new HashSet<>();
  private final Map<String, Instant> nodes = new HashMap<>();
  private long nextId = 1;

  /** An empty engine. */
  public MemoryEngine() {}

  @Override
  public void init() {}

  @Override
  public synchronized long insert(JobSpec spec, Instant now) {
    String key = null;
    if (spec.uniqueFor() != null) {
      key = JobsJson.uniqueKey(spec);
      Instant since = now.minus(spec.uniqueFor());
      for (Row r : rows.values()) {
        if (key.equals(r.uniqueKey)
            && !r.insertedAt.isBefore(since)
            && r.state != JobState.CANCELLED
            && r.state != JobState.DISCARDED) {
          return r.id;
        }
      }
    }
    Row row = new Row(nextId++, spec, now, key);
    rows.put(row.id, row);
    return row.id;
  }

  @Override
  public synchronized List<Long> insertAll(List<JobSpec> specs, Instant now) {
    List<Long> ids = new ArrayList<>(specs.size());
    for (JobSpec spec : specs) {
      ids.add(insert(spec, now));
    }
    return ids;
  }

  @Override
  public synchronized Optional<Long> insertForTick(
      String cron, Instant tick, JobSpec spec, Instant now) {
    if (!ticks.add(cron + "\n" + tick.toEpochMilli())) {
      return Optional.empty();
    }
    return Optional.of(insert(spec, now));
  }

  @Override
  public synchronized List<Job> fetch(String queue, int limit, String node, Instant now) {
    List<Row> due =
        rows.values().stream()
            .filter(r -> r.queue.equals(queue) && DUE.contains(r.state))
            .filter(r -> !r.scheduledAt.isAfter(now))
            .sorted(
                Comparator.<Row>comparingInt(r -> r.priority)
                    .thenComparing(r -> r.scheduledAt)
                    .thenComparingLong(r -> r.id))
            .limit(limit)
            .toList();
    List<Job> out = new ArrayList<>(due.size());
    for (Row r : due) {
      r.state = JobState.EXECUTING;
      r.attempt++;
      r.attemptedBy = node;
      out.add(r.job());
    }
    return out;
  }

  private Optional<Row> executing(long id) {
    Row r = rows.get(id);
    return r != null && r.state == JobState.EXECUTING ? Optional.of(r) : Optional.empty();
  }

  @Override
  public synchronized List<Long> complete(List<Long> ids, Instant now) {
    List<Long> done = new ArrayList<>();
    for (long id : ids) {
      executing(id)
          .ifPresent(r -> {
            r.state = JobState.COMPLETED;
            r.finishedAt = now;
            done.add(id);
          });
    }
    return done;
  }

  @Override
  public synchronized Optional<JobState> error(
      Job job, String error, Duration backoff, Instant now) {
    boolean last = job.attempt() >= job.maxAttempts();
    return executing(job.id())
        .map(r -> {
          r.errors = JobsJson.withErrorNode(job.errors(), job.attempt(), error, now);
          if (last) {
            r.state = JobState.DISCARDED;
            r.scheduledAt = job.scheduledAt();
            r.finishedAt = now;
          } else {
            r.state = JobState.RETRYABLE;
            r.scheduledAt = now.plus(backoff);
            r.finishedAt = null;
          }
          return r.state;
        });
  }

  @Override
  public synchronized boolean discard(Job job, String error, Instant now) {
    return executing(job.id())
        .map(r -> {
          r.errors = JobsJson.withErrorNode(job.errors(), job.attempt(), error, now);
          r.state = JobState.DISCARDED;
          r.finishedAt = now;
          return true;
        })
        .orElse(false);
  }

  @Override
  public synchronized boolean snooze(Job job, Duration delay, Instant now) {
    return executing(job.id())
        .map(r -> {
          r.state = JobState.SCHEDULED;
          r.attempt--;
          r.scheduledAt = now.plus(delay);
          return true;
        })
        .orElse(false);
  }

  @Override
  public synchronized boolean cancel(long id, String reason, Instant now) {
    Row r = rows.get(id);
    if (r == null || r.state.isFinal()) {
      return false;
    }
    r.errors = JobsJson.withErrorNode(r.errors, r.attempt, reason, now);
    r.state = JobState.CANCELLED;
    r.finishedAt = now;
    return true;
  }

  @Override
  public synchronized boolean retry(long id, Instant now) {
    Row r = rows.get(id);
    if (r == null || !RETRIABLE.contains(r.state)) {
      return false;
    }
    r.state = JobState.AVAILABLE;
    r.attempt = 0;
    r.scheduledAt = now;
    r.finishedAt = null;
    return true;
  }

  private int releaseWhere(java.util.function.Predicate<Row> which) {
    int n = 0;
    for (Row r : rows.values()) {
      if (r.state == JobState.EXECUTING && which.test(r)) {
        r.state = JobState.AVAILABLE;
        r.attempt--;
        n++;
      }
    }
    return n;
  }

  @Override
  public synchronized int releaseNode(String node) {
    return releaseWhere(r -> node.equals(r.attemptedBy));
  }

  @Override
  public synchronized int releaseQueue(String node, String queue) {
    return releaseWhere(r -> node.equals(r.attemptedBy) && queue.equals(r.queue));
  }

  @Override
  public synchronized int release(List<Long> ids) {
    Set<Long> set = new HashSet<>(ids);
    return releaseWhere(r -> set.contains(r.id));
  }

  @Override
  public synchronized void heartbeat(String node, Instant now) {
    nodes.put(node, now);
  }

  @Override
  public synchronized int rescue(Duration rescueAfter, String self, Instant now) {
    Instant cutoff = now.minus(rescueAfter);
    Set<String> dead = new HashSet<>();
    nodes.forEach((name, seen) -> {
      if (seen.isBefore(cutoff) && !name.equals(self)) {
        dead.add(name);
      }
    });
    int n = 0;
    for (Row r : rows.values()) {
      if (r.state == JobState.EXECUTING && dead.contains(r.attemptedBy)) {
        r.state = JobState.AVAILABLE;
        n++;
      }
    }
    nodes.keySet().removeAll(dead);
    return n;
  }

  @Override
  public synchronized int prune(Duration age, Instant now) {
    Instant cutoff = now.minus(age);
    int before = rows.size();
    rows.values()
        .removeIf(r -> r.state.isFinal() && r.finishedAt != null && r.finishedAt.isBefore(cutoff));
    return before - rows.size();
  }

  @Override
  public synchronized Optional<Job> job(long id) {
    return Optional.ofNullable(rows.get(id)).map(Row::job);
  }

  @Override
  public synchronized List<Job> recent(Optional<JobState> state, int limit) {
    return rows.descendingMap().values().stream()
        .filter(r -> state.isEmpty() || r.state == state.get())
        .limit(limit)
        .map(Row::job)
        .toList();
  }

  @Override
  public synchronized Map<String, Map<JobState, Long>> counts() {
    Map<String, Map<JobState, Long>> out = new TreeMap<>();
    for (Row r : rows.values()) {
      out.computeIfAbsent(r.queue, q -> new EnumMap<>(JobState.class))
          .merge(r.state, 1L, Long::sum);
    }
    return out;
  }

  @Override
  public String toString() {
    return "MemoryEngine[" + rows.size() + " jobs]";
  }
}
