package weft.process;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import weft.genserver.CallException;
import weft.genserver.CallResult;
import weft.genserver.From;
import weft.genserver.GenServer;
import weft.genserver.InitResult;
import weft.genserver.StartOptions;

class CrashReportTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final Node node = Node.start("crash");
  private final ListAppender<ILoggingEvent> reports = new ListAppender<>();
  private final Logger crashLog = (Logger) LoggerFactory.getLogger("weft.process.crash");

  @BeforeEach
  void capture() {
    reports.start();
    crashLog.addAppender(reports);
  }

  @AfterEach
  void stop() {
    crashLog.detachAppender(reports);
    node.close();
  }

  record Boom() {}

  static final class Fragile implements GenServer<String, Boom> {
    @Override
    public InitResult<String> init() {
      return InitResult.ok("fragile state");
    }

    @Override
    public CallResult<String> handleCall(Boom request, From from, String state) {
      throw new IllegalStateException("kaboom");
    }
  }

  @Test
  void crashedServerIsReportedOnceWithItsLastMessageAndState() throws Exception {
    Pid pid = GenServer.start(node, new Fragile(), StartOptions.named("fragile"));
    try {
      GenServer.call(pid, new Boom(), WAIT);
    } catch (CallException expected) {
      // the server's crash reaches the caller
    }
    node.awaitExit(pid, WAIT);
    assertThat(reports.list).hasSize(1);
    ILoggingEvent report = reports.list.getFirst();
    assertThat(report.getFormattedMessage())
        .contains(pid.toString(), "fragile", "kaboom", "call Boom[]", "fragile state");
    assertThat(report.getThrowableProxy().getMessage()).isEqualTo("kaboom");
  }

  @Test
  void orderlyEndsAndKillsAreNotCrashReports() throws Exception {
    Pid normal = node.spawn(() -> {});
    Pid shutdown =
        node.spawn(() -> {
          throw Process.exit(ExitReason.SHUTDOWN);
        });
    Pid killed = node.spawn(() -> Process.sleep(Process.INFINITY));
    node.exit(killed, ExitReason.KILL);
    for (Pid p : new Pid[] {normal, shutdown, killed}) {
      node.awaitExit(p, WAIT);
    }
    assertThat(reports.list).isEmpty();
  }
}
