package weft.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.jobs.internal.JobTable;
import weft.jobs.internal.QueueRunner;
import weft.process.Exit;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.store.Store;
import weft.store.StoreConfig;
import weft.store.StoreException;
import weft.supervisor.ChildSpec;
import weft.supervisor.Restart;
import weft.supervisor.Shutdown;
import weft.supervisor.Strategy;
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
 * <h2>Engines</h2>
 *
 * On PostgreSQL several nodes share the queues ({@code FOR UPDATE SKIP LOCKED}); on SQLite one node
 * owns them. The tables are created by the module's own migrations, recorded apart from the
 * application's ({@code weft_jobs_schema_history}).
 */
public final class Jobs implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

  /** How long running jobs may take when a supervisor stops the queues. */
  public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(15);

  private final JobsConfig config;
  private final JobTable table;
  private final Store store;
  private final Map<String, QueueRunner> runners = new LinkedHashMap<>();
  private final Map<String, Pid> queues = new ConcurrentHashMap<>();
  private final List<JobListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Node node;
  private volatile Pid supervisor;

  private Jobs(Store store, JobsConfig config, List<Worker> workers, List<JobListener> listeners) {
    this.listeners.addAll(listeners);
    this.config = config;
    this.store = store;
    this.table = new JobTable(store, config.clock());
    Map<String, Worker> byName = new HashMap<>();
    for (Worker w : workers) {
      if (byName.putIfAbsent(w.name(), w) != null) {
        throw new IllegalArgumentException("two workers are named " + w.name());
      }
    }
    migrate(store);
    int orphans = table.release(config.node());
    if (orphans > 0) {
      LOG.warn(
          "{} job(s) of node {} were left executing by a previous run; made available again",
          orphans,
          config.node());
    }
    table.heartbeat(config.node());
    config
        .queues()
        .forEach((queue, limit) ->
            runners.put(
                queue,
                new QueueRunner(
                    queue,
                    limit,
                    config.node(),
                    table,
                    Map.copyOf(byName),
                    config.pollInterval(),
                    this::emit,
                    SHUTDOWN_GRACE,
                    pid -> queues.put(queue, pid))));
  }

  /**
   * The job processes as one supervisor (id {@code "jobs"}, one-for-one) to put in an application's
   * tree: a process per queue ({@code "queue:<name>"}), the rescue and prune loop ({@code
   * "maintenance"}), the cron ({@code "cron"}, when there are entries) and, on PostgreSQL, the
   * listener for new jobs ({@code "notifications"}). A queue that crashes is started again: the
   * attempts it left are killed and its jobs made available again. When the supervisor stops it,
   * running jobs get {@link #SHUTDOWN_GRACE} to finish; the rest are released for another run.
   *
   * @return the spec
   */
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
    children.add(ChildSpec.worker("maintenance", () -> Process.spawnLink(this::maintain)));
    if (!config.cron().isEmpty()) {
      children.add(ChildSpec.worker("cron", () -> Process.spawnLink(this::cronLoop)));
    }
    if (store.kind() == StoreConfig.Kind.POSTGRES) {
      children.add(
          ChildSpec.worker(
              "notifications",
              () -> {
                // LISTEN before the child counts as started: no insert after it is missed.
                Connection c = openListener(store);
                return Process.spawnLink(() -> listen(store, c));
              }));
    }
    return children;
  }

  /** Opens a connection that LISTENs for new jobs, before start returns (none is missed after). */
  private static Connection openListener(Store store) {
    try {
      Connection c = store.dataSource().getConnection();
      c.setAutoCommit(true);
      try (var st = c.createStatement()) {
        st.execute("LISTEN weft_jobs");
      }
      return c;
    } catch (SQLException e) {
      LOG.warn("cannot listen for new jobs ({}); queues will poll", e.toString());
      return null;
    }
  }

  /**
   * PostgreSQL LISTEN/NOTIFY: inserts on any node notify channel {@code weft_jobs} with the queue's
   * name, and this process wakes that queue at once. Polling remains the safety net.
   */
  private void listen(Store store, Connection first) {
    Process.label("JobNotifications");
    Process.trapExit(true);
    Connection next = first;
    while (true) {
      try (Connection c = next != null ? next : openListener(store)) {
        next = null;
        if (c == null) {
          throw new SQLException("no connection");
        }
        var pg = c.unwrap(org.postgresql.PGConnection.class);
        while (true) {
          var notes = pg.getNotifications(500);
          if (notes != null) {
            for (var n : notes) {
              wake(n.getParameter());
            }
          }
          if (stopping(Duration.ZERO)) {
            return; // the connection goes back to the pool before the supervisor goes on
          }
        }
      } catch (SQLException e) {
        if (stopping(Duration.ZERO)) {
          return;
        }
        LOG.warn(
            "job notifications lost ({}); polling meanwhile, listening again in 1 s", e.toString());
        if (stopping(Duration.ofSeconds(1))) {
          return;
        }
      }
    }
  }

  /**
   * For the loops that trap exits: waits up to {@code wait} for an exit signal from the supervisor;
   * when one comes, ends the process with its reason (the loop's resources released by the
   * unwinding), before the supervisor stops the next child or the application closes the store.
   * Returns false otherwise.
   */
  private static boolean stopping(Duration wait) {
    Optional<Exit> exit = Process.receive(Exit.class, wait);
    if (exit.isPresent()) {
      throw Process.exit(exit.get().reason()); // ends with the supervisor's reason (shutdown)
    }
    return false;
  }

  private void cronLoop() {
    Process.label("JobCron");
    Process.trapExit(true);
    while (true) {
      tickCron();
      long millis = table.now().toEpochMilli();
      if (stopping(Duration.ofMillis(60_000 - millis % 60_000 + 50))) {
        return;
      }
    }
  }

  /**
   * Inserts the job of every cron entry whose latest tick has not been taken yet by any node. The
   * cron process of each node calls this at every minute; tests call it after moving the clock.
   *
   * @return the ids of the jobs inserted
   */
  public List<Long> tickCron() {
    List<Long> inserted = new java.util.ArrayList<>();
    Instant now = table.now();
    for (CronEntry entry : config.cron()) {
      entry
          .lastTick(now)
          .filter(tick -> !tick.isBefore(now.minus(Duration.ofMinutes(1))))
          .flatMap(tick -> table.insertForTick(entry.name(), tick, entry.spec()))
          .ifPresent(id -> {
            inserted.add(id);
            wake(entry.spec().queue());
          });
    }
    return inserted;
  }

  /**
   * Starts running jobs on this node.
   *
   * @param node the node whose processes run the jobs
   * @param store the database (its migrations are applied first)
   * @param config node name, queues, timings, clock
   * @param workers the workers this node can run
   * @return the running jobs
   * @throws StoreException if the job tables cannot be created
   * @throws IllegalArgumentException if two workers share a name
   */
  public static Jobs start(Node node, Store store, JobsConfig config, List<Worker> workers) {
    return start(node, store, config, workers, List.of());
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
   */
  public static Jobs start(
      Node node,
      Store store,
      JobsConfig config,
      List<Worker> workers,
      List<JobListener> listeners) {
    Jobs jobs = create(store, config, workers, listeners);
    jobs.node = node;
    jobs.supervisor = Supervisor.start(node, SUPERVISION, jobs.children());
    return jobs;
  }

  /**
   * Prepares jobs for an application's supervision tree (see {@link #childSpec()}): creates the
   * tables and makes this node's jobs left executing by a previous run available again, but starts
   * no process.
   *
   * @param store the database (its migrations are applied first)
   * @param config node name, queues, timings, clock
   * @param workers the workers this node can run
   * @param listeners hear every job state change
   * @return the jobs, not running yet
   * @throws StoreException if the job tables cannot be created
   * @throws IllegalArgumentException if two workers share a name
   */
  public static Jobs create(
      Store store, JobsConfig config, List<Worker> workers, List<JobListener> listeners) {
    return new Jobs(store, config, workers, listeners);
  }

  private static void migrate(Store store) {
    String idType =
        store.kind() == StoreConfig.Kind.POSTGRES
            ? "bigserial primary key"
            : "integer primary key autoincrement";
    try {
      Flyway.configure()
          .dataSource(store.dataSource())
          .locations("classpath:weft/jobs/migration")
          .placeholders(Map.of("idType", idType))
          .table("weft_jobs_schema_history")
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new StoreException("cannot create the job tables: " + e.getMessage(), e);
    }
  }

  private void maintain() {
    Process.label("JobMaintenance");
    Process.trapExit(true);
    while (true) {
      try {
        table.heartbeat(config.node());
        int rescued = table.rescue(config.rescueAfter(), config.node());
        if (rescued > 0) {
          LOG.warn(
              "rescued {} job(s) left executing by nodes not heard from in {}",
              rescued,
              config.rescueAfter());
          queues.values().forEach(q -> Process.send(q, new QueueRunner.Wake()));
        }
        table.prune(config.pruneAfter());
      } catch (RuntimeException e) {
        LOG.warn("job maintenance failed: {}", e.toString());
      }
      if (stopping(config.rescueAfter().dividedBy(4))) {
        return;
      }
    }
  }

  /**
   * Inserts a job; a queue of this node runs it as soon as it is due and a slot is free.
   *
   * @param spec the job
   * @return its id
   */
  public long insert(JobSpec spec) {
    long id = table.insertCommitted(spec);
    wake(spec.queue());
    return id;
  }

  /**
   * Inserts many jobs in one transaction (one JDBC batch on PostgreSQL).
   *
   * @param specs the jobs
   * @return their ids, in order
   */
  public List<Long> insertAll(List<JobSpec> specs) {
    List<Long> ids = table.insertAllCommitted(specs);
    specs.stream().map(JobSpec::queue).distinct().forEach(this::wake);
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
   */
  public long insert(Connection connection, JobSpec spec) throws SQLException {
    long id = table.insert(connection, spec);
    wake(spec.queue());
    return id;
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
    return table.get(id);
  }

  /**
   * Cancels a job that has not finished.
   *
   * @param id the job
   * @return whether it was cancelled
   */
  public boolean cancel(long id) {
    Optional<Job> before = table.get(id);
    boolean done = table.cancel(id, "cancelled by request");
    if (done) {
      before.ifPresent(j ->
          emit(
              new JobEvent(
                  id,
                  j.queue(),
                  j.worker(),
                  JobState.CANCELLED,
                  j.attempt(),
                  table.now(),
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
    boolean done = table.retry(id);
    if (done) {
      table
          .get(id)
          .ifPresent(j -> {
            emit(new JobEvent(id, j.queue(), j.worker(), JobState.AVAILABLE, 0, table.now(), null));
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
   * @param state only jobs in this state, or null for all
   * @param limit at most this many, 1-1000
   * @return the jobs
   */
  public List<Job> recent(JobState state, int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be 1-1000, got " + limit);
    }
    return table.recent(state, limit);
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
    return table.counts();
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

  @Override
  public void close() {
    stop(Duration.ofSeconds(15));
  }
}
