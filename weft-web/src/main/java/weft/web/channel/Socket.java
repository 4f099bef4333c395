package weft.web.channel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import weft.web.pubsub.PubSub;

/**
 * A socket definition, as a Phoenix {@code UserSocket}: who may connect ({@link SocketHandler}),
 * which channel serves which topics, and the limits. Mount it on a router with {@code
 * Router.Builder#socket(String, Socket)}; clients connect to {@code <path>/websocket?vsn=2.0.0}.
 *
 * {@snippet :
 * Socket socket = Socket.builder(pubsub, auth)
 *     .channel("room:*", RoomChannel::new)
 *     .channel("user:*", UserChannel::new)
 *     .build();
 * Router router = Router.builder().socket("/socket", socket).build();
 * }
 */
public final class Socket {

  /** A topic pattern and the channel that serves it. */
  record Route(String pattern, Supplier<Channel> channel) {
    boolean matches(String topic) {
      return pattern.endsWith("*")
          ? topic.startsWith(pattern.substring(0, pattern.length() - 1))
          : topic.equals(pattern);
    }
  }

  private final PubSub pubsub;
  private final SocketHandler handler;
  private final List<Route> routes;
  private final SocketOptions options;
  private final RateLimits rateLimits;

  private Socket(
      PubSub pubsub,
      SocketHandler handler,
      List<Route> routes,
      SocketOptions options,
      RateLimits rateLimits) {
    this.pubsub = pubsub;
    pubsub.register(Broadcast.CODEC);
    this.handler = handler;
    this.routes = List.copyOf(routes);
    this.options = options;
    this.rateLimits = rateLimits;
  }

  /**
   * Starts a definition.
   *
   * @param pubsub where the socket's channels broadcast
   * @param handler who may connect
   * @return the builder
   */
  public static Builder builder(PubSub pubsub, SocketHandler handler) {
    return new Builder(
        Objects.requireNonNull(pubsub, "pubsub"), Objects.requireNonNull(handler, "handler"));
  }

