package weft.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import weft.testing.Seeds;

class RestartIntensityPropertyTest {

  @Test
  void allowsARestartExactlyWhenAtMostMaxRestartsFallInTheWindow() {
    Seeds.forEach(
        0x5EED,
        500,
        random -> {
          int max = random.nextInt(6);
          long period = 1 + random.nextInt(100);
          RestartIntensity rule = new RestartIntensity(max, Duration.ofNanos(period));
          List<Long> history = new ArrayList<>();
          long now = random.nextInt(1000);
          for (int step = 0; step < 50; step++) {
            now += random.nextInt(random.nextBoolean() ? 3 : (int) period * 2 + 1);
            history.add(now);
            long t = now;
            long inWindow = history.stream().filter(h -> t - h < period).count();
            boolean expected = inWindow <= max;
            assertThat(rule.restart(now))
                .as("max=%d period=%d history=%s", max, period, history)
                .isEqualTo(expected);
            if (!expected) {
              break; // the supervisor gives up here
            }
          }
        });
  }
}
