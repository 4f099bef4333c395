package weft.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import weft.jobs.internal.JobsJson;

/**
 * A job to insert.
 *
 * {@snippet :
 * jobs.insert(JobSpec.of(new SendWelcome(), new SendWelcome.Args("ada@example.com"))
 *     .scheduleIn(Duration.ofMinutes(5)));
 * }
 *
 * @param worker the worker's name
 * @param args the arguments (JSON)
 * @param queue the queue
 * @param priority 0 first
 * @param maxAttempts attempts allowed
 * @param scheduleIn how long from insertion until it may run (zero: now)
 * @param scheduleAt when it may run, or null (then {@code scheduleIn} applies)
 * @param uniqueFor if not null: when a job with the same worker, queue and args was inserted within
 *     this period and has not been cancelled or discarded, no new job is inserted and the existing
 *     job's id is returned (Oban's unique jobs)
 */
public record JobSpec(
    String worker,
    JsonNode args,
    String queue,
    int priority,
    int maxAttempts,
    Duration scheduleIn,
    Instant scheduleAt,
    Duration uniqueFor) {

  /**
   * A spec without uniqueness.
   *
   * @param worker the worker's name
   * @param args the arguments
   * @param queue the queue
   * @param priority 0 first
   * @param maxAttempts attempts allowed
   * @param scheduleIn delay
   * @param scheduleAt time, or null
   */
  public JobSpec(
      String worker,
      JsonNode args,
      String queue,
      int priority,
      int maxAttempts,
      Duration scheduleIn,
      Instant scheduleAt) {
    this(worker, args, queue, priority, maxAttempts, scheduleIn, scheduleAt, null);
  }

  /**
   * Validates the spec.
   *
   * @param worker not null
   * @param args not null
   * @param queue not null
   * @param priority 0 or more
   * @param maxAttempts 1 or more
   * @param scheduleIn not negative
   * @param scheduleAt or null
   * @param uniqueFor positive, or null
   */
  public JobSpec {
    if (uniqueFor != null && (uniqueFor.isNegative() || uniqueFor.isZero())) {
      throw new IllegalArgumentException("uniqueFor must be positive");
    }
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(scheduleIn, "scheduleIn");
    if (priority < 0 || maxAttempts < 1 || scheduleIn.isNegative()) {
      throw new IllegalArgumentException(
          "priority >= 0, maxAttempts >= 1 and a non-negative delay are required");
    }
  }

  /**
   * A job for a worker, with the worker's queue, priority, attempts and uniqueness.
   *
   * @param worker the worker
   * @param args arguments (a record or map)
   * @return the spec
   */
  public static JobSpec of(Worker worker, Object args) {
    WorkerOptions o = worker.options();
    return new JobSpec(
        worker.name(),
        JobsJson.MAPPER.valueToTree(args),
        o.queue(),
        o.priority(),
        o.maxAttempts(),
        Duration.ZERO,
        null,
        o.uniqueFor());
  }

  /**
   * To run after a delay.
   *
   * @param delay the delay
   * @return the spec
   */
  public JobSpec scheduleIn(Duration delay) {
    return new JobSpec(worker, args, queue, priority, maxAttempts, delay, null, uniqueFor);
  }

  /**
   * To run at a time.
   *
   * @param at the time
   * @return the spec
   */
  public JobSpec scheduleAt(Instant at) {
    return new JobSpec(worker, args, queue, priority, maxAttempts, Duration.ZERO, at, uniqueFor);
  }

  /**
   * With a priority.
   *
   * @param priority 0 first
   * @return the spec
   */
  public JobSpec withPriority(int priority) {
    return new JobSpec(
        worker, args, queue, priority, maxAttempts, scheduleIn, scheduleAt, uniqueFor);
  }

  /**
   * In a queue.
   *
   * @param queue the queue
   * @return the spec
   */
  public JobSpec inQueue(String queue) {
    return new JobSpec(
        worker, args, queue, priority, maxAttempts, scheduleIn, scheduleAt, uniqueFor);
  }

  /**
   * Unique within a period: see {@link #uniqueFor()}.
   *
   * @param period how long an equal job blocks a new one
   * @return the spec
   */
  public JobSpec unique(Duration period) {
    return new JobSpec(worker, args, queue, priority, maxAttempts, scheduleIn, scheduleAt, period);
  }
}
