package weft.web.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import weft.web.token.Tokens;

/**
 * The token verifier under a coverage-guided fuzzer: any string, or a signed token with bytes
 * changed, verifies as invalid or expired, never throws, and is valid only when it carries the very
 * bytes that were signed (base64 has more than one spelling of the same bytes).
 */
class TokensFuzzTest {

  private static final Tokens TOKENS = new Tokens("a fuzzing secret of at least thirty-two chars");
  private static final String SIGNED = TOKENS.sign("user socket", "alice");

  @FuzzTest(maxDuration = "10s")
  void noStringButTheSignedOneVerifies(FuzzedDataProvider in) {
    String token;
    if (in.consumeBoolean()) {
      char[] c = SIGNED.toCharArray();
      for (int i = in.consumeInt(1, 4); i > 0; i--) {
        c[in.consumeInt(0, c.length - 1)] = in.consumeChar();
      }
      token = new String(c);
    } else {
      token = in.consumeRemainingAsString();
    }
    Tokens.Verified<String> v =
        TOKENS.verify("user socket", token, Duration.ofDays(1), String.class);
    assertThat(v).isNotNull();
    if (v instanceof Tokens.Valid<String>(String data)) {
      assertThat(data).isEqualTo("alice");
      assertThat(sameBytes(token, SIGNED)).as("a forged token verified: %s", token).isTrue();
    }
    assertThat(TOKENS.verify("another salt", token, Duration.ofDays(1), String.class))
        .isNotInstanceOf(Tokens.Valid.class);
  }

  private static boolean sameBytes(String a, String b) {
    String[] pa = a.split("\\.", -1);
    String[] pb = b.split("\\.", -1);
    if (pa.length != pb.length) {
      return false;
    }
    for (int i = 0; i < pa.length; i++) {
      try {
        if (!Arrays.equals(
            Base64.getUrlDecoder().decode(pa[i]), Base64.getUrlDecoder().decode(pb[i]))) {
          return false;
        }
      } catch (IllegalArgumentException notBase64) {
        if (!pa[i].equals(pb[i])) {
          return false;
        }
      }
    }
    return true;
  }
}
