package weft.examples.chat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import weft.store.Sql;
import weft.store.Store;

/**
 * Who owns which name. The first sign-in under a name claims it and gets the name's key (32 random
 * bytes, base64url), which the page keeps; a later sign-in under that name must present the key.
 * Only the key's SHA-256 is stored, so the database alone does not let anyone sign in as a user.
 */
final class Users {

  /** The outcome of a sign-in. */
  sealed interface SignIn {}

  /** Signed in; {@code key} is the name's key (new when the name was just claimed). */
  record Accepted(String key, boolean claimed) implements SignIn {}

  /** The name is someone else's: no key, or the wrong one. */
  record Refused() implements SignIn {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Store store;

  Users(Store store) {
    this.store = store;
  }

  /**
   * Signs in under a name: claims it if nobody has, else checks the key.
   *
   * @param name a valid name
   * @param key the name's key, or null for a first sign-in
   * @return accepted with the key, or refused
   */
  SignIn signIn(String name, String key) {
    return store.transaction(c -> {
      Optional<String> hash =
          Sql.one(c, "select key_hash from users where name = ?", rs -> rs.getString(1), name);
      if (hash.isPresent()) {
        boolean ok =
            key != null
                && MessageDigest.isEqual(
                    hash.get().getBytes(StandardCharsets.US_ASCII),
                    hash(key).getBytes(StandardCharsets.US_ASCII));
        return ok ? new Accepted(key, false) : new Refused();
      }
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      Sql.update(
          c,
          "insert into users (name, key_hash, created_at) values (?, ?, ?)",
          name,
          hash(fresh),
          Instant.now().toEpochMilli());
      return new Accepted(fresh, true);
    });
  }

  /** Of the names, those that belong to someone, in the order given. */
  static List<String> existing(java.sql.Connection c, Collection<String> names)
      throws java.sql.SQLException {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      if (Sql.one(c, "select 1 from users where name = ?", rs -> rs.getInt(1), n).isPresent()) {
        out.add(n);
      }
    }
    return out;
  }

  private static String hash(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
