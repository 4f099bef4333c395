package weft.web.channel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import weft.web.channel.RateLimits.Rate;

/**
 * The bucket against a plain model (credit in nanoseconds, topped up by elapsed time, capped at the
 * burst): over random rates and random sequences of waits and takes, both admit the same takes and
 * name the same wait. Seeded; the seed is printed on failure.
 */
class TokenBucketPropertyTest {

  @Test
  void agreesWithTheModelOverRandomSequences() {
    long seed = Long.getLong("weft.seed", System.nanoTime());
    SplittableRandom random = new SplittableRandom(seed);
    for (int run = 0; run < 500; run++) {
      int count = 1 + random.nextInt(50);
      Duration per = Duration.ofMillis(1 + random.nextInt(5_000));
      int burst = 1 + random.nextInt(100);
      Rate rate = new Rate(count, per, burst);
      long token = Math.max(1, per.toNanos() / count);
      TokenBucket bucket = new TokenBucket(rate);
      long now = random.nextLong();
      long credit = token * burst;
      for (int step = 0; step < 300; step++) {
        long dt = random.nextInt(4) == 0 ? 0 : random.nextLong(token * 3);
        now += dt;
        credit = Math.min(token * burst, credit + dt);
        long expected;
        if (credit >= token) {
          credit -= token;
          expected = 0;
        } else {
          expected = token - credit;
        }
        assertThat(bucket.take(now))
            .as("seed %d (-Dweft.seed=%d), run %d, step %d, %s", seed, seed, run, step, rate)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void aFullBucketGivesItsBurstAtOnceThenOnePerToken() {
    TokenBucket b = new TokenBucket(Rate.of(2, Duration.ofSeconds(1)).withBurst(5));
    long t = 42;
    for (int i = 0; i < 5; i++) {
      assertThat(b.take(t)).isZero();
    }
    assertThat(b.take(t)).isEqualTo(500_000_000L);
    assertThat(b.take(t + 499_999_999L)).isEqualTo(1);
    assertThat(b.take(t + 500_000_000L)).isZero();
  }
}
