package weft.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sessions end when signed out or expired, and the table never holds more than its bound. */
class SessionsTest {

  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void aSessionIsOpenUntilItEndsOrExpires() {
    Sessions s = new Sessions(Duration.ofHours(1));
    String id = s.start(T0);
    assertThat(s.isOpen(id, T0.plusSeconds(3599))).isTrue();
    assertThat(s.isOpen(id, T0.plusSeconds(3600))).as("expired").isFalse();
    String other = s.start(T0);
    assertThat(s.end(other)).isTrue();
    assertThat(s.isOpen(other, T0)).as("ended").isFalse();
    assertThat(s.end(other)).as("ends once").isFalse();
    assertThat(s.isOpen("never started", T0)).isFalse();
  }

  @Test
  void pastItsBoundTheOldestSessionGoes() {
    Sessions s = new Sessions(Duration.ofDays(1));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i <= Sessions.MAX; i++) {
      ids.add(s.start(T0.plusMillis(i)));
    }
    assertThat(s.isOpen(ids.getFirst(), T0)).as("the oldest was ended").isFalse();
    assertThat(s.isOpen(ids.get(1), T0)).isTrue();
    assertThat(s.isOpen(ids.getLast(), T0)).isTrue();
  }
}
