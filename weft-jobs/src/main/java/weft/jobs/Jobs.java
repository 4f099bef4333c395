package weft.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.jobs.engine.JobEngine;
import weft.jobs.engine.JobNotifier;
import weft.jobs.engine.SqlJobEngine;
import weft.jobs.internal.Cron;
import weft.jobs.internal.Lifeline;
import weft.jobs.internal.Pruner;
import weft.jobs.internal.QueueRunner;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.store.Store;
import weft.store.StoreException;
import weft.supervisor.ChildSpec;
import weft.supervisor.Restart;
import weft.supervisor.Shutdown;
import weft.supervisor.Strategy;
import weft.supervisor.Supervised;
import weft.supervisor.Supervisor;
import weft.supervisor.SupervisorOptions;

/**
 * A durable job queue in the style of Oban: jobs are rows in the application's database, queues run
 * them with concurrency limits, failed attempts retry with backoff, and nothing a job was inserted
 * for is lost when the process dies.
 *
 * {@snippet :
 * Jobs jobs = Jobs.start(node, store, JobsConfig.of("node-1", Map.of("default", 10, "mail", 2)),
 *     List.of(new SendWelcome()));
 * jobs.insert(JobSpec.of(new SendWelcome(), new SendWelcome.Args("ada@example.com")));
 * }
 *
 * <h2>Guarantees</h2>
 *
 * A job is inserted by one statement (inside the caller's transaction with {@link
 * #insert(Connection, JobSpec)}, so it exists only if the data it refers to was committed). It is
 * run at least once: when a node dies, the jobs it was running and those that had finished but
 * whose acknowledgement was not yet written (acknowledgements are batched, at most 200 per queue)
 * run again (at start-up for this node's own jobs; after {@link JobsConfig#rescueAfter()} for
 * another node's). Each attempt runs in its own process with its worker's timeout. On PostgreSQL
 * this node listens for new jobs before {@code start} returns.
 *
 * <h2>Engines and parts</h2>
 *
 * Jobs are kept by a {@link JobEngine}: on PostgreSQL several nodes share the queues ({@code FOR
 * UPDATE SKIP LOCKED}) and hear of each other's inserts ({@link JobNotifier}); on SQLite one node
 * owns them; {@link JobEngine#inMemory()} keeps them in memory for tests. The SQL tables are
 * created by the module's own migrations, recorded apart from the application's ({@code
 * weft_jobs_schema_history}). This class is the facade; the processes it supervises are the queue
 * runners, the cron, the lifeline (heartbeats and rescue of dead nodes' jobs), the pruner and the
 * notifier's listener.
 */
public final class Jobs implements AutoCloseable, Supervised {

  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

  /** How long running jobs may take when a supervisor stops the queues. */
  public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(15);

  private final JobsConfig config;
  private final JobEngine engine;
  private final JobNotifier notifier;
  private final Cron cron;
  private final Lifeline lifeline;
  private final Pruner pruner;
  private final Map<String, QueueRunner> runners = new LinkedHashMap<>();
  private final Map<String, Pid> queues = new ConcurrentHashMap<>();
  private final List<JobListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Node node;
  private volatile Pid supervisor;

  private Jobs(
      JobEngine engine, JobsConfig config, List<Worker> workers, List<JobListener> listeners) {
    this.listeners.addAll(listeners);
    this.config = config;
    this.engine = engine;
    this.notifier = engine.notifier();
    Map<String, Worker> byName = new HashMap<>();
    for (Worker w : workers) {
      if (byName.putIfAbsent(w.name(), w) != null) {
        throw new IllegalArgumentException("two workers are named " + w.name());
      }
    }
    engine.init();
    this.cron = new Cron(engine, config.clock(), config.cron(), this::inserted);
    this.lifeline =
        new Lifeline(engine, config.clock(), config.node(), config.rescueAfter(), this::wakeAll);
    this.pruner =
        new Pruner(engine, config.clock(), config.pruneAfter(), config.rescueAfter().dividedBy(4));
    lifeline.recoverOwn();
    config
        .queues()
        .forEach((queue, limit) ->
            runners.put(
                queue,
                new QueueRunner(
                    queue,
                    limit,
                    config.node(),
                    engine,
                    config.clock(),
                    Map.copyOf(byName),
                    config.pollInterval(),
                    this::emit,
                    SHUTDOWN_GRACE,
                    pid -> queues.put(queue, pid))));
  }

