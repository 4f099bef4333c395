package weft.genserver;

import java.time.Duration;
import java.util.Objects;
import weft.registry.Registry;

/**
 * How to start a server: under which name, and how long {@code init} may take.
 *
 * {@snippet :
 * Pid counter = GenServer.startLink(new Counter(), StartOptions.named("counter"));
 * }
 *
 * @param name a unique name registered before {@code init} runs, or null
 * @param registry a registry to register {@code key} in before {@code init} runs, or null
 * @param key the key in {@code registry}
 * @param timeout how long the starter waits for {@code init}; when it runs out the new process is
 *     killed and start fails with {@code timeout}. Default: wait for ever, as in OTP.
 */
public record StartOptions(String name, Registry registry, Object key, Duration timeout) {

  /** The default start timeout: none (OTP's {@code infinity}). */
  public static final Duration INFINITE = weft.process.Process.INFINITY;

  /**
   * Validates the options.
   *
   * @param name the name or null
   * @param registry the registry or null
   * @param key the key, required with a registry
   * @param timeout the start timeout, positive
   */
  public StartOptions {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("start timeout must be positive, got " + timeout);
    }
    if (registry != null && key == null) {
      throw new IllegalArgumentException("a registry registration needs a key");
    }
    if (name != null && registry != null) {
      throw new IllegalArgumentException("give a name or a registry key, not both");
    }
  }

  /**
   * No name, no timeout.
   *
   * @return the options
   */
  public static StartOptions defaults() {
    return new StartOptions(null, null, null, INFINITE);
  }

  /**
   * Registered under a unique name.
   *
   * @param name the name
   * @return the options
   */
  public static StartOptions named(String name) {
    return new StartOptions(Objects.requireNonNull(name, "name"), null, null, INFINITE);
  }

  /**
   * Registered under a key of a unique {@link Registry} (Elixir's {@code {:via, Registry, ...}});
   * address it later with {@code registry.via(key)}.
   *
   * @param registry the registry
   * @param key the key
   * @return the options
   */
  public static StartOptions via(Registry registry, Object key) {
    return new StartOptions(null, Objects.requireNonNull(registry, "registry"), key, INFINITE);
  }

  /**
   * The same options with another start timeout.
   *
   * @param timeout how long {@code init} may take
   * @return the options
   */
  public StartOptions withTimeout(Duration timeout) {
    return new StartOptions(name, registry, key, timeout);
  }
}
