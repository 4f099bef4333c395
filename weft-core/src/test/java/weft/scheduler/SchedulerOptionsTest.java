package weft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchedulerOptionsTest {

  @AfterEach
  void clear() {
    for (String p :
        new String[] {
          "weft.scheduler.tick",
          "weft.scheduler.slice",
          "weft.scheduler.parallelism",
          "weft.scheduler.maxCarriers"
        }) {
      System.clearProperty(p);
    }
  }

  @Test
  void propertiesOverrideTheDefaultsWithUnits() {
    System.setProperty("weft.scheduler.tick", "50us");
    System.setProperty("weft.scheduler.slice", "1ms");
    System.setProperty("weft.scheduler.parallelism", "3");
    SchedulerOptions o = SchedulerOptions.fromSystemProperties();
    assertThat(o.tick()).isEqualTo(Duration.ofNanos(50_000));
    assertThat(o.slice()).isEqualTo(Duration.ofMillis(1));
    assertThat(o.parallelism()).isEqualTo(3);
    assertThat(o.longSchedule()).isEqualTo(SchedulerOptions.defaults().longSchedule());
  }

  @Test
  void badSettingsNameTheProperty() {
    System.setProperty("weft.scheduler.slice", "fast");
    assertThatThrownBy(SchedulerOptions::fromSystemProperties)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weft.scheduler.slice")
        .hasMessageContaining("fast");
    System.setProperty("weft.scheduler.slice", "1us");
    assertThatThrownBy(SchedulerOptions::fromSystemProperties)
        .hasMessageContaining("slice must be >= 10us");
    System.clearProperty("weft.scheduler.slice");
    System.setProperty("weft.scheduler.maxCarriers", "1");
    System.setProperty("weft.scheduler.parallelism", "2");
    assertThatThrownBy(SchedulerOptions::fromSystemProperties).hasMessageContaining("maxCarriers");
  }
}
