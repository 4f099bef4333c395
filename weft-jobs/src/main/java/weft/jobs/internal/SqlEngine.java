package weft.jobs.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import weft.jobs.Job;
import weft.jobs.JobSpec;
import weft.jobs.JobState;
import weft.jobs.engine.SqlJobEngine;
import weft.store.Sql;
import weft.store.Store;
import weft.store.StoreConfig;
import weft.store.StoreException;

/*
 * Design: the one place with the jobs' SQL. Every state change is one guarded UPDATE (`where
 * state = 'executing'`), so a late or duplicate outcome never overwrites a newer one. Fetching
 * marks jobs executing in the same statement that picks them. What differs between databases is
 * a handful of hooks, each overridden by one engine: the id column's type, the row lock of the
 * pick (PostgreSQL's `FOR UPDATE SKIP LOCKED`: nodes sharing the table never take the same job;
 * SQLite's write lock serialises fetches), what happens after an insert in its transaction
 * (PostgreSQL notifies), how equal unique inserts are serialised, and batch inserts. Times are
 * epoch milliseconds passed in by the caller.
 */
/** The {@code weft_jobs} tables, for the SQL engines. */
public abstract sealed class SqlEngine implements SqlJobEngine
    permits SqliteEngine, PostgresEngine {

  private static final String COLUMNS =
      "id, state, queue, worker, args, errors, attempt, max_attempts, priority, inserted_at, scheduled_at, attempted_by";

  private final Store store;

  SqlEngine(Store store, StoreConfig.Kind kind) {
    if (store.kind() != kind) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + " needs a " + kind + " store, not " + store.kind());
    }
    this.store = store;
  }

  @Override
  public final Store store() {
    return store;
  }

  /** The type of the id column in the migrations. */
  abstract String idType();

  /** Appended to the pick of due jobs (a row lock), or empty. */
  abstract String pickLock();

  /** Runs in an insert's transaction after its rows, once per queue inserted into. */
  abstract void inserted(Connection c, String queue) throws SQLException;

  /** Serialises inserts of equal unique jobs across nodes until the transaction ends. */
  abstract void lockUnique(Connection c, String uniqueKey) throws SQLException;

  /** Inserts specs without uniqueness; row by row unless the database batches. */
  List<Long> insertPlain(Connection c, List<JobSpec> specs, long now) throws SQLException {
    List<Long> ids = new ArrayList<>(specs.size());
    for (JobSpec spec : specs) {
      ids.add(insertRow(c, spec, now));
    }
    return ids;
  }

  @Override
  public void init() {
    try {
      Flyway.configure()
          .dataSource(store.dataSource())
          .locations("classpath:weft/jobs/migration")
          .placeholders(Map.of("idType", idType()))
          .table("weft_jobs_schema_history")
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new StoreException("cannot create the job tables: " + e.getMessage(), e);
    }
  }

  private static final String INSERT =
      "insert into weft_jobs (state, queue, worker, args, errors, attempt, max_attempts, priority,"
          + " inserted_at, scheduled_at, unique_key) values (?, ?, ?, ?, '[]', 0, ?, ?, ?, ?, ?)";

  @Override
  public final long insert(Connection c, JobSpec spec, Instant now) throws SQLException {
    long id = insertRow(c, spec, now.toEpochMilli());
    inserted(c, spec.queue());
    return id;
  }

  @Override
  public final long insert(JobSpec spec, Instant now) {
    return store.transaction(c -> insert(c, spec, now));
  }

  @Override
  public final List<Long> insertAll(List<JobSpec> specs, Instant now) {
    if (specs.isEmpty()) {
      return List.of();
    }
    return store.transaction(c -> {
      long millis = now.toEpochMilli();
      List<Long> ids;
      if (specs.stream().allMatch(s -> s.uniqueFor() == null)) {
        ids = insertPlain(c, specs, millis);
      } else {
        ids = new ArrayList<>(specs.size());
        for (JobSpec spec : specs) {
          ids.add(insertRow(c, spec, millis));
        }
      }
      for (String queue : specs.stream().map(JobSpec::queue).distinct().toList()) {
        inserted(c, queue);
      }
      return ids;
    });
  }

  static void bind(PreparedStatement ps, JobSpec spec, long now, String uniqueKey)
      throws SQLException {
    long at = dueAt(spec, now);
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

  /** When a spec inserted at {@code now} (epoch ms) becomes due. */
  static long dueAt(JobSpec spec, long now) {
    return spec.scheduleAt() != null
        ? spec.scheduleAt().toEpochMilli()
        : now + spec.scheduleIn().toMillis();
  }

  static String insertStatement() {
    return INSERT;
  }

  long insertRow(Connection c, JobSpec spec, long now) throws SQLException {
    String uniqueKey = null;
    if (spec.uniqueFor() != null) {
      uniqueKey = JobsJson.uniqueKey(spec);
      lockUnique(c, uniqueKey);
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

  @Override
  public final Optional<Long> insertForTick(String cron, Instant tick, JobSpec spec, Instant now) {
    return store.transaction(c -> {
      int claimed =
          Sql.update(
              c,
              "insert into weft_cron_ticks (name, tick_at) values (?, ?) on conflict do nothing",
              cron,
              tick.toEpochMilli());
      return claimed == 1 ? Optional.of(insert(c, spec, now)) : Optional.<Long>empty();
    });
  }

  @Override
  public final List<Job> fetch(String queue, int limit, String node, Instant now) {
    long millis = now.toEpochMilli();
    String pick =
        "select id from weft_jobs where queue = ? and state in ('available', 'scheduled', 'retryable')"
            + " and scheduled_at <= ? order by priority, scheduled_at, id limit ?"
            + pickLock();
    List<Job> jobs =
        store.transaction(c ->
            Sql.query(
                c,
                "update weft_jobs set state = 'executing', attempt = attempt + 1, attempted_at = ?, attempted_by = ?"
                    + " where id in ("
                    + pick
                    + ") returning "
                    + COLUMNS,
                SqlEngine::job,
                millis,
                node,
                queue,
                millis,
                limit));
    // RETURNING gives no order; the contract's is the pick's.
    return jobs.stream().sorted(MemoryEngine.FETCH_ORDER).toList();
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

  @Override
  public final List<Long> complete(List<Long> ids, Instant now) {
    if (ids.isEmpty()) {
      return List.of();
    }
    String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
    Object[] args = new Object[ids.size() + 1];
    args[0] = now.toEpochMilli();
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

  @Override
  public final Optional<JobState> error(Job job, String error, Duration backoff, Instant now) {
    boolean last = job.attempt() >= job.maxAttempts();
    JobState next = last ? JobState.DISCARDED : JobState.RETRYABLE;
    long millis = now.toEpochMilli();
    int n =
        store.transaction(c ->
            Sql.update(
                c,
                "update weft_jobs set state = ?, errors = ?, scheduled_at = ?, finished_at = ?"
                    + " where id = ? and state = 'executing'",
                next.column(),
                JobsJson.withError(job.errors(), job.attempt(), error, now),
                last ? job.scheduledAt().toEpochMilli() : millis + backoff.toMillis(),
                last ? (Object) millis : null,
                job.id()));
    return n == 1 ? Optional.of(next) : Optional.empty();
  }

  @Override
  public final boolean discard(Job job, String error, Instant now) {
    return store.transaction(c ->
        Sql.update(
            c,
            "update weft_jobs set state = 'discarded', errors = ?, finished_at = ? where id = ? and state = 'executing'",
            JobsJson.withError(job.errors(), job.attempt(), error, now),
            now.toEpochMilli(),
            job.id()))
        == 1;
  }

  @Override
  public final boolean snooze(Job job, Duration delay, Instant now) {
    return store.transaction(c ->
        Sql.update(
            c,
            "update weft_jobs set state = 'scheduled', attempt = attempt - 1, scheduled_at = ?"
                + " where id = ? and state = 'executing'",
            now.toEpochMilli() + delay.toMillis(),
            job.id()))
        == 1;
  }

  @Override
  public final boolean cancel(long id, String reason, Instant now) {
    return store.transaction(c -> {
      Optional<Job> job = job(c, id);
      if (job.isEmpty() || job.get().state().isFinal()) {
        return false;
      }
      return Sql.update(
              c,
              "update weft_jobs set state = 'cancelled', errors = ?, finished_at = ? where id = ? and state = ?",
              JobsJson.withError(job.get().errors(), job.get().attempt(), reason, now),
              now.toEpochMilli(),
              id,
              job.get().state().column())
          == 1;
    });
  }

  @Override
  public final boolean retry(long id, Instant now) {
    return store.transaction(c ->
        Sql.update(
            c,
            "update weft_jobs set state = 'available', attempt = 0, scheduled_at = ?, finished_at = null"
                + " where id = ? and state in ('discarded', 'cancelled', 'retryable', 'completed')",
            now.toEpochMilli(),
            id))
        == 1;
  }

  @Override
  public final int releaseNode(String node) {
    return store.transaction(c ->
        Sql.update(
            c,
            "update weft_jobs set state = 'available', attempt = attempt - 1 where state = 'executing' and attempted_by = ?",
            node));
  }

  @Override
  public final int releaseQueue(String node, String queue) {
    return store.transaction(c ->
        Sql.update(
            c,
            "update weft_jobs set state = 'available', attempt = attempt - 1 where state = 'executing' and attempted_by = ? and queue = ?",
            node,
            queue));
  }

  @Override
  public final int release(List<Long> ids) {
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

  @Override
  public final void heartbeat(String node, Instant now) {
    long millis = now.toEpochMilli();
    store.transaction(c -> {
      if (Sql.update(c, "update weft_job_nodes set seen_at = ? where name = ?", millis, node)
          == 0) {
        Sql.update(c, "insert into weft_job_nodes (name, seen_at) values (?, ?)", node, millis);
      }
      return null;
    });
  }

  @Override
  public final int rescue(Duration rescueAfter, String self, Instant now) {
    long cutoff = now.toEpochMilli() - rescueAfter.toMillis();
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

  @Override
  public final int prune(Duration age, Instant now) {
    long cutoff = now.toEpochMilli() - age.toMillis();
    return store.transaction(c ->
        Sql.update(
            c,
            "delete from weft_jobs where state in ('completed', 'discarded', 'cancelled') and finished_at < ?",
            cutoff));
  }

  @Override
  public final Optional<Job> job(long id) {
    return store.transaction(c -> job(c, id));
  }

  private static Optional<Job> job(Connection c, long id) throws SQLException {
    return Sql.one(c, "select " + COLUMNS + " from weft_jobs where id = ?", SqlEngine::job, id);
  }

  @Override
  public final List<Job> recent(Optional<JobState> state, int limit) {
    return store.transaction(c ->
        state.isEmpty()
            ? Sql.query(
                c,
                "select " + COLUMNS + " from weft_jobs order by id desc limit ?",
                SqlEngine::job,
                limit)
            : Sql.query(
                c,
                "select " + COLUMNS + " from weft_jobs where state = ? order by id desc limit ?",
                SqlEngine::job,
                state.get().column(),
                limit));
  }

  @Override
  public final Map<String, Map<JobState, Long>> counts() {
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

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + store.kind() + "]";
  }
}
