package weft.web.presence;

import java.time.Duration;
import java.util.Objects;

/**
 * How presence replicates between nodes and how its diffs reach clients.
 *
 * <p>Diffs are coalesced per topic: the first change on a quiet topic is sent at once; changes that
 * follow within {@code diffWindow} are held and sent together, as one {@code presence_diff} holding
 * every join and leave of the window, when it ends. While changes keep coming the window doubles
 * after every such batch, up to {@code maxDiffWindow}; a window without changes makes the topic
 * quiet again. A room where people come and go now and then sees every change at once; a room of
 * 10,000 joining together sees one diff per window instead of one per join. The same window paces
 * how often this node publishes its own presences to the other nodes.
 *
 * @param heartbeat how often a node publishes its presences to the others (default 1.5 s, as
 *     Phoenix)
 * @param downAfter a node not heard from for this long is taken as gone and its presences leave
 *     (default 30 s, as Phoenix)
 * @param diffWindow the first coalescing window of a busy topic (default 50 ms); zero sends every
 *     change on its own, as Phoenix does for a node's own presences
 * @param maxDiffWindow the longest the window grows to while changes keep coming (default 1.5 s,
 *     Phoenix's {@code broadcast_period})
 */
public record PresenceOptions(
    Duration heartbeat, Duration downAfter, Duration diffWindow, Duration maxDiffWindow) {

  private static final Duration DIFF_WINDOW = Duration.ofMillis(50);
  private static final Duration MAX_DIFF_WINDOW = Duration.ofMillis(1500);

  /**
   * Validates the options.
   *
   * @param heartbeat positive
   * @param downAfter longer than the heartbeat
   * @param diffWindow zero or positive
   * @param maxDiffWindow at least {@code diffWindow}
   * @throws IllegalArgumentException if one is out of range
   */
  public PresenceOptions {
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(downAfter, "downAfter");
    Objects.requireNonNull(diffWindow, "diffWindow");
    Objects.requireNonNull(maxDiffWindow, "maxDiffWindow");
    if (heartbeat.isNegative() || heartbeat.isZero() || downAfter.compareTo(heartbeat) <= 0) {
      throw new IllegalArgumentException("heartbeat must be positive and shorter than downAfter");
    }
    if (diffWindow.isNegative() || maxDiffWindow.compareTo(diffWindow) < 0) {
      throw new IllegalArgumentException(
          "diffWindow must be zero or positive and maxDiffWindow at least diffWindow, got "
              + diffWindow
              + " and "
              + maxDiffWindow);
    }
  }

  /**
   * Options with the default diff windows (50 ms growing to 1.5 s).
   *
   * @param heartbeat positive
   * @param downAfter longer than the heartbeat
   */
  public PresenceOptions(Duration heartbeat, Duration downAfter) {
    this(heartbeat, downAfter, DIFF_WINDOW, MAX_DIFF_WINDOW);
  }

  /**
   * Phoenix's defaults for replication, with diffs coalesced in windows of 50 ms to 1.5 s.
   *
   * @return the options
   */
  public static PresenceOptions defaults() {
    return new PresenceOptions(Duration.ofMillis(1500), Duration.ofSeconds(30));
  }

  /**
   * These options with other diff windows.
   *
   * @param first the first window of a busy topic (zero: no coalescing)
   * @param max the longest window
   * @return the options
   * @throws IllegalArgumentException if {@code first} is negative or longer than {@code max}
   */
  public PresenceOptions withDiffWindow(Duration first, Duration max) {
    return new PresenceOptions(heartbeat, downAfter, first, max);
  }
}
