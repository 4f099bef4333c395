package weft.jobs.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.jobs.BadArgsException;
import weft.jobs.Job;
import weft.jobs.JobEvent;
import weft.jobs.JobResult;
import weft.jobs.JobState;
import weft.jobs.Worker;
import weft.jobs.engine.JobEngine;
import weft.process.Down;
import weft.process.Exit;
import weft.process.ExitReason;
import weft.process.ExitUnwind;
import weft.process.Pid;
import weft.process.Process;
import weft.process.Ref;

/*
 * Design: one process per queue (Oban's producer). It never runs user code and never holds a
 * transaction open: it fetches due jobs up to its free slots, runs each attempt in a process of
 * its own (monitored, with the worker's timeout), and fetches again when a slot frees, when an
 * insert on this node wakes it, or when the poll interval passes. An attempt's process records
 * its own outcome; the runner records only what the attempt could not: a timeout, or a crash
 * that killed the attempt's process.
 *
 * Acknowledgements are batched: an attempt that succeeded reports to the runner, which marks a
 * whole batch completed in one transaction when its mailbox is empty or the batch is full. A
 * crash loses at most the unwritten batch (those jobs run again: at least once).
 *
 * Shutdown (Stop message): no more fetching; running attempts get the grace period; the rest are
 * killed and their jobs released for another run.
 */
/** Runs one queue's jobs on this node. */
public final class QueueRunner {

  private static final Logger LOG = LoggerFactory.getLogger(QueueRunner.class);

  /** Look for due jobs now. */
  public record Wake() {}

  /** Change the concurrency limit. */
  public record Scale(int limit) {}

  /** Stop or restart fetching; {@code done} completes once no further fetch will start. */
  public record Pause(boolean paused, java.util.concurrent.CompletableFuture<Void> done) {}

  /** Stop: let running attempts finish within the grace period, then release the rest. */
  public record Stop(Duration grace) {}

  private record Timeout(Pid attempt) {}

  private record Running(Job job, Ref monitor, Ref timer) {}

  private final String queue;
  private final String node;
  private final JobEngine engine;
  private final Clock clock;
  private final Map<String, Worker> workers;
  private final Duration pollInterval;
  private final Consumer<JobEvent> events;
  private final Duration shutdownGrace;
  private final Consumer<Pid> started;
  private final Map<Pid, Running> running = new HashMap<>();
  private final Map<Pid, String> timedOut = new HashMap<>();
  private int limit;
  private boolean paused;

  /**
   * Creates a runner (run it with {@link #run()} in its own process).
   *
   * @param queue the queue
   * @param limit its concurrency
   * @param node this node's name
   * @param engine where the jobs are
   * @param clock the clock outcomes and events are timed by
   * @param workers workers by name
   * @param pollInterval how often to look for due jobs
   * @param events where state changes go
   * @param shutdownGrace how long running attempts may take when its supervisor stops it
   * @param started told each process's pid before that process does any work
   */
  public QueueRunner(
      String queue,
      int limit,
      String node,
      JobEngine engine,
      Clock clock,
      Map<String, Worker> workers,
      Duration pollInterval,
      Consumer<JobEvent> events,
      Duration shutdownGrace,
      Consumer<Pid> started) {
    this.shutdownGrace = shutdownGrace;
    this.started = started;
    this.queue = queue;
    this.limit = limit;
    this.node = node;
    this.engine = engine;
    this.clock = clock;
    this.workers = workers;
    this.pollInterval = pollInterval;
    this.events = events;
  }

  /** An attempt finished with ok; its acknowledgement is batched. */
  private record Completed(Job job) {}

  /** At most this many finished jobs wait for their acknowledgement to be written. */
  public static final int MAX_ACK_BATCH = 200;

  private final List<Job> acks = new java.util.ArrayList<>();
  // The runner's own pid, for its attempts to report to; written once at the start of run().
  private volatile Pid self;