  /**
   * Sends an event to every client joined to a topic, on every node, from outside any channel (as
   * Phoenix's {@code Endpoint.broadcast/3}): from a job, a timer or a request. The payload is
   * encoded once per serializer and written to the subscribed connections.
   *
   * @param pubsub the PubSub the sockets use
   * @param topic the topic, such as {@code "room:lobby"}
   * @param event the event name
   * @param payload a record, map or JSON node, sent as a JSON object
   */
  public static void broadcast(PubSub pubsub, String topic, String event, Object payload) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(event, "event");
    pubsub.register(Broadcast.CODEC);
    pubsub.broadcast(topic, new Broadcast(topic, event, payload));
  }

  /**
   * Asks the socket's {@link SocketHandler} whether a client may connect, as a transport does
   * before it serves the client. A handler that throws refuses (and the exception is logged).
   *
   * @param params the connect parameters (the query string, or the client's {@code params})
   * @param info what is known of the connection
   * @return the handler's answer; {@link ConnectResult#refuse()} if it threw
   */
  public ConnectResult connect(java.util.Map<String, String> params, ConnectInfo info) {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(info, "info");
    try {
      return Objects.requireNonNull(handler.connect(params, info), "connect returned null");
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      org.slf4j.LoggerFactory.getLogger(Socket.class)
          .warn(
              "socket connect from {} failed: {}",
              info.peer().map(Object::toString).orElse("?"),
              e.toString());
      return ConnectResult.refuse();
    }
  }

  /**
   * Serves a connected client on the calling process, which becomes its socket process (Phoenix's
   * socket process): it answers heartbeats, starts a channel process for each join, routes pushes
   * to their channel, and writes replies and broadcasts to the transport. The transport sends it
   * {@link TransportEvent}s.
   *
   * <p>Returns when the transport sends {@link TransportEvent.Closed}, when the client is silent
   * for {@link SocketOptions#heartbeatTimeout()} (closing with 1001), when it sends a malformed
   * frame (1007), pushes too fast for too long (4429), or when {@code "disconnect"} is broadcast to
   * the socket's id (1001). Its channels end with it. If the process is killed or the serving
   * fails, the transport is closed with 1011 before the exception goes on.
   *
   * @param transport where the client's frames go
   * @param connected what {@link #connect} assigned
   * @throws IllegalStateException if not called on a Weft process
   */
  public void serve(Transport transport, ConnectResult.Ok connected) {
    serve(transport, connected, options.heartbeatTimeout());
  }

  /**
   * As {@link #serve(Transport, ConnectResult.Ok)}, with its own idle timeout (long-poll sessions
   * end sooner than WebSockets, whose clients send heartbeats).
   *
   * @param transport where the client's frames go
   * @param connected what {@link #connect} assigned
   * @param idleTimeout how long the client may stay silent
   * @throws IllegalStateException if not called on a Weft process
   */
  public void serve(Transport transport, ConnectResult.Ok connected, Duration idleTimeout) {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(connected, "connected");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
    }
    weft.process.Process.self(); // throws IllegalStateException off a process
    new weft.web.channel.internal.SocketProcess(
            this, transport, connected.assigns(), connected.id(), idleTimeout)
        .run();
  }

  /** The PubSub. */
  public PubSub pubsub() {
    return pubsub;
  }

  /** The connect handler. */
  public SocketHandler handler() {
    return handler;
  }

  /** The limits. */
  public SocketOptions options() {
    return options;
  }

  /** How fast clients may push. */
  public RateLimits rateLimits() {
    return rateLimits;
  }

  /**
   * The channel for a topic.
   *
   * @param topic the topic
   * @return a new channel instance, or empty when no route matches
   */
  public Optional<Channel> channelFor(String topic) {
    for (Route r : routes) {
      if (r.matches(topic)) {
        return Optional.of(
            Objects.requireNonNull(r.channel().get(), "channel factory returned null"));
      }
    }
    return Optional.empty();
  }

  /**
   * The limits of a socket.
   *
   * @param heartbeatTimeout a connection silent this long (no frame, not even a heartbeat) is
   *     closed (default 60 s)
   * @param maxChannels channels one socket may join (default 100, as Phoenix)
   * @param maxFrameBytes largest inbound frame; larger closes with 1009 (default 1 MiB)
   * @param maxOutboundBytes bytes queued for a client that does not read; more closes the
   *     connection (default 4 MiB)
   * @param checkOrigin whether a browser's Origin must match the Host (default true)
   * @param allowedOrigins origins accepted besides the same host, such as {@code
   *     https://app.example.com}
   */
  public record SocketOptions(
      Duration heartbeatTimeout,
      int maxChannels,
      int maxFrameBytes,
      int maxOutboundBytes,
      boolean checkOrigin,
      List<String> allowedOrigins) {

    /**
     * Validates the limits.
     *
     * @param heartbeatTimeout positive
     * @param maxChannels positive
     * @param maxFrameBytes positive
     * @param maxOutboundBytes positive
     * @param checkOrigin whether to check
     * @param allowedOrigins extra origins
     */
    public SocketOptions {
      Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
      allowedOrigins = List.copyOf(allowedOrigins);
      if (maxChannels <= 0 || maxFrameBytes <= 0 || maxOutboundBytes <= 0) {
        throw new IllegalArgumentException("socket limits must be positive");
      }
    }

    /**
     * Phoenix's defaults.
     *
     * @return the options
     */
    public static SocketOptions defaults() {
      return new SocketOptions(Duration.ofSeconds(60), 100, 1 << 20, 4 << 20, true, List.of());
    }
  }

  /** Declares a socket. */
  public static final class Builder {
    private final PubSub pubsub;
    private final SocketHandler handler;
    private final List<Route> routes = new ArrayList<>();
    private SocketOptions options = SocketOptions.defaults();
    private RateLimits rateLimits = RateLimits.none();

    private Builder(PubSub pubsub, SocketHandler handler) {
      this.pubsub = pubsub;
      this.handler = handler;
    }

    /**
     * Routes topics to a channel: an exact topic, or a prefix ending in {@code *} ({@code room:*}).
     *
     * @param pattern the topic pattern
     * @param channel makes a channel for each join
     * @return this builder
     */
    public Builder channel(String pattern, Supplier<Channel> channel) {
      if (pattern.isEmpty()
          || pattern.indexOf('*') >= 0 && pattern.indexOf('*') != pattern.length() - 1) {
        throw new IllegalArgumentException(
            "a topic pattern is a topic or a prefix ending in *: " + pattern);
      }
      routes.add(new Route(pattern, Objects.requireNonNull(channel, "channel")));
      return this;
    }

    /**
     * Sets the limits.
     *
     * @param options the limits
     * @return this builder
     */
    public Builder options(SocketOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Sets how fast clients may push (default: no limits). See {@link RateLimits}.
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder rateLimits(RateLimits limits) {
      this.rateLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Builds the definition.
     *
     * @return the socket
     */
    public Socket build() {
      return new Socket(pubsub, handler, routes, options, rateLimits);
    }
  }
}
