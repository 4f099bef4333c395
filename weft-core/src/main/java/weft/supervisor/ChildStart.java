package weft.supervisor;

import weft.process.Pid;

/**
 * Starts a child. Runs on the supervisor's process and must return a process linked to it, which
 * {@code GenServer.startLink}, {@code Supervisor.startLink} and {@code Process.spawnLink} do. The
 * supervisor also links the returned process itself, so a forgotten link does no harm.
 *
 * <p>Throwing {@link weft.genserver.StartException} with {@code ignored()} true means "ignore": the
 * child is recorded as not running. Any other exception is a failed start.
 */
@FunctionalInterface
public interface ChildStart {

  /**
   * Starts the child.
   *
   * @return its pid
   * @throws Exception the start failed
   */
  Pid start() throws Exception;
}