  /**
   * The process body. It traps exits: an exit signal from its supervisor stops it gracefully
   * (running attempts get the shutdown grace). One runner object outlives its processes: when a
   * supervisor starts it again after a crash, the new process kills the attempts the old one left,
   * writes the acknowledgements it held and makes the queue's jobs executing on this node available
   * again. A killed process's thread may still finish a step, so steps hold the object's lock.
   */
  public void run() {
    Process.label("JobQueue(" + queue + ")");
    Process.trapExit(true);
    started.accept(Process.self());
    synchronized (this) {
      if (self != null) {
        recover();
      }
      self = Process.self();
    }
    while (true) {
      // Take what is already in the mailbox first; only when it is empty write the batched
      // acknowledgements and fetch, so a busy queue spends few transactions per job.
      Optional<Object> message = Process.receive(Duration.ZERO);
      if (message.isEmpty()) {
        synchronized (this) {
          flushAcks();
          if (!paused) {
            fetch();
          }
        }
        message = Process.receive(pollInterval);
        if (message.isEmpty()) {
          continue;
        }
      }
      synchronized (this) {
        if (!handle(message.get())) {
          return;
        }
        if (acks.size() >= MAX_ACK_BATCH) {
          flushAcks();
        }
      }
    }
  }

  private void recover() {
    for (Pid p : running.keySet()) {
      Process.exit(p, ExitReason.KILL);
    }
    running.clear();
    timedOut.clear();
    flushAcks();
    int released = engine.releaseQueue(node, queue);
    LOG.warn(
        "queue {} restarted; {} job(s) its previous runner left executing are available again",
        queue,
        released);
  }

  /** Handles one message; false when the queue must end. */
  private boolean handle(Object message) {
    switch (message) {
      case Wake w -> {}
      case Completed(Job job) -> acks.add(job);
      case Scale(int n) -> limit = n;
      case Pause(boolean p, var done) -> {
        paused = p;
        done.complete(null);
      }
      case Down d -> attemptEnded(d);
      case Timeout(Pid attempt) -> {
        Running r = running.get(attempt);
        if (r != null) {
          timedOut.put(
              attempt,
              "timed out after " + worker(r.job()).map(w -> w.options().timeout()).orElse(null));
          Process.exit(attempt, ExitReason.KILL);
        }
      }
      case Stop(Duration grace) -> {
        stop(grace);
        return false;
      }
      case Exit(Pid from, ExitReason reason) -> {
        stop(shutdownGrace); // only the supervisor is linked: attempts are monitored
        throw Process.exit(reason);
      }
      default -> LOG.debug("queue {} ignored {}", queue, message);
    }
    return true;
  }

