package weft.supervisor;

import weft.process.ExitReason;

/** When a supervisor restarts a child that ended (OTP's restart types). */
public enum Restart {
  /** Always restarted. The default for workers and supervisors. */
  PERMANENT,
  /** Restarted only when it ends abnormally (not {@code normal} nor {@code shutdown}). */
  TRANSIENT,
  /** Never restarted; its spec is removed when it ends. */
  TEMPORARY;

  /**
   * Whether a child with this restart type that ended with {@code reason} is restarted.
   *
   * @param reason how the child ended
   * @return whether to restart it
   */
  public boolean restarts(ExitReason reason) {
    return switch (this) {
      case PERMANENT -> true;
      case TRANSIENT -> !reason.isNormal();
      case TEMPORARY -> false;
    };
  }
}
