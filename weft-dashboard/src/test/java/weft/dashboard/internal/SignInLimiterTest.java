package weft.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignInLimiterTest {

  private final Instant t0 = Instant.parse("2026-11-25T10:00:00Z");

  @Test
  void anAddressIsLockedOutAfterTooManyFailuresUntilItsWindowPasses() {
    SignInLimiter limiter = new SignInLimiter(3, Duration.ofMinutes(1));
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.allowed("1.2.3.4", t0.plusSeconds(i))).isTrue();
      limiter.failed("1.2.3.4", t0.plusSeconds(i));
    }
    assertThat(limiter.allowed("1.2.3.4", t0.plusSeconds(10))).isFalse();
    assertThat(limiter.allowed("5.6.7.8", t0.plusSeconds(10))).as("others unaffected").isTrue();
    assertThat(limiter.allowed("1.2.3.4", t0.plusSeconds(59))).isFalse();
    assertThat(limiter.allowed("1.2.3.4", t0.plusSeconds(60))).isTrue();
    limiter.failed("1.2.3.4", t0.plusSeconds(60)); // a new window starts with one failure
    assertThat(limiter.allowed("1.2.3.4", t0.plusSeconds(61))).isTrue();
  }

  @Test
  void aRightPasswordClearsTheCount() {
    SignInLimiter limiter = new SignInLimiter(2, Duration.ofMinutes(1));
    limiter.failed("a", t0);
    limiter.succeeded("a");
    limiter.failed("a", t0.plusSeconds(1));
    assertThat(limiter.allowed("a", t0.plusSeconds(2))).isTrue();
    limiter.failed("a", t0.plusSeconds(2));
    assertThat(limiter.allowed("a", t0.plusSeconds(3))).isFalse();
  }
}
