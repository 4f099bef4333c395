package weft.supervisor;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a supervisor behaves.
 *
 * @param strategy what to restart when a child must be restarted
 * @param maxRestarts restart intensity: more than this many restarts within {@code period} make the
 *     supervisor stop its children and exit with {@code shutdown} (default 3, as in Elixir)
 * @param period the intensity window (default 5 seconds)
 * @param name a unique name to register, or empty
 */
public record SupervisorOptions(
    Strategy strategy, int maxRestarts, Duration period, Optional<String> name) {

  /**
   * Validates the options.
   *
   * @param strategy not null
   * @param maxRestarts zero or more
   * @param period positive
   * @param name the name, or empty
   */
  public SupervisorOptions {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(name, "name (Optional.empty() for none)");
    if (maxRestarts < 0) {
      throw new IllegalArgumentException("maxRestarts must be >= 0, got " + maxRestarts);
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive, got " + period);
    }
  }

  /**
   * A strategy with Elixir's defaults: 3 restarts in 5 seconds, no name.
   *
   * @param strategy the strategy
   * @return the options
   */
  public static SupervisorOptions of(Strategy strategy) {
    return new SupervisorOptions(strategy, 3, Duration.ofSeconds(5), Optional.empty());
  }

  /**
   * The same options with another intensity.
   *
   * @param maxRestarts restarts allowed within the period
   * @param period the window
   * @return the options
   */
  public SupervisorOptions withIntensity(int maxRestarts, Duration period) {
    return new SupervisorOptions(strategy, maxRestarts, period, name);
  }

  /**
   * The same options with a registered name.
   *
   * @param name the name
   * @return the options
   */
  public SupervisorOptions withName(String name) {
    return new SupervisorOptions(strategy, maxRestarts, period, Optional.of(name));
  }
}
