package weft.web.presence;

import java.time.Duration;
import java.util.Objects;

/**
 * How presence replicates between nodes.
 *
 * @param heartbeat how often a node publishes its presences to the others (default 1.5 s, as
 *     Phoenix)
 * @param downAfter a node not heard from for this long is taken as gone and its presences leave
 *     (default 30 s, as Phoenix)
 */
public record PresenceOptions(Duration heartbeat, Duration downAfter) {

  /**
   * Validates the options.
   *
   * @param heartbeat positive
   * @param downAfter longer than the heartbeat
   */
  public PresenceOptions {
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(downAfter, "downAfter");
    if (heartbeat.isNegative() || heartbeat.isZero() || downAfter.compareTo(heartbeat) <= 0) {
      throw new IllegalArgumentException("heartbeat must be positive and shorter than downAfter");
    }
  }

  /**
   * Phoenix's defaults.
   *
   * @return the options
   */
  public static PresenceOptions defaults() {
    return new PresenceOptions(Duration.ofMillis(1500), Duration.ofSeconds(30));
  }
}
