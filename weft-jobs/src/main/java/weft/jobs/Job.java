package weft.jobs;

import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import weft.jobs.internal.JobsJson;

/**
 * One job: a row of the {@code weft_jobs} table.
 *
 * @param id its id
 * @param state its state
 * @param queue the queue it runs in
 * @param worker the worker's name
 * @param args its arguments (JSON)
 * @param errors one entry per failed attempt: {@code {"attempt", "at", "error"}}
 * @param attempt attempts made so far (the one running included)
 * @param maxAttempts attempts allowed
 * @param priority 0 runs first, then 1, ...
 * @param insertedAt when it was inserted
 * @param scheduledAt when it may run
 * @param attemptedBy the node that ran it last, or null
 */
public record Job(
    long id,
    JobState state,
    String queue,
    String worker,
    JsonNode args,
    JsonNode errors,
    int attempt,
    int maxAttempts,
    int priority,
    Instant insertedAt,
    Instant scheduledAt,
    String attemptedBy) {

  /**
   * The arguments read into a type (records work).
   *
   * @param <T> the type
   * @param type the type
   * @return the arguments
   * @throws BadArgsException if they do not fit the type: the job is discarded with the reason
   */
  public <T> T args(Class<T> type) {
    try {
      return JobsJson.MAPPER.treeToValue(args, type);
    } catch (JacksonException e) {
      throw new BadArgsException(
          "args of job "
              + id
              + " do not fit "
              + type.getSimpleName()
              + ": "
              + e.getOriginalMessage(),
          e);
    }
  }
}
