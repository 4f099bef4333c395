package weft.jobs;

import java.util.Locale;

/**
 * Where a job is in its life: {@code AVAILABLE|SCHEDULED -> EXECUTING -> COMPLETED}, or {@code
 * EXECUTING -> RETRYABLE -> EXECUTING ...}, ending {@code DISCARDED} (out of attempts, unknown
 * worker, bad args) or {@code CANCELLED}.
 */
public enum JobState {
  /** Ready to run now. */
  AVAILABLE,
  /** Waiting for its time. */
  SCHEDULED,
  /** Running on a node. */
  EXECUTING,
  /** Failed; will run again at its scheduled time. */
  RETRYABLE,
  /** Done. */
  COMPLETED,
  /** Given up on. */
  DISCARDED,
  /** Cancelled by its worker or by a person. */
  CANCELLED;

  /** The name stored in the database. */
  public String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The state for a database name.
   *
   * @param column the stored name, such as {@code available}
   * @return the state
   */
  public static JobState of(String column) {
    return valueOf(column.toUpperCase(Locale.ROOT));
  }

  /** Whether the job will not run again. */
  public boolean isFinal() {
    return this == COMPLETED || this == DISCARDED || this == CANCELLED;
  }
}
