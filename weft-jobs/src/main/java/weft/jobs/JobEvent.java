package weft.jobs;

import java.time.Instant;

/**
 * A job changed state (Oban's telemetry events): emitted after every transition, to the listeners
 * given to {@link Jobs#addListener}.
 *
 * @param id the job
 * @param queue its queue
 * @param worker its worker
 * @param state the new state
 * @param attempt its attempt count
 * @param at when
 * @param error the error of a failed attempt, or null
 */
public record JobEvent(
    long id, String queue, String worker, JobState state, int attempt, Instant at, String error) {}
