package weft.web.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.process.Process;
import weft.web.channel.ConnectInfo;
import weft.web.channel.ConnectResult;
import weft.web.channel.Socket;
import weft.web.channel.V2Serializer;
import weft.web.http.Request;

/*
 * Design: turns an HTTP request for <mount>/websocket into a Phoenix socket. The checks that need
 * nothing but the request (upgrade header, vsn, origin) run at once; connect runs in a new process
 * (it may block), which on success asks the event loop to complete the handshake and then becomes
 * the socket process. The channel reads nothing between the handshake and the socket process's
 * attach, so no frame can arrive before someone is there to take it.
 */
public final class Upgrade {

  private static final Logger LOG = LoggerFactory.getLogger(Upgrade.class);
  private static final String TOKEN_PREFIX = "base64url.bearer.phx.";

  private Upgrade() {}

  /** What to do with a request for a socket path: refuse at once, or go on to connect. */
  public sealed interface Decision {}

  /**
   * Refused before connect: answer with this status and message.
   *
   * @param status the HTTP status
   * @param message what the client is told
   */
  public record Refuse(int status, String message) implements Decision {}

  /**
   * Go on: connect with these parameters, then complete the handshake.
   *
   * @param params the query parameters
   * @param info what is known of the connection
   * @param handshake a copy of the request (headers only) for the handshake
   */
  public record Proceed(Map<String, String> params, ConnectInfo info, FullHttpRequest handshake)
      implements Decision {}

  /**
   * The checks that need only the request, on the event loop.
   *
   * @param socket the socket mounted at the path
   * @param req the Netty request
   * @param request the same request as Weft's
   * @return refuse or proceed
   */
  public static Decision check(Socket socket, FullHttpRequest req, Request request) {
    if (!"websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE, ""))) {
      return new Refuse(400, "expected a WebSocket upgrade");
    }
    Map<String, String> params = new HashMap<>();
    request.queryParams().forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.getFirst()));
    if (!V2Serializer.VSN.equals(params.get("vsn"))) {
      return new Refuse(403, "unsupported protocol version; use vsn=" + V2Serializer.VSN);
    }
    if (!originAllowed(socket, req)) {
      return new Refuse(403, "origin not allowed");
    }
    Optional<String> token = token(req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
    ConnectInfo info =
        new ConnectInfo(request.remoteAddress(), request.headers(), request.uri(), token);
    FullHttpRequest copy =
        new DefaultFullHttpRequest(
            req.protocolVersion(),
            req.method(),
            req.uri(),
            Unpooled.EMPTY_BUFFER,
            req.headers().copy(),
            EmptyHttpHeaders.INSTANCE);
    return new Proceed(params, info, copy);
  }

  static boolean originAllowed(Socket socket, FullHttpRequest req) {
    String origin = req.headers().get(HttpHeaderNames.ORIGIN);
    if (origin == null || !socket.options().checkOrigin()) {
      return true;
    }
    if (socket.options().allowedOrigins().contains(origin)) {
      return true;
    }
    String host = req.headers().get(HttpHeaderNames.HOST, "");
    try {
      URI o = URI.create(origin);
      String originHost = o.getHost() == null ? "" : o.getHost();
      String hostOnly =
          host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host.split(":")[0];
      return originHost.equalsIgnoreCase(hostOnly);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The JS client's authToken: {@code phoenix, base64url.bearer.phx.<base64 token>}. */
  static Optional<String> token(String protocols) {
    if (protocols == null) {
      return Optional.empty();
    }
    for (String p : protocols.split(",")) {
      String s = p.trim();
      if (s.startsWith(TOKEN_PREFIX)) {
        String b64 = s.substring(TOKEN_PREFIX.length());
        try {
          return Optional.of(
              new String(Base64.getDecoder().decode(pad(b64)), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          try {
            return Optional.of(
                new String(Base64.getUrlDecoder().decode(pad(b64)), StandardCharsets.UTF_8));
          } catch (IllegalArgumentException again) {
            return Optional.empty();
          }
        }
      }
    }
    return Optional.empty();
  }

  private static String pad(String b64) {
    return b64 + "===".substring(0, (4 - b64.length() % 4) % 4);
  }

  /** What {@link #connect} ended with. */
  public sealed interface Connected {}

  /** The socket's {@code connect} refused: answer 403. */
  public record Refused() implements Connected {}

  /** The handshake failed (logged); nothing is left to answer. */
  public record HandshakeFailed() implements Connected {}

  /**
   * Connected and upgraded: {@link #serve()} runs the socket in the calling process. It holds
   * nothing of the upgrade request (its headers and params were for {@code connect} only), so a
   * long-lived socket does not keep them.
   *
   * @param socket the socket
   * @param transport the upgraded connection
   * @param connected what connect answered
   */
  public record Serving(Socket socket, WebSocketTransport transport, ConnectResult.Ok connected)
      implements Connected {

    /** Serves as the socket process until the connection ends. */
    public void serve() {
      transport.attach(Process.self());
      socket.serve(transport, connected);
    }
  }

  /**
   * The first part of the connect process: connect, then handshake. The caller then drops the
   * request and {@code p}, and calls {@link Serving#serve()}.
   *
   * @param socket the socket mounted at the path
   * @param p what {@link #check} decided
   * @param channel the client's connection
   * @param server the server's open transports
   * @param detachHttp removes the HTTP server's own handlers from the pipeline, on the event loop,
   *     just before the handshake
   * @param requestId the request's id, for the log
   * @return refused, handshake failed, or serving
   */
  public static Connected connect(
      Socket socket,
      Proceed p,
      Channel channel,
      OpenTransports server,
      Consumer<ChannelPipeline> detachHttp,
      String requestId) {
    if (!(socket.connect(p.params(), p.info()) instanceof ConnectResult.Ok connected)) {
      return new Refused();
    }
    CompletableFuture<WebSocketTransport> upgraded = new CompletableFuture<>();
    FullHttpRequest handshake = p.handshake();
    channel
        .eventLoop()
        .execute(() -> handshake(socket, handshake, channel, server, detachHttp, upgraded));
    try {
      return new Serving(socket, upgraded.get(), connected);
    } catch (Exception e) {
      LOG.warn("WebSocket handshake {} failed: {}", requestId, e.toString());
      return new HandshakeFailed();
    }
  }

  private static void handshake(
      Socket socket,
      FullHttpRequest req,
      Channel channel,
      OpenTransports server,
      Consumer<ChannelPipeline> detachHttp,
      CompletableFuture<WebSocketTransport> upgraded) {
    String url = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri();
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(url, "phoenix", true, socket.options().maxFrameBytes())
            .newHandshaker(req);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
      upgraded.completeExceptionally(new IllegalStateException("unsupported WebSocket version"));
      return;
    }
    ChannelPipeline p = channel.pipeline();
    channel.config().setAutoRead(false);
    channel
        .config()
        .setWriteBufferWaterMark(
            new WriteBufferWaterMark(
                socket.options().maxOutboundBytes() / 2, socket.options().maxOutboundBytes()));
    if (p.get(IdleStateHandler.class) != null) {
      p.remove(IdleStateHandler.class);
    }
    detachHttp.accept(p);
    WebSocketTransport transport = new WebSocketTransport(channel, server.sockets());
    p.addLast(new WebSocketFrameAggregator(socket.options().maxFrameBytes()));
    p.addLast(transport);
    handshaker
        .handshake(channel, req)
        .addListener(f -> {
          req.release();
          if (f.isSuccess()) {
            upgraded.complete(transport);
          } else {
            upgraded.completeExceptionally(f.cause());
            channel.close();
          }
        });
  }
}
