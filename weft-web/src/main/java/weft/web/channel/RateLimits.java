package weft.web.channel;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How fast clients may push: token buckets per socket (one connection) and per user (every
 * connection with the same socket id, {@link ConnectResult#ok(Map, String)}), for all events or for
 * one event, checked by the socket process before a frame reaches a channel. A frame that finds a
 * bucket empty is refused without running anything: a push or join with a ref gets {@code
 * phx_reply} with status {@code error} and {@code {"reason": "rate limited", "retry_after_ms": n}};
 * one without a ref is dropped. A client refused more often than {@link #closeAfter} allows is
 * disconnected with close code {@link #CLOSE_CODE} ({@code 4429}), which a client can tell apart
 * from a network failure. Heartbeats are never limited.
 *
 * <p>A frame must pass every bucket that applies to it (the socket's, the user's, and those of its
 * event); when one refuses, tokens already taken from the others are not given back, so a client
 * that keeps pushing past a limit does not earn credit elsewhere. Sockets without an id have no
 * per-user limits. As Centrifugo's connection and user limits; Phoenix leaves this to the app.
 *
 * {@snippet :
 * RateLimits limits = RateLimits.none()
 *     .perSocket(Rate.of(20, Duration.ofSeconds(1)).withBurst(40))
 *     .perUser("new_msg", Rate.of(5, Duration.ofSeconds(1)).withBurst(10));
 * Socket socket = Socket.builder(pubsub, auth).rateLimits(limits).channel(...).build();
 * }
 *
 * Immutable; each method returns a new value.
 */
public final class RateLimits {

  /** The WebSocket close code for a client disconnected for pushing too fast. */
  public static final int CLOSE_CODE = 4429;

  /**
   * A token bucket: {@code count} tokens refilled evenly over each {@code per}, holding at most
   * {@code burst}.
   *
   * @param count tokens per period, at least 1
   * @param per the period, positive
   * @param burst the bucket's size (tokens available at once), at least 1
   */
  public record Rate(int count, Duration per, int burst) {

    /**
     * Validates the rate.
     *
     * @param count at least 1
     * @param per positive
     * @param burst at least 1
     */
    public Rate {
      Objects.requireNonNull(per, "per");
      if (count < 1 || burst < 1 || per.isNegative() || per.isZero()) {
        throw new IllegalArgumentException(
            "a rate needs a count and a burst of at least 1 and a positive period, got "
                + count
                + " per "
                + per
                + ", burst "
                + burst);
      }
    }

    /**
     * {@code count} per {@code per}, with a burst of {@code count}.
     *
     * @param count tokens per period
     * @param per the period
     * @return the rate
     */
    public static Rate of(int count, Duration per) {
      return new Rate(count, per, count);
    }

    /**
     * The same rate with another bucket size.
     *
     * @param burst tokens available at once
     * @return the rate
     */
    public Rate withBurst(int burst) {
      return new Rate(count, per, burst);
    }
  }

  private final Rate socket;
  private final Rate user;
  private final Map<String, Rate> socketEvents;
  private final Map<String, Rate> userEvents;
  private final Rate closeAfter;

  private RateLimits(
      Rate socket,
      Rate user,
      Map<String, Rate> socketEvents,
      Map<String, Rate> userEvents,
      Rate closeAfter) {
    this.socket = socket;
    this.user = user;
    this.socketEvents = Map.copyOf(socketEvents);
    this.userEvents = Map.copyOf(userEvents);
    this.closeAfter = closeAfter;
  }

  /**
   * No limits (the default of a socket); a client that is refused 50 times within 10 s is
   * disconnected once limits are added.
   *
   * @return the limits
   */
  public static RateLimits none() {
    return new RateLimits(null, null, Map.of(), Map.of(), Rate.of(50, Duration.ofSeconds(10)));
  }

  /**
   * Limits every push (any event, joins included) of one connection.
   *
   * @param rate the rate
   * @return the limits
   */
  public RateLimits perSocket(Rate rate) {
    return new RateLimits(
        Objects.requireNonNull(rate, "rate"), user, socketEvents, userEvents, closeAfter);
  }

  /**
   * Limits every push of one user, over all their connections (those with the same socket id).
   *
   * @param rate the rate
   * @return the limits
   */
  public RateLimits perUser(Rate rate) {
    return new RateLimits(
        socket, Objects.requireNonNull(rate, "rate"), socketEvents, userEvents, closeAfter);
  }

  /**
   * Limits one event of one connection.
   *
   * @param event the event, such as {@code "new_msg"}
   * @param rate the rate
   * @return the limits
   */
  public RateLimits perSocket(String event, Rate rate) {
    return new RateLimits(socket, user, with(socketEvents, event, rate), userEvents, closeAfter);
  }

  /**
   * Limits one event of one user, over all their connections.
   *
   * @param event the event
   * @param rate the rate
   * @return the limits
   */
  public RateLimits perUser(String event, Rate rate) {
    return new RateLimits(socket, user, socketEvents, with(userEvents, event, rate), closeAfter);
  }

  /**
   * How many refusals a connection may collect before it is closed with {@link #CLOSE_CODE}: a
   * bucket of {@code refusals} refilled at that rate (default 50 per 10 s).
   *
   * @param rate refusals allowed
   * @return the limits
   */
  public RateLimits closeAfter(Rate rate) {
    return new RateLimits(
        socket, user, socketEvents, userEvents, Objects.requireNonNull(rate, "rate"));
  }

  private static Map<String, Rate> with(Map<String, Rate> map, String event, Rate rate) {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(rate, "rate");
    Map<String, Rate> m = new HashMap<>(map);
    m.put(event, rate);
    return m;
  }

  /** Whether any limit is set. */
  public boolean isEmpty() {
    return socket == null && user == null && socketEvents.isEmpty() && userEvents.isEmpty();
  }

  /** The limit of all pushes of a connection, if set. */
  public Optional<Rate> socket() {
    return Optional.ofNullable(socket);
  }

  /** The limit of all pushes of a user, if set. */
  public Optional<Rate> user() {
    return Optional.ofNullable(user);
  }

  /** Per-connection limits by event. */
  public Map<String, Rate> socketEvents() {
    return socketEvents;
  }

  /** Per-user limits by event. */
  public Map<String, Rate> userEvents() {
    return userEvents;
  }

  /** The refusals a connection may collect before it is closed. */
  public Rate closeAfter() {
    return closeAfter;
  }
}
