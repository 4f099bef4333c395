package weft.jobs.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import weft.jobs.Job;
import weft.jobs.JobSpec;
import weft.jobs.JobState;
import weft.jobs.internal.MemoryEngine;
import weft.jobs.internal.PostgresEngine;
import weft.jobs.internal.SqliteEngine;
import weft.store.Store;
import weft.store.StoreConfig;

/**
 * Where jobs are kept, and every change of their state (Oban's {@code Engine}). The queues, the
 * cron, the lifeline and the pruner call nothing else, so an engine is all a new storage needs.
 *
 * <h2>Contract</h2>
 *
 * Every state change is guarded by the state it starts from: an outcome ({@link #complete}, {@link
 * #error}, {@link #discard}, {@link #snooze}) changes a job only while it is {@link
 * JobState#EXECUTING}, so a late or duplicate outcome never overwrites a newer one (a job cancelled
 * meanwhile stays cancelled). {@link #fetch} marks the jobs it returns executing in the same step
 * that picks them, so two callers never take the same job. Times are passed in by the caller (the
 * {@link weft.jobs.JobsConfig#clock() configured clock}); an engine reads no clock of its own.
 * Methods are thread-safe and block the caller for the time the storage takes; a storage failure is
 * a {@link weft.store.StoreException} (or another unchecked exception) and changes nothing.
 *
 * <p>Weft's own engines: {@link #sqlite(Store)} and {@link #postgres(Store)} (the {@code weft_jobs}
 * tables, created by {@link #init()}), and {@link #inMemory()} for tests. The contract suite {@code
 * weft.test.JobEngineContract} in weft-test runs against each; run it against yours.
 */
public interface JobEngine {

  /**
   * Prepares the storage (creates or migrates tables); called once before any other method.
   * Idempotent.
   *
   * @throws weft.store.StoreException if the storage cannot be prepared
   */
  void init();

  /**
   * Inserts a job: {@link JobState#SCHEDULED} when it is due after {@code now}, else {@link
   * JobState#AVAILABLE}; attempt 0, no errors. A spec with {@link JobSpec#uniqueFor()} matching a
   * job (same worker, queue and arguments) inserted within that period and not cancelled or
   * discarded inserts nothing and returns that job's id.
   *
   * @param spec the job
   * @param now the insertion time
   * @return the job's id
   */
  long insert(JobSpec spec, Instant now);

  /**
   * Inserts jobs atomically: all of them, or none when this throws.
   *
   * @param specs the jobs
   * @param now the insertion time
   * @return their ids, in order (as {@link #insert} for unique specs)
   */
  List<Long> insertAll(List<JobSpec> specs, Instant now);

  /**
   * Inserts a cron entry's job for one tick, unless any node sharing the storage already did.
   *
   * @param cron the entry's name
   * @param tick the tick
   * @param spec the job
   * @param now the insertion time
   * @return the job's id, or empty when the tick was taken already
   */
  Optional<Long> insertForTick(String cron, Instant tick, JobSpec spec, Instant now);

  /**
   * Takes up to {@code limit} due jobs of a queue ({@code AVAILABLE}, {@code SCHEDULED} or {@code
   * RETRYABLE} with a due time at or before {@code now}), lowest priority first, then earliest due,
   * then lowest id; marks them executing by {@code node} and adds one to their attempt.
   *
   * @param queue the queue
   * @param limit at most this many, at least 1
   * @param node the node taking them
   * @param now the time
   * @return the jobs as they are now (executing)
   */
  List<Job> fetch(String queue, int limit, String node, Instant now);

  /**
   * Marks executing jobs completed, in one step.
   *
   * @param ids the jobs
   * @param now the finishing time
   * @return the ids actually completed (a job no longer executing is left as it is)
   */
  List<Long> complete(List<Long> ids, Instant now);

  /**
   * Records a failed attempt of an executing job, appending {@code error} to its errors: {@link
   * JobState#RETRYABLE}, due at {@code now + backoff}, while {@code job.attempt()} is below its
   * maximum; {@link JobState#DISCARDED} (finished) on the last one.
   *
   * @param job the job as it was fetched
   * @param error what went wrong
   * @param backoff the delay before the next attempt
   * @param now the time
   * @return the new state, or empty when the job was no longer executing
   */
  Optional<JobState> error(Job job, String error, Duration backoff, Instant now);

  /**
   * Discards an executing job at once (unknown worker, bad arguments), appending {@code error}.
   *
   * @param job the job
   * @param error why
   * @param now the time
   * @return whether it was executing (and is now discarded)
   */
  boolean discard(Job job, String error, Instant now);

