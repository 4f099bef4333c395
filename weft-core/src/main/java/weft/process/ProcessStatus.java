package weft.process;

/** What a process is doing, as seen from outside: {@code RUNNING -> WAITING -> ... -> EXITED}. */
public enum ProcessStatus {
  /** Running its code (or runnable). */
  RUNNING,
  /** Blocked in a receive, waiting for a message. */
  WAITING,
  /** Ended; its exit reason is known. */
  EXITED
}
