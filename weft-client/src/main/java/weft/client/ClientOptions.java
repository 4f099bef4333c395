package weft.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link PhoenixClient} behaves; the defaults are the JS client's.
 *
 * @param heartbeat how often to send a heartbeat (default 30 s); a heartbeat not answered by the
 *     next one closes the connection and reconnects
 * @param pushTimeout how long a join or push waits for its reply (default 10 s)
 * @param reconnectDelays delays before each reconnect attempt; the last repeats (default 10, 50,
 *     100, 150, 200, 250, 500, 1000, 2000 ms, then 5 s)
 * @param rejoinDelays delays before a failed or errored channel rejoins; the last repeats (default
 *     1, 2, 5 then 10 s)
 */
public record ClientOptions(
    Duration heartbeat,
    Duration pushTimeout,
    List<Duration> reconnectDelays,
    List<Duration> rejoinDelays) {

  /**
   * Validates the options.
   *
   * @param heartbeat positive
   * @param pushTimeout positive
   * @param reconnectDelays at least one
   * @param rejoinDelays at least one
   */
  public ClientOptions {
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(pushTimeout, "pushTimeout");
    reconnectDelays = List.copyOf(reconnectDelays);
    rejoinDelays = List.copyOf(rejoinDelays);
    if (reconnectDelays.isEmpty() || rejoinDelays.isEmpty()) {
      throw new IllegalArgumentException("delay lists must not be empty");
    }
  }

  /**
   * The JS client's defaults.
   *
   * @return the options
   */
  public static ClientOptions defaults() {
    return new ClientOptions(
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        List.of(10, 50, 100, 150, 200, 250, 500, 1000, 2000, 5000).stream()
            .map(Duration::ofMillis)
            .toList(),
        List.of(1, 2, 5, 10).stream().map(Duration::ofSeconds).toList());
  }

  /**
   * With other timings (tests use short ones).
   *
   * @param heartbeat heartbeat interval
   * @param reconnect the single reconnect delay
   * @param rejoin the single rejoin delay
   * @return the options
   */
  public ClientOptions withTimings(Duration heartbeat, Duration reconnect, Duration rejoin) {
    return new ClientOptions(heartbeat, pushTimeout, List.of(reconnect), List.of(rejoin));
  }

  static Duration pick(List<Duration> delays, int attempt) {
    return delays.get(Math.min(attempt, delays.size() - 1));
  }
}