  /**
   * Makes an executing job {@link JobState#SCHEDULED} at {@code now + delay}, giving its attempt
   * back.
   *
   * @param job the job
   * @param delay how long until it may run again
   * @param now the time
   * @return whether it was executing
   */
  boolean snooze(Job job, Duration delay, Instant now);

  /**
   * Cancels a job that has not finished (an executing one included: its outcome is then ignored),
   * appending {@code reason} to its errors.
   *
   * @param id the job
   * @param reason why
   * @param now the time
   * @return whether it was cancelled (false when absent or finished)
   */
  boolean cancel(long id, String reason, Instant now);

  /**
   * Makes a completed, discarded, cancelled or retryable job available now, attempts reset to 0.
   *
   * @param id the job
   * @param now the time
   * @return whether it was in one of those states
   */
  boolean retry(long id, Instant now);

  /**
   * Makes a node's executing jobs available again, giving their attempt back (the node starts again
   * after dying).
   *
   * @param node the node
   * @return how many jobs
   */
  int releaseNode(String node);

  /**
   * Makes a node's executing jobs of one queue available again, giving their attempt back (the
   * queue's runner crashed and its attempts were killed).
   *
   * @param node the node
   * @param queue the queue
   * @return how many jobs
   */
  int releaseQueue(String node, String queue);

  /**
   * Makes these executing jobs available again, giving their attempt back (a graceful stop).
   *
   * @param ids the jobs
   * @return how many were executing
   */
  int release(List<Long> ids);

  /**
   * Records that a node is alive at {@code now}.
   *
   * @param node the node
   * @param now the time
   */
  void heartbeat(String node, Instant now);

  /**
   * Makes available again the executing jobs of nodes whose last heartbeat is older than {@code
   * rescueAfter} (never {@code self}'s); their attempt stands, as it may have had effects. Forgets
   * those nodes.
   *
   * @param rescueAfter how long a node may go unheard
   * @param self this node
   * @param now the time
   * @return how many jobs were rescued
   */
  int rescue(Duration rescueAfter, String self, Instant now);

  /**
   * Deletes jobs that finished (completed, discarded, cancelled) more than {@code age} before
   * {@code now}.
   *
   * @param age the age
   * @param now the time
   * @return how many were deleted
   */
  int prune(Duration age, Instant now);

  /**
   * A job.
   *
   * @param id its id
   * @return the job, or empty
   */
  Optional<Job> job(long id);

  /**
   * The latest jobs, highest id first.
   *
   * @param state only jobs in this state, or empty for all
   * @param limit at most this many
   * @return the jobs
   */
  List<Job> recent(Optional<JobState> state, int limit);

  /**
   * Job counts by queue and state; states with no job are absent.
   *
   * @return queue to state to count
   */
  Map<String, Map<JobState, Long>> counts();

  /**
   * How other nodes sharing this storage hear of new jobs; {@link JobNotifier#none()} when the
   * engine is not shared.
   *
   * @return the notifier
   */
  default JobNotifier notifier() {
    return JobNotifier.none();
  }

  /**
   * The engine for a store, by its kind.
   *
   * @param store the store
   * @return {@link #sqlite(Store)} or {@link #postgres(Store)}
   */
  static SqlJobEngine of(Store store) {
    return store.kind() == StoreConfig.Kind.POSTGRES ? postgres(store) : sqlite(store);
  }

  /**
   * Jobs in a SQLite store: one node owns the queues; the write lock serialises fetches.
   *
   * @param store a SQLite store
   * @return the engine
   * @throws IllegalArgumentException if the store is not SQLite
   */
  static SqlJobEngine sqlite(Store store) {
    return new SqliteEngine(store);
  }

  /**
   * Jobs in a PostgreSQL store: nodes sharing it share the queues ({@code FOR UPDATE SKIP LOCKED}),
   * and hear of new jobs through {@code LISTEN/NOTIFY}.
   *
   * @param store a PostgreSQL store
   * @return the engine
   * @throws IllegalArgumentException if the store is not PostgreSQL
   */
  static SqlJobEngine postgres(Store store) {
    return new PostgresEngine(store);
  }

  /**
   * Jobs in memory, for tests: the same contract, nothing on disk, nothing shared with another
   * engine.
   *
   * @return a new, empty engine
   */
  static JobEngine inMemory() {
    return new MemoryEngine();
  }
}