  /**
   * The job processes as one supervisor (id {@code "jobs"}, one-for-one) to put in an application's
   * tree: a process per queue ({@code "queue:<name>"}), the heartbeat and rescue loop ({@code
   * "lifeline"}), the pruner ({@code "pruner"}), the cron ({@code "cron"}, when there are entries)
   * and, when the engine is shared between nodes, the listener for their new jobs ({@code
   * "notifier"}; on PostgreSQL it LISTENs before the child counts as started). A queue that crashes
   * is started again: the attempts it left are killed and its jobs made available again. When the
   * supervisor stops it, running jobs get {@link #SHUTDOWN_GRACE} to finish; the rest are released
   * for another run.
   *
   * @return the spec
   */
  @Override
  public ChildSpec childSpec() {
    List<ChildSpec> children = children();
    return ChildSpec.supervisor(
        "jobs",
        () -> {
          node = Process.node();
          Pid pid = Supervisor.startLink(SUPERVISION, children);
          supervisor = pid;
          return pid;
        });
  }

  private static final SupervisorOptions SUPERVISION =
      SupervisorOptions.of(Strategy.ONE_FOR_ONE).withIntensity(10, Duration.ofSeconds(10));

  private List<ChildSpec> children() {
    List<ChildSpec> children = new ArrayList<>();
    runners.forEach((queue, runner) ->
        children.add(
            ChildSpec.worker(
                    "queue:" + queue,
                    () -> {
                      // Known when start returns; the runner also records itself before any
                      // work, so a restarted queue is never addressed by its old pid.
                      Pid pid = Process.spawnLink(runner::run);
                      queues.put(queue, pid);
                      return pid;
                    })
                .withRestart(Restart.TRANSIENT)
                .withShutdown(Shutdown.timeout(SHUTDOWN_GRACE.plusSeconds(5)))));
    children.add(lifeline.childSpec());
    children.add(pruner.childSpec());
    if (!config.cron().isEmpty()) {
      children.add(cron.childSpec());
    }
    notifier.listener(this::wake).ifPresent(children::add);
    return children;
  }

  /**
   * Inserts the job of every cron entry whose latest tick has not been taken yet by any node. The
   * cron process of each node calls this at every minute; tests call it after moving the clock.
   *
   * @return the ids of the jobs inserted
   */
  public List<Long> tickCron() {
    return cron.tick();
  }

  /**
   * Starts running jobs on this node, in the store's database ({@link JobEngine#of(Store)}).
   *
   * @param node the node whose processes run the jobs
   * @param store the database (the job tables are created first)
   * @param config node name, queues, timings, clock
   * @param workers the workers this node can run
   * @return the running jobs
   * @throws StoreException if the job tables cannot be created
   * @throws IllegalArgumentException if two workers share a name
   */
  public static Jobs start(Node node, Store store, JobsConfig config, List<Worker> workers) {
    return start(node, JobEngine.of(store), config, workers, List.of());
  }

  /**
   * Starts running jobs, with listeners that hear every event from the first one on.
   *
   * @param node the node whose processes run the jobs
   * @param store the database
   * @param config node name, queues, timings, clock
   * @param workers the workers this node can run
   * @param listeners hear every job state change
   * @return the running jobs
   * @throws StoreException if the job tables cannot be created
   * @throws IllegalArgumentException if two workers share a name
   */
  public static Jobs start(
      Node node,
      Store store,
      JobsConfig config,
      List<Worker> workers,
      List<JobListener> listeners) {
    return start(node, JobEngine.of(store), config, workers, listeners);
  }

  /**
   * Starts running jobs kept by any engine ({@link JobEngine#inMemory()} in tests).
   *
   * @param node the node whose processes run the jobs
   * @param engine where the jobs are
   * @param config node name, queues, timings, clock
   * @param workers the workers this node can run
   * @param listeners hear every job state change
   * @return the running jobs
   * @throws StoreException if the engine cannot be prepared
   * @throws IllegalArgumentException if two workers share a name
   */
  public static Jobs start(
      Node node,
      JobEngine engine,
      JobsConfig config,
      List<Worker> workers,
      List<JobListener> listeners) {
    Jobs jobs = create(engine, config, workers, listeners);
    jobs.node = node;
    jobs.supervisor = Supervisor.start(node, SUPERVISION, jobs.children());
    return jobs;
  }

  /**
   * Prepares jobs for an application's supervision tree (see {@link #childSpec()}): creates the
   * tables and makes this node's jobs left executing by a previous run available again, but starts
   * no process.
   *
   * @param store the database (the job tables are created first)
   * @param config node name, queues, timings, clock
   * @param workers the workers this node can run
   * @param listeners hear every job state change
   * @return the jobs, not running yet
   * @throws StoreException if the job tables cannot be created
   * @throws IllegalArgumentException if two workers share a name
   */
  public static Jobs create(
      Store store, JobsConfig config, List<Worker> workers, List<JobListener> listeners) {
    return create(JobEngine.of(store), config, workers, listeners);
  }

