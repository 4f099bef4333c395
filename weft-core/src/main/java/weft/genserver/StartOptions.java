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
 * @param registration where the server is registered before {@code init} runs: nowhere, under a
 *     unique name of its node, or under a key of a {@link Registry}
 * @param timeout how long the starter waits for {@code init}; when it runs out the new process is
 *     killed and start fails with {@code timeout}. Default: wait for ever, as in OTP.
 */
public record StartOptions(Registration registration, Duration timeout) {

  /** Where a server is registered while it runs. */
  public sealed interface Registration {}

  /** Not registered: addressed by its pid only. */
  public record Unregistered() implements Registration {}

  /**
   * Under a unique name of its node ({@code Process.whereis}).
   *
   * @param name the name
   */
  public record Named(String name) implements Registration {
    /**
     * Checks the name.
     *
     * @param name not null
     */
    public Named {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * Under a key of a unique {@link Registry} (Elixir's {@code {:via, Registry, key}}).
   *
   * @param registry the registry
   * @param key the key
   */
  public record Via(Registry registry, Object key) implements Registration {
    /**
     * Checks the registration.
     *
     * @param registry not null
     * @param key not null
     */
    public Via {
      Objects.requireNonNull(registry, "registry");
      Objects.requireNonNull(key, "key (a registry registration needs one)");
    }
  }

  /** The default start timeout: none (OTP's {@code infinity}). */
  public static final Duration INFINITE = weft.process.Process.INFINITY;

  /**
   * Validates the options.
   *
   * @param registration not null ({@link Unregistered} for none)
   * @param timeout the start timeout, positive
   */
  public StartOptions {
    Objects.requireNonNull(registration, "registration (new Unregistered() for none)");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("start timeout must be positive, got " + timeout);
    }
  }

  /**
   * No name, no timeout.
   *
   * @return the options
   */
  public static StartOptions defaults() {
    return new StartOptions(new Unregistered(), INFINITE);
  }

  /**
   * Registered under a unique name.
   *
   * @param name the name
   * @return the options
   */
  public static StartOptions named(String name) {
    return new StartOptions(new Named(name), INFINITE);
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
    return new StartOptions(new Via(registry, key), INFINITE);
  }

  /**
   * The same options with another start timeout.
   *
   * @param timeout how long {@code init} may take
   * @return the options
   */
  public StartOptions withTimeout(Duration timeout) {
    return new StartOptions(registration, timeout);
  }
}