  private void flushAcks() {
    if (acks.isEmpty()) {
      return;
    }
    List<Job> batch = List.copyOf(acks);
    acks.clear();
    try {
      var done =
          new java.util.HashSet<>(
              engine.complete(batch.stream().map(Job::id).toList(), clock.instant()));
      for (Job j : batch) {
        if (done.contains(j.id())) {
          emit(j, JobState.COMPLETED, null);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "queue {} could not acknowledge {} job(s); they will run again: {}",
          queue,
          batch.size(),
          e.toString());
    }
  }

  private void fetch() {
    int free = limit - running.size();
    if (free <= 0) {
      return;
    }
    List<Job> jobs;
    try {
      jobs = engine.fetch(queue, free, node, clock.instant());
    } catch (RuntimeException e) {
      LOG.warn("queue {} could not fetch jobs: {}", queue, e.toString());
      return;
    }
    for (Job job : jobs) {
      emit(job, JobState.EXECUTING, null);
      Optional<Worker> worker = worker(job);
      if (worker.isEmpty()) {
        String error = "unknown worker " + job.worker();
        LOG.error("job {} discarded: {}", job.id(), error);
        if (engine.discard(job, error, clock.instant())) {
          emit(job, JobState.DISCARDED, error);
        }
        continue;
      }
      Worker w = worker.get();
      var spawned = Process.spawnMonitor(() -> attempt(w, job));
      Ref timer =
          Process.sendAfter(Process.self(), new Timeout(spawned.pid()), w.options().timeout());
      running.put(spawned.pid(), new Running(job, spawned.ref(), timer));
    }
  }

  private Optional<Worker> worker(Job job) {
    return Optional.ofNullable(workers.get(job.worker()));
  }

  /** The body of an attempt's process: perform, then record the outcome. */
  private void attempt(Worker worker, Job job) {
    Pid me = Process.self();
    Process.label("Job(" + job.worker() + "#" + job.id() + ")");
    JobResult result;
    try {
      result = worker.perform(job);
      if (result == null) {
        result =
            JobResult.error(
                "perform returned null; expected JobResult.ok(), error(..), snooze(..) or cancel(..)");
      }
    } catch (BadArgsException e) {
      if (engine.discard(job, e.getMessage(), clock.instant())) {
        emit(job, JobState.DISCARDED, e.getMessage());
      }
      return;
    } catch (ExitUnwind u) {
      throw u;
    } catch (Throwable t) {
      result = JobResult.error(stackTrace(t));
    }
    if (!Process.isAlive(me)) {
      // Killed (timeout or shutdown) while performing: the queue records that, not this thread.
      return;
    }
    switch (result) {
      case JobResult.Ok ok -> Process.send(self, new Completed(job));
      case JobResult.Error(String reason) -> failed(worker, job, reason);
      case JobResult.Snooze(Duration delay) -> {
        if (engine.snooze(job, delay, clock.instant())) {
          emit(job, JobState.SCHEDULED, null);
        }
      }
      case JobResult.Cancel(String reason) -> {
        if (engine.cancel(job.id(), reason, clock.instant())) {
          emit(job, JobState.CANCELLED, reason);
        }
      }
    }
  }

  private void failed(Worker worker, Job job, String reason) {
    engine
        .error(job, reason, worker.options().backoff().apply(job.attempt()), clock.instant())
        .ifPresent(state -> emit(job, state, reason));
  }

  private void attemptEnded(Down d) {
    Running r = running.remove(d.pid());
    if (r == null) {
      return;
    }
    Process.cancelTimer(r.timer());
    String timeout = timedOut.remove(d.pid());
    if (timeout != null || !d.reason().isNormal()) {
      String reason = timeout != null ? timeout : "attempt process ended: " + d.reason();
      worker(r.job()).ifPresent(w -> failed(w, r.job(), reason));
    }
  }

  private void stop(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    while (!running.isEmpty()) {
      Process.flush(m -> {
        if (m instanceof Completed(Job job)) {
          acks.add(job);
          return true;
        }
        return false;
      });
      long left = deadline - System.nanoTime();
      Optional<Down> d =
          left <= 0 ? Optional.empty() : Process.receive(Down.class, Duration.ofNanos(left));
      if (d.isEmpty()) {
        break;
      }
      attemptEnded(d.get());
    }
    List<Long> unfinished = new java.util.ArrayList<>();
    Process.flush(m -> {
      if (m instanceof Completed(Job job)) {
        acks.add(job);
        return true;
      }
      return false;
    });
    flushAcks();
    for (Pid p : List.copyOf(running.keySet())) {
      Process.demonitor(running.get(p).monitor(), true);
      Process.exit(p, ExitReason.KILL);
      unfinished.add(running.get(p).job().id());
    }
    if (!unfinished.isEmpty()) {
      int released = engine.release(unfinished);
      LOG.info("queue {} stopped; released {} unfinished job(s) for another run", queue, released);
    }
  }

  private void emit(Job job, JobState state, String error) {
    try {
      events.accept(
          new JobEvent(
              job.id(), job.queue(), job.worker(), state, job.attempt(), clock.instant(), error));
    } catch (RuntimeException e) {
      LOG.warn("job event listener failed: {}", e.toString());
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    String s = w.toString();
    return s.length() > 4000 ? s.substring(0, 4000) + "..." : s;
  }
}
