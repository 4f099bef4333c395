package weft.supervisor;

/** Whether a child is a worker or a supervisor (which changes its default shutdown). */
public enum ChildType {
  /** Does work; default shutdown 5 seconds. */
  WORKER,
  /** Supervises others; default shutdown infinity. */
  SUPERVISOR
}
