package weft.web.channel.internal;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import weft.web.channel.RateLimits;
import weft.web.channel.Socket;

/*
 * Design: one limiter per socket process (its connection's buckets are its own), plus the buckets
 * of its user, shared with the user's other connections through a table per socket definition.
 * A user's entry counts the connections that hold it and goes when the last one ends, so the
 * table holds only users who are connected.
 */
/** The rate limits of one connection, as {@link RateLimits} describes them. */
public final class RateLimiter {

  private static final class UserBuckets {
    int holders;
    final TokenBucket all;
    final Map<String, TokenBucket> events = new HashMap<>();

    UserBuckets(RateLimits limits) {
      all = limits.user().map(TokenBucket::new).orElse(null);
      limits.userEvents().forEach((e, r) -> events.put(e, new TokenBucket(r)));
    }
  }

  private static final Map<Socket, Map<String, UserBuckets>> USERS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final RateLimits limits;
  private final TokenBucket all;
  private final Map<String, TokenBucket> events = new HashMap<>();
  private final TokenBucket refusals;
  private final Map<String, UserBuckets> users;
  private final String user;
  private final UserBuckets mine;

  private RateLimiter(Socket socket, Optional<String> userKey) {
    limits = socket.rateLimits();
    all = limits.socket().map(TokenBucket::new).orElse(null);
    limits.socketEvents().forEach((e, r) -> events.put(e, new TokenBucket(r)));
    refusals = new TokenBucket(limits.closeAfter());
    boolean perUser = limits.user().isPresent() || !limits.userEvents().isEmpty();
    if (perUser && userKey.isPresent()) {
      users = USERS.computeIfAbsent(socket, s -> new ConcurrentHashMap<>());
      user = userKey.get();
      mine =
          users.compute(
              user,
              (k, v) -> {
                UserBuckets b = v == null ? new UserBuckets(limits) : v;
                b.holders++;
                return b;
              });
    } else {
      users = null;
      user = null;
      mine = null;
    }
  }

  /**
   * The limiter of a new connection; {@link #release()} when it ends.
   *
   * @param socket the definition (its limits, its users' table)
   * @param userKey the socket id, which names the user
   * @return the limiter
   */
  public static RateLimiter open(Socket socket, Optional<String> userKey) {
    return new RateLimiter(socket, userKey);
  }

  /** Whether there is anything to check. */
  public boolean isEmpty() {
    return limits.isEmpty();
  }

  /**
   * Takes a token from every bucket that applies to the event.
   *
   * @param event the frame's event
   * @param now {@link System#nanoTime()}
   * @return 0 when admitted, else nanoseconds until the emptiest bucket has a token again
   */
  public long admit(String event, long now) {
    long wait = take(all, now);
    wait = Math.max(wait, take(events.get(event), now));
    if (mine != null) {
      wait = Math.max(wait, take(mine.all, now));
      wait = Math.max(wait, take(mine.events.get(event), now));
    }
    return wait;
  }

  private static long take(TokenBucket b, long now) {
    return b == null ? 0 : b.take(now);
  }

  /**
   * Counts a refusal.
   *
   * @param now {@link System#nanoTime()}
   * @return true when the connection has been refused too often and is to be closed
   */
  public boolean refused(long now) {
    return refusals.take(now) != 0;
  }

  /** Gives up this connection's hold on its user's buckets. */
  public void release() {
    if (users != null) {
      users.computeIfPresent(user, (k, v) -> --v.holders == 0 ? null : v);
    }
  }
}
