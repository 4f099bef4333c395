package weft.web.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.process.Down;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.supervisor.ChildInfo;
import weft.supervisor.Strategy;
import weft.supervisor.Supervisor;
import weft.supervisor.SupervisorOptions;
import weft.testing.InProcess;

class EndpointTest {

  private final Node node = Node.start("endpoint");

  @AfterEach
  void stop() {
    node.close();
  }

  private static int get(int port) throws Exception {
    try (RawHttp raw = new RawHttp(port)) {
      raw.send("GET /hello HTTP/1.1\r\nhost: x\r\n\r\n");
      return raw.read().status();
    }
  }

  @Test
  void aKilledEndpointIsRestartedOnTheSamePortAndStopsWithItsSupervisor() throws Exception {
    Endpoint endpoint =
        Endpoint.create(
            HttpConfig.port(0),
            Router.builder().get("/hello", req -> Response.text("hi")).build(),
            Duration.ofSeconds(1));
    assertThatThrownBy(endpoint::port).isInstanceOf(IllegalStateException.class);
    Pid sup =
        Supervisor.start(
            node, SupervisorOptions.of(Strategy.ONE_FOR_ONE), List.of(endpoint.childSpec()));
    int port = endpoint.port();
    assertThat(get(port)).isEqualTo(200);

    Pid first = Supervisor.whichChildren(sup).getFirst().pid().orElseThrow();
    InProcess.run(
        node,
        () -> {
          Process.monitor(first);
          Process.exit(first, ExitReason.KILL);
          Process.receive(Down.class, d -> d.pid().equals(first), Duration.ofSeconds(10))
              .orElseThrow();
        });
    // The supervisor restarted it: whichChildren answers after the restart is done.
    ChildInfo again = Supervisor.whichChildren(sup).getFirst();
    assertThat(again.pid()).isPresent().get().isNotEqualTo(first);
    assertThat(endpoint.port()).isEqualTo(port);
    assertThat(get(port)).isEqualTo(200);

    node.exit(sup, ExitReason.SHUTDOWN);
    node.awaitExit(sup, Duration.ofSeconds(10));
    assertThat(endpoint.server().isListening()).isFalse();
  }
}
