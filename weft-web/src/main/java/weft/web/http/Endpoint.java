package weft.web.http;

import java.time.Duration;
import java.util.Objects;
import weft.genserver.GenServer;
import weft.genserver.InitResult;
import weft.genserver.StartOptions;
import weft.process.ExitReason;
import weft.process.Process;
import weft.supervisor.ChildSpec;
import weft.supervisor.Shutdown;
import weft.supervisor.Supervised;

/**
 * The HTTP server as a child of a supervision tree, as a Phoenix endpoint is: its process starts
 * the server when it starts and stops it (draining requests for up to the grace period) when the
 * supervisor stops it.
 *
 * {@snippet :
 * Endpoint web = Endpoint.create(HttpConfig.port(4000), router, Duration.ofSeconds(10));
 * Supervisor.start(node, SupervisorOptions.of(Strategy.ONE_FOR_ONE), List.of(web.childSpec()));
 * }
 *
 * <p>When the process crashes or is killed, the supervisor starts it again: the new process first
 * closes whatever the previous one left listening, then listens again on the same port (the port
 * first bound, when configured as 0), so clients only see their connections dropped and reconnect.
 * Request and socket processes are not children of the endpoint; they end with their connections.
 */
public final class Endpoint implements Supervised {

  private final HttpConfig config;
  private final Router router;
  private final Duration grace;
  private volatile HttpServer current;
  private volatile int boundPort;

  private Endpoint(HttpConfig config, Router router, Duration grace) {
    this.config = Objects.requireNonNull(config, "config");
    this.router = Objects.requireNonNull(router, "router");
    this.grace = Objects.requireNonNull(grace, "grace");
    this.boundPort = config.port();
  }

  /**
   * An endpoint, not started yet.
   *
   * @param config address, port and limits
   * @param router the routes
   * @param grace how long requests in flight may take when it stops
   * @return the endpoint
   */
  public static Endpoint create(HttpConfig config, Router router, Duration grace) {
    return new Endpoint(config, router, grace);
  }

  /**
   * Its child spec: id {@code "endpoint"}, permanent, shutdown after the grace period plus 5 s.
   *
   * @return the spec
   */
  @Override
  public ChildSpec childSpec() {
    return ChildSpec.worker(
            "endpoint", () -> GenServer.startLink(new Server(), StartOptions.defaults()))
        .withShutdown(Shutdown.timeout(grace.plusSeconds(5)));
  }

  /**
   * The port listened on.
   *
   * @return the port
   * @throws IllegalStateException if it has never been started
   */
  public int port() {
    if (current == null) {
      throw new IllegalStateException("the endpoint has not been started");
    }
    return boundPort;
  }

  /**
   * The running server, while there is one.
   *
   * @return the server, or null before the first start
   */
  public HttpServer server() {
    return current;
  }

  private final class Server implements GenServer<HttpServer, Object> {

    @Override
    public String behaviour() {
      return "Endpoint";
    }

    @Override
    public InitResult<HttpServer> init() {
      Process.trapExit(true);
      HttpServer left = current;
      if (left != null && left.isListening()) {
        left.stop(Duration.ZERO); // a killed endpoint could not close its listener
      }
      HttpServer server = HttpServer.start(Process.node(), config.withPort(boundPort), router);
      boundPort = server.port();
      current = server;
      return InitResult.ok(server);
    }

    @Override
    public void terminate(ExitReason reason, HttpServer server) {
      server.stop(grace);
    }
  }
}
