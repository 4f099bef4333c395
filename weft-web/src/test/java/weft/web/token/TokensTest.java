package weft.web.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import weft.testing.ManualClock;
import weft.testing.Seeds;

class TokensTest {

  private static final String SECRET = "a-secret-key-base-of-at-least-32-characters";

  /** A clock the test moves by hand. */
  record User(String name, int id) {}

  @Test
  void signedDataVerifiesUntilItExpires() {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    Tokens tokens = new Tokens(SECRET, clock);
    String token = tokens.sign("user socket", new User("ada", 1));
    assertThat(tokens.verify("user socket", token, Duration.ofHours(1), User.class))
        .isEqualTo(new Tokens.Valid<>(new User("ada", 1)));
    clock.advance(Duration.ofHours(2));
    assertThat(tokens.verify("user socket", token, Duration.ofHours(1), User.class))
        .isInstanceOf(Tokens.Expired.class);
  }

  @Test
  void aTokenSignedInTheFutureIsInvalidBeyondTheSkew() {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    Tokens tokens = new Tokens(SECRET, clock);
    clock.advance(Duration.ofDays(30));
    String ahead = tokens.sign("user socket", new User("ada", 1));
    String near = tokens.sign("s", "x");
    clock.advance(Duration.ofDays(30).negated());
    assertThat(tokens.verify("user socket", ahead, Duration.ofDays(365), User.class))
        .isInstanceOf(Tokens.Invalid.class);
    clock.advance(Duration.ofDays(30).minus(Tokens.FUTURE_SKEW));
    assertThat(tokens.verify("s", near, Duration.ofHours(1), String.class))
        .as("within the skew")
        .isEqualTo(new Tokens.Valid<>("x"));
  }

  @Test
  void anotherSaltOrSecretDoesNotVerify() {
    Tokens tokens = new Tokens(SECRET);
    String token = tokens.sign("user socket", "ada");
    assertThat(tokens.verify("other", token, Duration.ofDays(1), String.class))
        .isInstanceOf(Tokens.Invalid.class);
    assertThat(
            new Tokens(SECRET + "x").verify("user socket", token, Duration.ofDays(1), String.class))
        .isInstanceOf(Tokens.Invalid.class);
    assertThat(tokens.verify("user socket", null, Duration.ofDays(1), String.class))
        .isInstanceOf(Tokens.Invalid.class);
  }

  @Test
  void anyChangeToATokenMakesItInvalid() {
    Tokens tokens = new Tokens(SECRET);
    String token = tokens.sign("s", "ada");
    Seeds.forEach(
        0x70C,
        3000,
        (Random r) -> {
          char[] chars = token.toCharArray();
          int i = r.nextInt(chars.length);
          char replacement;
          do {
            replacement =
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
                    .charAt(r.nextInt(65));
          } while (replacement == chars[i]);
          chars[i] = replacement;
          assertThat(tokens.verify("s", new String(chars), Duration.ofDays(1), String.class))
              .as("changed at %d", i)
              .isNotInstanceOf(Tokens.Valid.class);
        });
  }

  @Test
  void shortSecretsAreRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Tokens("short"))
        .hasMessageContaining("at least 32");
  }
}
