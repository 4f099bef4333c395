package weft.jobs.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;
import weft.jobs.Job;
import weft.jobs.JobSpec;
import weft.jobs.JobState;
import weft.store.Sql;
import weft.store.Store;
import weft.store.StoreConfig;

/*
 * Design: the storage engine, the one place with SQL (Oban's Engine). Every state change is one
 * guarded UPDATE (`where state = 'executing'`), so a late or duplicate outcome never overwrites a
 * newer one. Fetching marks jobs executing in the same statement that picks them; on PostgreSQL
 * the pick is `FOR UPDATE SKIP LOCKED`, so nodes sharing the table never take the same job; on
 * SQLite one node owns the queues and the write lock serialises fetches. Times are epoch
 * milliseconds from the configured clock.
 */
/** The {@code weft_jobs} table. */
public final class JobTable {

  private static final String COLUMNS =
      "id, state, queue, worker, args, errors, attempt, max_attempts, priority, inserted_at, scheduled_at, attempted_by";

  private final Store store;
  private final Clock clock;
  private final boolean postgres;

  /**
   * Creates the engine.
   *
   * @param store the database
   * @param clock the clock
   */
  public JobTable(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
    this.postgres = store.kind() == StoreConfig.Kind.POSTGRES;
  }

  /** The clock. */
  public Instant now() {
    return clock.instant();
  }

  /** Inserts a job on the caller's connection (inside its transaction, if any). */
  public long insert(Connection c, JobSpec spec) throws SQLException {
    long id = insertRow(c, spec);
    notifyQueue(c, spec.queue());
    return id;
  }

