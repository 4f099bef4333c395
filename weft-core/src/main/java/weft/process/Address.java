package weft.process;

import java.util.Optional;

/**
 * Something a message or a call can be addressed to: a {@link Pid}, a registered name ({@link
 * Node#named(String)}) or a key in a {@link weft.registry.Registry} ({@code registry.via(key)}). It
 * is resolved at the moment of each send or call, so a name follows a restarted process.
 */
@FunctionalInterface
public interface Address {

  /**
   * Finds the process currently behind this address.
   *
   * @return the process, or empty when nothing is registered under it
   */
  Optional<Pid> resolve();
}