  /**
   * As {@link #create(Store, JobsConfig, List, List)}, over any engine.
   *
   * @param engine where the jobs are
   * @param config node name, queues, timings, clock
   * @param workers the workers this node can run
   * @param listeners hear every job state change
   * @return the jobs, not running yet
   * @throws StoreException if the engine cannot be prepared
   * @throws IllegalArgumentException if two workers share a name
   */
  public static Jobs create(
      JobEngine engine, JobsConfig config, List<Worker> workers, List<JobListener> listeners) {
    return new Jobs(engine, config, workers, listeners);
  }

  /**
   * The engine the jobs are kept by.
   *
   * @return the engine
   */
  public JobEngine engine() {
    return engine;
  }

  /**
   * Inserts a job; a queue of this node runs it as soon as it is due and a slot is free.
   *
   * @param spec the job
   * @return its id
   * @throws StoreException if it cannot be stored (nothing is inserted)
   */
  public long insert(JobSpec spec) {
    long id = engine.insert(spec, config.clock().instant());
    inserted(spec.queue());
    return id;
  }

  /**
   * Inserts many jobs atomically (one JDBC batch on PostgreSQL).
   *
   * @param specs the jobs
   * @return their ids, in order
   * @throws StoreException if they cannot be stored (none is inserted)
   */
  public List<Long> insertAll(List<JobSpec> specs) {
    List<Long> ids = engine.insertAll(specs, config.clock().instant());
    specs.stream().map(JobSpec::queue).distinct().forEach(this::inserted);
    return ids;
  }

  /**
   * Inserts a job on the caller's connection, inside its transaction: the job exists only if the
   * transaction commits.
   *
   * @param connection the caller's connection
   * @param spec the job
   * @return its id
   * @throws SQLException if the insert fails
   * @throws IllegalStateException if the engine does not keep jobs in a database
   */
  public long insert(Connection connection, JobSpec spec) throws SQLException {
    if (!(engine instanceof SqlJobEngine sql)) {
      throw new IllegalStateException(
          "jobs kept by " + engine + " cannot be inserted in a database transaction");
    }
    long id = sql.insert(connection, spec, config.clock().instant());
    inserted(spec.queue());
    return id;
  }

  /** A job of {@code queue} was inserted here: this node's runner and the other nodes hear. */
  private void inserted(String queue) {
    wake(queue);
    try {
      notifier.announce(queue);
    } catch (RuntimeException e) {
      LOG.warn("could not announce new jobs of queue {}: {}", queue, e.toString());
    }
  }

  private void wake(String queue) {
    Pid q = queues.get(queue);
    Node n = node;
    if (q != null && n != null) {
      n.send(q, new QueueRunner.Wake());
    }
  }

  /** Wakes every queue: due jobs (for example after a clock moved in a test) start now. */
  public void wakeAll() {
    queues.keySet().forEach(this::wake);
  }

  /**
   * A job.
   *
   * @param id its id
   * @return the job, or empty
   */
  public Optional<Job> job(long id) {
    return engine.job(id);
  }

  /**
   * Cancels a job that has not finished.
   *
   * @param id the job
   * @return whether it was cancelled
   */
  public boolean cancel(long id) {
    Optional<Job> before = engine.job(id);
    boolean done = engine.cancel(id, "cancelled by request", config.clock().instant());
    if (done) {
      before.ifPresent(j ->
          emit(
              new JobEvent(
                  id,
                  j.queue(),
                  j.worker(),
                  JobState.CANCELLED,
                  j.attempt(),
                  config.clock().instant(),
                  "cancelled by request")));
    }
    return done;
  }

  /**
   * Runs a finished or waiting job again now, with its attempts reset.
   *
   * @param id the job
   * @return whether it was made available
   */
  public boolean retry(long id) {
    boolean done = engine.retry(id, config.clock().instant());
    if (done) {
      engine
          .job(id)
          .ifPresent(j -> {
            emit(
                new JobEvent(
                    id,
                    j.queue(),
                    j.worker(),
                    JobState.AVAILABLE,
                    0,
                    config.clock().instant(),
                    null));
            wake(j.queue());
          });
    }
    return done;
  }

  /** How long {@link #pause(String, boolean)} waits for the queue to take the change. */
  public static final Duration PAUSE_WAIT = Duration.ofSeconds(30);

