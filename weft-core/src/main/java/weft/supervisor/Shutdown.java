package weft.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * How a supervisor stops a child: kill it at once ({@link BrutalKill}), ask it to stop and kill it
 * after a timeout ({@link Timeout}), or ask and wait for ever ({@link Infinity}, the default for
 * supervisors). Asking means an exit signal with {@code shutdown}: a child that traps exits runs
 * its clean-up ({@code terminate}), one that does not ends at once.
 */
public sealed interface Shutdown {

  /** OTP's default for workers: 5 seconds. */
  Shutdown DEFAULT_WORKER = new Timeout(Duration.ofSeconds(5));

  /**
   * Kill at once with the untrappable {@code kill}.
   *
   * @return the shutdown
   */
  static Shutdown brutalKill() {
    return new BrutalKill();
  }

  /**
   * Ask, then kill after the timeout.
   *
   * @param timeout how long the child gets to stop
   * @return the shutdown
   */
  static Shutdown timeout(Duration timeout) {
    return new Timeout(timeout);
  }

  /**
   * Ask and wait for ever.
   *
   * @return the shutdown
   */
  static Shutdown infinity() {
    return new Infinity();
  }

  /** Kill at once. */
  record BrutalKill() implements Shutdown {}

  /**
   * Ask, then kill.
   *
   * @param timeout how long the child gets, positive
   */
  record Timeout(Duration timeout) implements Shutdown {
    /**
     * Validates the timeout.
     *
     * @param timeout how long the child gets, positive
     */
    public Timeout {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("shutdown timeout must be positive, got " + timeout);
      }
    }
  }

  /** Ask and wait. */
  record Infinity() implements Shutdown {}
}
