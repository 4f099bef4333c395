package weft.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import weft.testing.Seeds;

/**
 * The wait timer, driven tick by tick on a made-up clock: a deadline fires on the first tick at or
 * after it and never before, a cancelled wait never fires, and the wheel holds exactly the waits
 * that are neither fired nor cancelled (a wait that ends leaves nothing behind).
 */
class WaitTimerPropertyTest {

  private static final long MS = WaitTimer.TICK_NANOS;

  private record Tracked(WaitTimer.Wait node, long deadline, boolean[] cancelled) {}

  @Test
  void deadlinesFireOnTimeAndCancelledOnesNever() {
    Seeds.forEach(
        0x7133_e7L,
        60,
        random -> {
          // Any point of the nanoTime scale, negative ones included.
          long now = random.nextLong() / 4;
          WaitTimer timer = new WaitTimer(now, false);
          Thread owner = new Thread(() -> {});
          List<Tracked> live = new ArrayList<>();
          int steps = 200 + random.nextInt(800);
          for (int step = 0; step < steps; step++) {
            int waits = random.nextInt(6);
            for (int i = 0; i < waits; i++) {
              long deadline = now + delay(random);
              live.add(new Tracked(timer.schedule(deadline, owner), deadline, new boolean[1]));
            }
            for (Tracked t : live) {
              if (!t.cancelled[0] && random.nextInt(4) == 0) {
                boolean firedBefore = WaitTimer.fired(t.node);
                timer.cancel(t.node);
                assertThat(WaitTimer.fired(t.node)).isEqualTo(firedBefore);
                t.cancelled[0] = !firedBefore;
              }
            }
            now += advance(random);
            timer.tick(now);
            int waiting = 0;
            for (Tracked t : live) {
              boolean due = t.deadline - now <= 0;
              boolean fired = WaitTimer.fired(t.node);
              if (t.cancelled[0]) {
                assertThat(fired).as("a cancelled wait fired").isFalse();
              } else if (due) {
                assertThat(fired).as("a due deadline did not fire (now=%d)", now).isTrue();
              } else {
                assertThat(fired).as("a deadline fired early").isFalse();
                waiting++;
              }
            }
            // Waits still pending (scheduled before this tick) are all in the wheel now.
            assertThat(timer.linked()).as("waits in the wheel").isEqualTo(waiting);
            live.removeIf(t -> t.cancelled[0] || WaitTimer.fired(t.node));
          }
        });
  }

  private static long delay(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> random.nextLong(MS); // within the tick
      case 1 -> random.nextLong(10 * MS);
      case 2 -> random.nextLong(3_000 * MS); // several revolutions of the wheel
      case 3 -> -random.nextLong(MS); // already past
      default -> random.nextLong(200 * MS);
    };
  }

  private static long advance(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> 0;
      case 1 -> random.nextLong(MS / 2);
      case 2 -> random.nextLong(5_000 * MS); // a pause longer than a revolution
      default -> random.nextLong(3 * MS);
    };
  }
}
