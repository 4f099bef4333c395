package weft.supervisor;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a dynamic supervisor behaves.
 *
 * @param maxChildren how many children may run at once; more are refused (default unbounded)
 * @param maxRestarts restart intensity: restarts allowed within {@code period} (default 3)
 * @param period the intensity window (default 5 seconds)
 * @param name a unique name to register, or empty
 */
public record DynamicSupervisorOptions(
    int maxChildren, int maxRestarts, Duration period, Optional<String> name) {

  /**
   * Validates the options.
   *
   * @param maxChildren positive
   * @param maxRestarts zero or more
   * @param period positive
   * @param name or empty
   */
  public DynamicSupervisorOptions {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(name, "name (Optional.empty() for none)");
    if (maxChildren <= 0) {
      throw new IllegalArgumentException("maxChildren must be positive, got " + maxChildren);
    }
    if (maxRestarts < 0) {
      throw new IllegalArgumentException("maxRestarts must be >= 0, got " + maxRestarts);
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive, got " + period);
    }
  }

  /**
   * Elixir's defaults: unbounded children, 3 restarts in 5 seconds, no name.
   *
   * @return the options
   */
  public static DynamicSupervisorOptions defaults() {
    return new DynamicSupervisorOptions(
        Integer.MAX_VALUE, 3, Duration.ofSeconds(5), Optional.empty());
  }

  /**
   * With a limit on children.
   *
   * @param maxChildren the limit
   * @return the options
   */
  public DynamicSupervisorOptions withMaxChildren(int maxChildren) {
    return new DynamicSupervisorOptions(maxChildren, maxRestarts, period, name);
  }

  /**
   * With another intensity.
   *
   * @param maxRestarts restarts allowed in the period
   * @param period the window
   * @return the options
   */
  public DynamicSupervisorOptions withIntensity(int maxRestarts, Duration period) {
    return new DynamicSupervisorOptions(maxChildren, maxRestarts, period, name);
  }

  /**
   * With a registered name.
   *
   * @param name the name
   * @return the options
   */
  public DynamicSupervisorOptions withName(String name) {
    return new DynamicSupervisorOptions(maxChildren, maxRestarts, period, Optional.of(name));
  }
}
