package weft.web.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import weft.web.http.internal.Json;

/**
 * Signed, expiring tokens, as Phoenix.Token: give a client a token that proves who it is (for
 * example in the socket's connect params) without server-side sessions. The data is signed, not
 * encrypted: anyone holding the token can read it, nobody can change it.
 *
 * {@snippet :
 * Tokens tokens = new Tokens(secretKeyBase);                   // at least 32 bytes, kept secret
 * String token = tokens.sign("user socket", "alice");
 * Tokens.Verified<String> v = tokens.verify("user socket", token, Duration.ofDays(1), String.class);
 * }
 *
 * <p>Format: {@code WFT1.<payload>.<signature>}, base64url without padding; the payload is JSON
 * {@code {"data": ..., "signed": <epoch ms>}}; the signature is HMAC-SHA256 with a key derived from
 * the secret and the salt by PBKDF2 (1,000 rounds), as Phoenix derives its keys. Tokens are not
 * interchangeable with Elixir's (which sign Erlang terms).
 *
 * <p>Thread-safe.
 */
public final class Tokens {

  private static final String VERSION = "WFT1";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder D64 = Base64.getUrlDecoder();

  /**
   * How far in the future a token's signing time may be (clocks of a cluster's nodes differ a
   * little); beyond it the token is invalid.
   */
  public static final Duration FUTURE_SKEW = Duration.ofMinutes(1);

  /** What {@link #verify} found. */
  public sealed interface Verified<T> {}

  /**
   * A valid, unexpired token.
   *
   * @param <T> the data type
   * @param data the signed data
   */
  public record Valid<T>(T data) implements Verified<T> {}

  /**
   * A genuine token older than the allowed age.
   *
   * @param <T> the data type
   */
  public record Expired<T>() implements Verified<T> {}

  /**
   * Not a token signed with this secret and salt (forged, altered, malformed or of another type).
   *
   * @param <T> the data type
   */
  public record Invalid<T>() implements Verified<T> {}

  private final byte[] secret;
  private final Clock clock;
  private final Map<String, byte[]> keys = new ConcurrentHashMap<>();

  /**
   * Tokens signed with a secret.
   *
   * @param secretKeyBase the secret, at least 32 characters
   */
  public Tokens(String secretKeyBase) {
    this(secretKeyBase, Clock.systemUTC());
  }

  /**
   * Tokens signed with a secret, with a clock (for tests).
   *
   * @param secretKeyBase the secret, at least 32 characters
   * @param clock the clock for signing and expiry
   */
  public Tokens(String secretKeyBase, Clock clock) {
    Objects.requireNonNull(secretKeyBase, "secretKeyBase");
    if (secretKeyBase.length() < 32) {
      throw new IllegalArgumentException("the secret key base must be at least 32 characters");
    }
    this.secret = secretKeyBase.getBytes(StandardCharsets.UTF_8);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Signs data.
   *
   * @param salt what the token is for, such as {@code "user socket"}; a token only verifies with
   *     the same salt
   * @param data any value Jackson can write
   * @return the token
   */
  public String sign(String salt, Object data) {
    ObjectNode payload = Json.MAPPER.createObjectNode();
    payload.set("data", Json.MAPPER.valueToTree(data));
    payload.put("signed", clock.millis());
    String body = B64.encodeToString(Json.MAPPER.writeValueAsBytes(payload));
    String signed = VERSION + "." + body;
    return signed + "." + B64.encodeToString(mac(salt, signed));
  }

  /**
   * Verifies a token and reads its data.
   *
   * @param <T> the data type
   * @param salt the salt it was signed with
   * @param token the token (null gives invalid)
   * @param maxAge how old it may be
   * @param type the data type
   * @return valid with the data, expired, or invalid
   */
  public <T> Verified<T> verify(String salt, String token, Duration maxAge, Class<T> type) {
    if (token == null) {
      return new Invalid<>();
    }
    int last = token.lastIndexOf('.');
    if (!token.startsWith(VERSION + ".") || last <= VERSION.length()) {
      return new Invalid<>();
    }
    String signed = token.substring(0, last);
    JsonNode payload;
    try {
      // Compare the signature as text: base64 decoding ignores some bits of the last character.
      byte[] given = token.substring(last + 1).getBytes(StandardCharsets.US_ASCII);
      byte[] expected = B64.encodeToString(mac(salt, signed)).getBytes(StandardCharsets.US_ASCII);
      if (!MessageDigest.isEqual(given, expected)) {
        return new Invalid<>();
      }
      payload = Json.MAPPER.readTree(D64.decode(signed.substring(VERSION.length() + 1)));
    } catch (IllegalArgumentException | JacksonException e) {
      return new Invalid<>();
    }
    long signedAt = payload.path("signed").asLong(Long.MIN_VALUE);
    if (signedAt == Long.MIN_VALUE) {
      return new Invalid<>();
    }
    long now = clock.millis();
    if (signedAt - now > FUTURE_SKEW.toMillis()) {
      // Signed "later" than now: no honest signer does that (a forged or replayed-ahead token, or
      // a signer whose clock runs far ahead); it would otherwise stay valid for longer than maxAge.
      return new Invalid<>();
    }
    if (now - signedAt > maxAge.toMillis()) {
      return new Expired<>();
    }
    try {
      return new Valid<>(Json.MAPPER.treeToValue(payload.get("data"), type));
    } catch (JacksonException e) {
      return new Invalid<>();
    }
  }

  private byte[] mac(String salt, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key(salt), "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private byte[] key(String salt) {
    return keys.computeIfAbsent(
        Objects.requireNonNull(salt, "salt"),
        s -> {
          try {
            char[] chars = new String(secret, StandardCharsets.UTF_8).toCharArray();
            PBEKeySpec spec = new PBEKeySpec(chars, s.getBytes(StandardCharsets.UTF_8), 1000, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(spec)
                .getEncoded();
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
          }
        });
  }
}