  /**
   * Inserts many jobs on the caller's connection; on PostgreSQL as one JDBC batch, with one
   * notification per queue.
   *
   * @return their ids, in order (an existing job's id for a unique spec that matched one)
   */
  public List<Long> insertAll(Connection c, List<JobSpec> specs) throws SQLException {
    List<Long> ids = new java.util.ArrayList<>(specs.size());
    if (postgres && specs.stream().allMatch(s -> s.uniqueFor() == null)) {
      long now = clock.millis();
      try (PreparedStatement ps = c.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
        for (JobSpec spec : specs) {
          bind(ps, spec, now, null);
          ps.addBatch();
        }
        ps.executeBatch();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          while (keys.next()) {
            ids.add(keys.getLong(1));
          }
        }
      }
    } else {
      for (JobSpec spec : specs) {
        ids.add(insertRow(c, spec));
      }
    }
    for (String queue : specs.stream().map(JobSpec::queue).distinct().toList()) {
      notifyQueue(c, queue);
    }
    return ids;
  }

  private static final String INSERT =
      "insert into weft_jobs (state, queue, worker, args, errors, attempt, max_attempts, priority,"
          + " inserted_at, scheduled_at, unique_key) values (?, ?, ?, ?, '[]', 0, ?, ?, ?, ?, ?)";

  private void notifyQueue(Connection c, String queue) throws SQLException {
    if (postgres) {
      // Delivered at commit to every node listening, so a new job starts without a poll.
      Sql.query(c, "select pg_notify('weft_jobs', ?)", rs -> 1, queue);
    }
  }

  private static void bind(PreparedStatement ps, JobSpec spec, long now, String uniqueKey)
      throws SQLException {
    long at =
        spec.scheduleAt() != null
            ? spec.scheduleAt().toEpochMilli()
            : now + spec.scheduleIn().toMillis();
    ps.setString(1, at > now ? JobState.SCHEDULED.column() : JobState.AVAILABLE.column());
    ps.setString(2, spec.queue());
    ps.setString(3, spec.worker());
    ps.setString(4, JobsJson.MAPPER.writeValueAsString(spec.args()));
    ps.setInt(5, spec.maxAttempts());
    ps.setInt(6, spec.priority());
    ps.setLong(7, now);
    ps.setLong(8, at);
    ps.setString(9, uniqueKey);
  }

  private long insertRow(Connection c, JobSpec spec) throws SQLException {
    long now = clock.millis();
    String uniqueKey = null;
    if (spec.uniqueFor() != null) {
      uniqueKey = uniqueKey(spec);
      if (postgres) {
        // Serialises inserts of equal unique jobs across nodes until this transaction ends.
        Sql.query(c, "select pg_advisory_xact_lock(?)", rs -> 1, (long) uniqueKey.hashCode());
      }
      Optional<Long> existing =
          Sql.one(
              c,
              "select id from weft_jobs where unique_key = ? and inserted_at >= ?"
                  + " and state not in ('cancelled', 'discarded') order by id limit 1",
              rs -> rs.getLong(1),
              uniqueKey,
              now - spec.uniqueFor().toMillis());
      if (existing.isPresent()) {
        return existing.get();
      }
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
      bind(ps, spec, now, uniqueKey);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  private static String uniqueKey(JobSpec spec) {
    try {
      var digest = java.security.MessageDigest.getInstance("SHA-256");
      String canonical =
          spec.worker() + "\n" + spec.queue() + "\n" + JobsJson.canonical(spec.args());
      return java.util.HexFormat.of()
          .formatHex(digest.digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Inserts a cron entry's job for one tick, unless any node already did (the tick row decides).
   *
   * @return the job's id, or empty when the tick was already taken
   */
  public Optional<Long> insertForTick(String name, Instant tick, JobSpec spec) {
    return store.transaction(c -> {
      int claimed =
          Sql.update(
              c,
              "insert into weft_cron_ticks (name, tick_at) values (?, ?) on conflict do nothing",
              name,
              tick.toEpochMilli());
      return claimed == 1 ? Optional.of(insert(c, spec)) : Optional.<Long>empty();
    });
  }

  /** Inserts jobs in a transaction of their own. */
  public List<Long> insertAllCommitted(List<JobSpec> specs) {
    return store.transaction(c -> insertAll(c, specs));
  }

  /** Inserts a job in a transaction of its own. */
  public long insertCommitted(JobSpec spec) {
    return store.transaction(c -> insert(c, spec));
  }

  /** Takes up to {@code limit} due jobs of a queue for this node, marking them executing. */
  public List<Job> fetch(String queue, int limit, String node) {
    long now = clock.millis();
    String pick =
        "select id from weft_jobs where queue = ? and state in ('available', 'scheduled', 'retryable')"
            + " and scheduled_at <= ? order by priority, scheduled_at, id limit ?"
            + (postgres ? " for update skip locked" : "");
    return store.transaction(c ->
        Sql.query(
            c,
            "update weft_jobs set state = 'executing', attempt = attempt + 1, attempted_at = ?, attempted_by = ?"
                + " where id in ("
                + pick
                + ") returning "
                + COLUMNS,
            JobTable::job,
            now,
            node,
            queue,
            now,
            limit));
  }

  static Job job(ResultSet rs) throws SQLException {
    return new Job(
        rs.getLong("id"),
        JobState.of(rs.getString("state")),
        rs.getString("queue"),
        rs.getString("worker"),
        JobsJson.MAPPER.readTree(rs.getString("args")),
        JobsJson.MAPPER.readTree(rs.getString("errors")),
        rs.getInt("attempt"),
        rs.getInt("max_attempts"),
        rs.getInt("priority"),
        Instant.ofEpochMilli(rs.getLong("inserted_at")),
        Instant.ofEpochMilli(rs.getLong("scheduled_at")),
        rs.getString("attempted_by"));
  }

  /** Marks an executing job completed. */
  public boolean complete(Job job) {
    return store.transaction(c ->
        Sql.update(
            c,
            "update weft_jobs set state = 'completed', finished_at = ? where id = ? and state = 'executing'",
            clock.millis(),
            job.id()))
        == 1;
  }

  /**
   * Marks executing jobs completed in one transaction (acknowledgements batched by the queue).
   *
   * @return the ids actually completed (a job cancelled meanwhile is not)
   */
  public List<Long> completeAll(List<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
    Object[] args = new Object[ids.size() + 1];
    args[0] = clock.millis();
    for (int i = 0; i < ids.size(); i++) {
      args[i + 1] = ids.get(i);
    }
    return store.transaction(c ->
        Sql.query(
            c,
            "update weft_jobs set state = 'completed', finished_at = ? where state = 'executing' and id in ("
                + marks
                + ") returning id",
            rs -> rs.getLong(1),
            args));
  }

  /**
   * Records a failed attempt: retryable after the backoff while attempts remain, else discarded.
   *
   * @return the new state, or empty if the job was no longer executing
   */
  public Optional<JobState> fail(Job job, String error, Duration backoff) {
    boolean last = job.attempt() >= job.maxAttempts();
    JobState next = last ? JobState.DISCARDED : JobState.RETRYABLE;
    long now = clock.millis();
    int n =
        store.transaction(c ->
            Sql.update(
                c,
                "update weft_jobs set state = ?, errors = ?, scheduled_at = ?, finished_at = ?"
                    + " where id = ? and state = 'executing'",
                next.column(),
                withError(job, error, now),
                last ? job.scheduledAt().toEpochMilli() : now + backoff.toMillis(),
                last ? (Object) now : null,
                job.id()));
    return n == 1 ? Optional.of(next) : Optional.empty();
  }

  /** Discards an executing job at once (unknown worker, bad arguments). */
  public boolean discard(Job job, String error) {
    long now = clock.millis();
    return store.transaction(c ->
        Sql.update(
            c,
            "update weft_jobs set state = 'discarded', errors = ?, finished_at = ? where id = ? and state = 'executing'",
            withError(job, error, now),
            now,
            job.id()))
        == 1;
  }

  /** Runs an executing job again after a delay, giving its attempt back. */
  public boolean snooze(Job job, Duration delay) {
    long now = clock.millis();
    return store.transaction(c ->
        Sql.update(
            c,
            "update weft_jobs set state = 'scheduled', attempt = attempt - 1, scheduled_at = ?"
                + " where id = ? and state = 'executing'",
            now + delay.toMillis(),
            job.id()))
        == 1;
  }

  /**
   * Cancels a job that is not finished (executing ones included: their outcome is then ignored).
   */
  public boolean cancel(long id, String reason) {
    long now = clock.millis();
    return store.transaction(c -> {
      Optional<Job> job = get(c, id);
      if (job.isEmpty() || job.get().state().isFinal()) {
        return false;
      }
      return Sql.update(
              c,
              "update weft_jobs set state = 'cancelled', errors = ?, finished_at = ? where id = ? and state = ?",
              withError(job.get(), reason, now),
              now,
              id,
              job.get().state().column())
          == 1;
    });
  }

  /** Makes a discarded, cancelled or retryable job available again now, with its attempts reset. */
  public boolean retry(long id) {
    return store.transaction(c ->
        Sql.update(
            c,
            "update weft_jobs set state = 'available', attempt = 0, scheduled_at = ?, finished_at = null"
                + " where id = ? and state in ('discarded', 'cancelled', 'retryable', 'completed')",
            clock.millis(),
            id))
        == 1;
  }

  /** Makes executing jobs of a node available again (the node died, or is handing them back). */
  public int release(String node) {
    return store.transaction(c ->
        Sql.update(
            c,
            "update weft_jobs set state = 'available', attempt = attempt - 1 where state = 'executing' and attempted_by = ?",
            node));
  }

  /**
   * Makes a queue's jobs executing on this node available again, giving their attempt back (its
   * runner crashed and its attempts were killed).
   */
  public int release(String node, String queue) {
    return store.transaction(c ->
        Sql.update(
            c,
            "update weft_jobs set state = 'available', attempt = attempt - 1 where state = 'executing' and attempted_by = ? and queue = ?",
            node,
            queue));
  }

  /** Makes these executing jobs available again, giving their attempt back (a graceful stop). */
  public int release(List<Long> ids) {
    return store.transaction(c -> {
      int n = 0;
      for (long id : ids) {
        n +=
            Sql.update(
                c,
                "update weft_jobs set state = 'available', attempt = attempt - 1 where id = ? and state = 'executing'",
                id);
      }
      return n;
    });
  }

  /** Records that a node is alive. */
  public void heartbeat(String node) {
    long now = clock.millis();
    store.transaction(c -> {
      if (Sql.update(c, "update weft_job_nodes set seen_at = ? where name = ?", now, node) == 0) {
        Sql.update(c, "insert into weft_job_nodes (name, seen_at) values (?, ?)", node, now);
      }
      return null;
    });
  }

  /**
   * Makes available again the executing jobs of nodes not heard from within {@code rescueAfter}
   * (their attempt stands: it may have had effects).
   *
   * @return how many jobs were rescued
   */
  public int rescue(Duration rescueAfter, String self) {
    long cutoff = clock.millis() - rescueAfter.toMillis();
    return store.transaction(c -> {
      // Never this node's own jobs: it knows it is alive, whatever its last heartbeat says.
      int n =
          Sql.update(
              c,
              "update weft_jobs set state = 'available' where state = 'executing' and attempted_by <> ?"
                  + " and attempted_by in (select name from weft_job_nodes where seen_at < ?)",
              self,
              cutoff);
      Sql.update(c, "delete from weft_job_nodes where seen_at < ? and name <> ?", cutoff, self);
      return n;
    });
  }

  /** Deletes finished jobs that finished before {@code age} ago. */
  public int prune(Duration age) {
    long cutoff = clock.millis() - age.toMillis();
    return store.transaction(c ->
        Sql.update(
            c,
            "delete from weft_jobs where state in ('completed', 'discarded', 'cancelled') and finished_at < ?",
            cutoff));
  }

  /** A job by id. */
  public Optional<Job> get(long id) {
    return store.transaction(c -> get(c, id));
  }

  private static Optional<Job> get(Connection c, long id) throws SQLException {
    return Sql.one(c, "select " + COLUMNS + " from weft_jobs where id = ?", JobTable::job, id);
  }

  /** The latest jobs, newest first, optionally of one state only. */
  public List<Job> recent(JobState state, int limit) {
    return store.transaction(c ->
        state == null
            ? Sql.query(
                c,
                "select " + COLUMNS + " from weft_jobs order by id desc limit ?",
                JobTable::job,
                limit)
            : Sql.query(
                c,
                "select " + COLUMNS + " from weft_jobs where state = ? order by id desc limit ?",
                JobTable::job,
                state.column(),
                limit));
  }

  /** Job counts by queue and state. */
  public Map<String, Map<JobState, Long>> counts() {
    Map<String, Map<JobState, Long>> out = new TreeMap<>();
    store.transaction(c -> {
      for (var row :
          Sql.query(
              c,
              "select queue, state, count(*) from weft_jobs group by queue, state",
              rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3)})) {
        out.computeIfAbsent((String) row[0], q -> new EnumMap<>(JobState.class))
            .put(JobState.of((String) row[1]), (Long) row[2]);
      }
      return null;
    });
    return out;
  }

  private static String withError(Job job, String error, long now) {
    ArrayNode errors =
        job.errors() instanceof ArrayNode a ? a.deepCopy() : JobsJson.MAPPER.createArrayNode();
    errors
        .addObject()
        .put("attempt", job.attempt())
        .put("at", Instant.ofEpochMilli(now).toString())
        .put("error", error);
    return JobsJson.MAPPER.writeValueAsString(errors);
  }
}
