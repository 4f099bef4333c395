package weft.web.http.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.process.Node;
import weft.process.ProcessBody;
import weft.web.http.HttpConfig;
import weft.web.http.HttpError;
import weft.web.http.Request;
import weft.web.http.Response;
import weft.web.http.Router;
import weft.web.transport.OpenTransports;

/**
 * What the server's connections share: the node requests run on, the router, the limits, the count
 * of requests in flight and the draining flag. Also builds each connection's pipeline.
 */
public final class ServerState extends ChannelInitializer<SocketChannel> {

  private static final Logger LOG = LoggerFactory.getLogger("weft.web.http");

  private final Node node;
  private final Router router;
  private final HttpConfig config;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Object inFlightLock = new Object();
  // Guarded by inFlightLock.
  private int inFlight;
  private volatile boolean draining;
  private final BodyBudget bodies;
  private final OpenTransports transports;

  /**
   * Creates the shared state.
   *
   * @param node where request processes run
   * @param router the routes
   * @param config the limits
   */
  public ServerState(Node node, Router router, HttpConfig config) {
    this.node = node;
    this.transports = new OpenTransports(node);
    this.router = router;
    this.config = config;
    this.bodies =
        new BodyBudget(
            config.maxBufferedBodyBytes(), config.maxBodyBytes(), config.securityHeaders());
  }

  /** The headers every response carries unless it sets them. */
  weft.web.http.SecurityHeaders securityHeaders() {
    return config.securityHeaders();
  }

  /** Bytes of request bodies the server holds now, over every connection. */
  public long bufferedBodyBytes() {
    return bodies.used();
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    channels.add(ch);
    ChannelPipeline p = ch.pipeline();
    p.addLast(new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
    HeaderDeadline headers = new HeaderDeadline(config.headerTimeout(), config.securityHeaders());
    p.addLast(headers.bytes());
    p.addLast(
        new HttpServerCodec(
            new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxInitialLineBytes())
                .setMaxHeaderSize(config.maxHeaderBytes())));
    p.addLast(headers.requests());
    p.addLast(new HttpContentCompressor());
    BodyBudget.Guard guard = bodies.new Guard();
    p.addLast(guard);
    p.addLast(new Aggregator(config.maxBodyBytes(), config.securityHeaders()));
    p.addLast(new Connection(this, guard));
  }

  /** Answers 413 with Weft's error body and closes, instead of Netty's empty 413. */
  private static final class Aggregator extends HttpObjectAggregator {
    private final weft.web.http.SecurityHeaders security;

    Aggregator(int maxContentLength, weft.web.http.SecurityHeaders security) {
      super(maxContentLength);
      this.security = security;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      String accept = oversized.headers().get(HttpHeaderNames.ACCEPT, "");
      boolean json = accept.contains("application/json") && !accept.contains("text/html");
      ErrorResponses.writeAndClose(ctx, 413, "request body too large", json, security);
      LoggerFactory.getLogger("weft.web.access")
          .info(
              "{} {} 413 body over {} bytes",
              oversized instanceof io.netty.handler.codec.http.HttpRequest r2 ? r2.method() : "-",
              oversized instanceof io.netty.handler.codec.http.HttpRequest r3 ? r3.uri() : "-",
              maxContentLength());
    }
  }

  /** The open WebSockets and long-poll sessions. */
  OpenTransports transports() {
    return transports;
  }

  /** The socket mounted for a {@code <mount>/longpoll} path, if any. */
  java.util.Optional<weft.web.channel.Socket> longPollFor(String path) {
    String suffix = "/longpoll";
    if (!path.endsWith(suffix)) {
      return java.util.Optional.empty();
    }
    return router.socketAt(path.substring(0, path.length() - suffix.length()));
  }

  /** The socket mounted for a {@code <mount>/websocket} path, if any. */
  java.util.Optional<weft.web.channel.Socket> socketFor(String path) {
    String suffix = "/websocket";
    if (!path.endsWith(suffix)) {
      return java.util.Optional.empty();
    }
    return router.socketAt(path.substring(0, path.length() - suffix.length()));
  }

  /** The open connections. */
  public ChannelGroup channels() {
    return channels;
  }

  boolean draining() {
    return draining;
  }

  void spawn(ProcessBody body) {
    node.spawn(body);
  }

  /** Runs the router and maps every failure to a response, in the request's process. */
  Response handle(Request request) {
    try {
      Response r = router.dispatch(request);
      if (r == null) {
        throw new IllegalStateException("handler for " + request + " returned null");
      }
      return r;
    } catch (HttpError e) {
      Response r =
          ErrorResponses.of(
              e.status(), e.getMessage(), request.requestId(), router.wantsJson(request));
      for (var h : e.headers().entrySet()) {
        r = r.withHeader(h.getKey(), h.getValue());
      }
      return r;
    } catch (Exception e) {
      LOG.error("request {} {} failed", request.requestId(), request, e);
      return ErrorResponses.of(
          500, "internal server error", request.requestId(), router.wantsJson(request));
    }
  }

  void requestStarted() {
    synchronized (inFlightLock) {
      inFlight++;
    }
  }

  void requestFinished() {
    synchronized (inFlightLock) {
      inFlight--;
      if (inFlight == 0) {
        inFlightLock.notifyAll();
      }
    }
  }

  /** From now on, responses close their connections. */
  public void startDraining() {
    draining = true;
  }

  /**
   * Stops taking new requests on kept-alive connections and waits for the ones in flight.
   *
   * @param timeout how long to wait
   * @return whether all finished in time
   */
  public boolean drain(Duration timeout) {
    startDraining();
    transports.closeAll();
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (inFlightLock) {
      while (inFlight > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          inFlightLock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }
}
