package weft.supervisor;

import java.util.Objects;

/**
 * How a supervisor starts, restarts and stops one child (OTP's child specification).
 *
 * {@snippet :
 * ChildSpec cache = ChildSpec.worker("cache", () -> GenServer.startLink(new Cache()))
 *     .withRestart(Restart.TRANSIENT)
 *     .withShutdown(Shutdown.timeout(Duration.ofSeconds(10)));
 * }
 *
 * @param id the child's id, unique within its supervisor
 * @param start how to start it
 * @param restart when to restart it
 * @param shutdown how to stop it
 * @param type worker or supervisor
 */
public record ChildSpec(
    Object id, ChildStart start, Restart restart, Shutdown shutdown, ChildType type) {

  /**
   * Validates the spec.
   *
   * @param id not null
   * @param start not null
   * @param restart not null
   * @param shutdown not null
   * @param type not null
   */
  public ChildSpec {
    Objects.requireNonNull(id, "child spec id");
    Objects.requireNonNull(start, () -> "child spec " + id + ": start");
    Objects.requireNonNull(restart, () -> "child spec " + id + ": restart");
    Objects.requireNonNull(shutdown, () -> "child spec " + id + ": shutdown");
    Objects.requireNonNull(type, () -> "child spec " + id + ": type");
  }

  /**
   * A permanent worker with a 5-second shutdown.
   *
   * @param id its id
   * @param start how to start it
   * @return the spec
   */
  public static ChildSpec worker(Object id, ChildStart start) {
    return new ChildSpec(id, start, Restart.PERMANENT, Shutdown.DEFAULT_WORKER, ChildType.WORKER);
  }

  /**
   * A permanent supervisor child with infinite shutdown (it stops its own children first).
   *
   * @param id its id
   * @param start how to start it
   * @return the spec
   */
  public static ChildSpec supervisor(Object id, ChildStart start) {
    return new ChildSpec(id, start, Restart.PERMANENT, Shutdown.infinity(), ChildType.SUPERVISOR);
  }

  /**
   * The same spec with another restart type.
   *
   * @param restart the restart type
   * @return the spec
   */
  public ChildSpec withRestart(Restart restart) {
    return new ChildSpec(id, start, restart, shutdown, type);
  }

  /**
   * The same spec with another shutdown.
   *
   * @param shutdown the shutdown
   * @return the spec
   */
  public ChildSpec withShutdown(Shutdown shutdown) {
    return new ChildSpec(id, start, restart, shutdown, type);
  }
}
