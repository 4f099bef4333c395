package weft.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;

class ProbeTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static Node node;

  @BeforeAll
  static void start() {
    node = Node.start("probe-test");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void takesMessagesSelectivelyAndKeepsTheRestInOrder() {
    try (Probe probe = Probe.start(node)) {
      node.send(probe.pid(), "a");
      node.send(probe.pid(), 1);
      node.send(probe.pid(), "b");
      assertThat(probe.expectMessage(Integer.class, WAIT)).isEqualTo(1);
      assertThat(probe.expectMessage(String.class, s -> s.equals("b"), WAIT)).isEqualTo("b");
      assertThat(probe.expectMessage(WAIT)).isEqualTo("a");
      probe.expectNoMessage(Duration.ofMillis(20));
    }
  }

  @Test
  void waitsForAMessageSentLater() {
    try (Probe probe = Probe.start(node)) {
      node.sendAfter(probe.pid(), "late", Duration.ofMillis(50));
      assertThat(probe.expectMessage(String.class, WAIT)).isEqualTo("late");
    }
  }

  @Test
  void failsListingWhatArrivedWhenNothingMatches() {
    try (Probe probe = Probe.start(node)) {
      node.send(probe.pid(), "other");
      assertThatThrownBy(() -> probe.expectMessage(Integer.class, Duration.ofMillis(20)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("no Integer")
          .hasMessageContaining("other");
      assertThatThrownBy(() -> probe.expectNoMessage(Duration.ofMillis(20)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("other");
    }
  }

  @Test
  void seesTheEndOfWhatItMonitorsAndTheExitOfWhatItLinks() throws Exception {
    try (Probe probe = Probe.start(node)) {
      Pid monitored = node.spawn(() -> Process.receive());
      probe.monitor(monitored);
      node.exit(monitored, ExitReason.shutdown("done"));
      assertThat(probe.expectDown(monitored, WAIT)).isEqualTo(ExitReason.shutdown("done"));

      Pid linked = node.spawn(() -> Process.receive());
      probe.link(linked);
      node.exit(linked, ExitReason.KILL);
      assertThat(probe.expectExit(linked, WAIT)).isEqualTo(ExitReason.KILLED);
      assertThat(node.isAlive(probe.pid())).as("the probe traps exits").isTrue();

      Pid gone = node.spawn(() -> {});
      assertThat(node.awaitExit(gone, WAIT)).isEqualTo(ExitReason.NORMAL);
      probe.monitor(gone);
      assertThat(probe.expectDown(gone, WAIT)).isEqualTo(ExitReason.NOPROC);
    }
  }

  @Test
  void closingEndsTheProbeProcess() throws Exception {
    Probe probe = Probe.start(node);
    probe.close();
    assertThat(node.awaitExit(probe.pid(), WAIT)).isEqualTo(ExitReason.KILLED);
  }
}