  /**
   * Stops (or restarts) fetching for a queue; running jobs go on. Returns once the queue has taken
   * it (waiting up to {@link #PAUSE_WAIT}): after a pause, no new job of the queue starts on this
   * node.
   *
   * @param queue the queue
   * @param paused true to pause
   * @throws IllegalStateException if the queue did not answer in time (it may still take the change
   *     later), or is not one of this node's queues
   */
  public void pause(String queue, boolean paused) {
    pause(queue, paused, PAUSE_WAIT);
  }

  /**
   * Like {@link #pause(String, boolean)}, waiting up to {@code wait} for the queue to take it.
   *
   * @param queue the queue
   * @param paused true to pause
   * @param wait how long to wait for the queue's answer
   * @throws IllegalStateException if the queue did not answer in time, or is not one of this node's
   *     queues
   */
  public void pause(String queue, boolean paused, Duration wait) {
    var done = new java.util.concurrent.CompletableFuture<Void>();
    node().send(queueOf(queue), new QueueRunner.Pause(paused, done));
    try {
      done.get(wait.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for queue " + queue, e);
    } catch (Exception e) {
      throw new IllegalStateException("queue " + queue + " did not answer within " + wait, e);
    }
  }

  /**
   * Changes a queue's concurrency on this node.
   *
   * @param queue the queue
   * @param limit the new limit, at least 1
   */
  public void scale(String queue, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("a queue's limit is at least 1");
    }
    node().send(queueOf(queue), new QueueRunner.Scale(limit));
  }

  private Node node() {
    Node n = node;
    if (n == null) {
      throw new IllegalStateException("jobs have not been started");
    }
    return n;
  }

  private Pid queueOf(String queue) {
    Pid q = queues.get(queue);
    if (q == null) {
      throw new IllegalArgumentException("this node does not run queue " + queue);
    }
    return q;
  }

  /**
   * Adds a listener for every job state change.
   *
   * @param listener the listener
   */
  public void addListener(JobListener listener) {
    listeners.add(listener);
  }

  private void emit(JobEvent e) {
    for (JobListener l : listeners) {
      l.on(e);
    }
  }

  /**
   * The latest jobs, newest first (for dashboards).
   *
   * @param limit at most this many, 1-1000
   * @return the jobs
   */
  public List<Job> recent(int limit) {
    return engine.recent(Optional.empty(), checkedLimit(limit));
  }

  /**
   * The latest jobs in one state, newest first (for dashboards).
   *
   * @param state only jobs in this state
   * @param limit at most this many, 1-1000
   * @return the jobs
   */
  public List<Job> recent(JobState state, int limit) {
    return engine.recent(Optional.of(state), checkedLimit(limit));
  }

  private static int checkedLimit(int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be 1-1000, got " + limit);
    }
    return limit;
  }

  /**
   * The queues this node runs, with their processes while they run (for dashboards).
   *
   * @return queue name to pid
   */
  public Map<String, Pid> queueProcesses() {
    return Map.copyOf(queues);
  }

  /**
   * Job counts by queue and state (for dashboards).
   *
   * @return queue to state to count
   */
  public Map<String, Map<JobState, Long>> counts() {
    return engine.counts();
  }

  /**
   * Stops gracefully: queues stop fetching, running jobs get {@code grace} to finish, the rest are
   * killed and released for another run; then the job supervisor ends. Returns when done. Does
   * nothing if the jobs never started.
   *
   * <p>It waits for each queue up to {@code grace} plus 10 s (a queue not stopped by then is logged
   * and the supervisor is shut down anyway, which kills what is left of it), then up to 10 s for
   * the supervisor; so it returns within about {@code grace + 10 s} per queue plus 10 s.
   *
   * @param grace how long running jobs may take
   */
  public void stop(Duration grace) {
    Node n = node;
    Pid sup = supervisor;
    if (n == null || sup == null) {
      return;
    }
    for (Pid q : queues.values()) {
      n.send(q, new QueueRunner.Stop(grace)); // transient: a queue that ends so stays ended
    }
    for (Pid q : queues.values()) {
      try {
        n.awaitExit(q, grace.plusSeconds(10));
      } catch (Exception e) {
        LOG.warn("queue {} did not stop in time", q);
      }
    }
    n.exit(sup, weft.process.ExitReason.SHUTDOWN);
    try {
      n.awaitExit(sup, Duration.ofSeconds(10));
    } catch (Exception e) {
      LOG.warn("the job supervisor did not stop in time");
    }
  }

  /** {@link #stop(Duration)} with {@link #SHUTDOWN_GRACE}. */
  @Override
  public void close() {
    stop(SHUTDOWN_GRACE);
  }
}
