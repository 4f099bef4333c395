package weft.dashboard.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;

/*
 * Design: the dashboard's sessions live on the server, so that signing out (or a restart) ends
 * them: the cookie carries only a signed random id, and an id that is not in this table signs
 * nobody in, however well signed. The table is bounded: past MAX sessions the oldest goes (a
 * password holder signing in again and again cannot grow it), and expired ones are dropped as new
 * ones are made. One lock; the dashboard signs in a handful of people.
 */
/** The dashboard's signed-in sessions. Thread-safe. */
public final class Sessions {

  /** Sessions kept at once; past this the oldest is ended. */
  public static final int MAX = 1000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Duration age;
  private final LinkedHashMap<String, Instant> expiries = new LinkedHashMap<>();

  /**
   * The table.
   *
   * @param age how long a session lasts from sign-in
   */
  public Sessions(Duration age) {
    this.age = age;
  }

  /**
   * Starts a session.
   *
   * @param now the time
   * @return its id (32 random bytes, base64url)
   */
  public synchronized String start(Instant now) {
    expiries.values().removeIf(e -> !e.isAfter(now));
    while (expiries.size() >= MAX) {
      expiries.pollFirstEntry();
    }
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    expiries.put(id, now.plus(age));
    return id;
  }

  /**
   * Whether a session is open.
   *
   * @param id the id
   * @param now the time
   * @return true if it was started, not ended and has not expired
   */
  public synchronized boolean isOpen(String id, Instant now) {
    Instant e = expiries.get(id);
    return e != null && e.isAfter(now);
  }

  /**
   * Ends a session (signing out).
   *
   * @param id the id
   * @return whether it was open
   */
  public synchronized boolean end(String id) {
    return expiries.remove(id) != null;
  }
}
