package weft.process;

import java.util.Optional;

/**
 * The identity of a process, like an Erlang pid. Two pids are equal only when they name the same
 * process; a pid stays valid (and unequal to every other) after its process has ended, so messages
 * sent to it are silently dropped.
 *
 * <p>Pids are created by {@link Node#spawn(ProcessBody)} and its variants, never by user code.
 */
public interface Pid extends Address {

  /**
   * The number of this process within its node, unique for the node's lifetime.
   *
   * @return the number
   */
  long id();

  /**
   * The node this process runs on.
   *
   * @return the node
   */
  Node node();

  @Override
  default Optional<Pid> resolve() {
    return Optional.of(this);
  }
}
