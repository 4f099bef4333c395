package weft.web.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.web.http.Method;
import weft.web.http.Request;
import weft.web.http.Response;
import weft.web.transport.LongPoll;
import weft.web.transport.Upgrade;

/*
 * Design: one instance per connection, its fields confined to the connection's event loop except
 * where noted. The event loop only decodes, queues and writes; each request runs in its own Weft
 * process (ServerState.spawn), which builds the response and writes it to the channel (Netty's
 * writes are thread-safe and hop to the event loop).
 *
 * HTTP/1.1 pipelining: responses must leave in request order, so a connection runs one request
 * at a time; requests decoded meanwhile wait in `pending` and start when the previous response
 * has been written. A slow handler therefore delays only later requests on its own connection.
 * At most MAX_PENDING requests wait so: past that the connection stops reading until they have
 * been answered, and TCP holds the client back, so one connection buffers at most
 * (MAX_PENDING + 2) bodies (waiting, running, being aggregated) however many it pipelines.
 */
final class Connection extends ChannelInboundHandlerAdapter {

  private static final Logger ACCESS = LoggerFactory.getLogger("weft.web.access");
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{8,128}");

  private final ServerState server;

  /** Requests that may wait behind the running one before the connection stops reading. */
  static final int MAX_PENDING = 4;

  private final ArrayDeque<FullHttpRequest> pending = new ArrayDeque<>();
  private boolean busy;
  private final BodyBudget.Guard bodies;
  // The body size of the running request, given back to the budget when it is answered.
  private long runningBody;

  Connection(ServerState server, BodyBudget.Guard bodies) {
    this.server = server;
    this.bodies = bodies;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest req)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (busy) {
      pending.add(req);
      if (pending.size() >= MAX_PENDING) {
        ctx.channel().config().setAutoRead(false);
      }
    } else {
      start(ctx, req);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent && !busy) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    for (FullHttpRequest r : pending) {
      r.release();
    }
    pending.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      LOG.warn("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    ctx.close();
  }

  private void start(ChannelHandlerContext ctx, FullHttpRequest req) {
    busy = true;
    runningBody = req.content().readableBytes();
    long started = System.nanoTime();
    String requestId = requestId(req.headers());
    if (!req.decoderResult().isSuccess()) {
      Throwable cause = req.decoderResult().cause();
      int status =
          cause instanceof TooLongHttpHeaderException
              ? 431
              : cause instanceof TooLongHttpLineException ? 414 : 400;
      String message =
          switch (status) {
            case 431 -> "request headers too large";
            case 414 -> "request line too long";
            default ->
                cause instanceof TooLongFrameException ? "request too large" : "malformed request";
          };
      boolean json = acceptsJson(req.headers());
      req.release();
      Response error = ErrorResponses.of(status, message, requestId, json);
      write(ctx.channel(), null, "-", req.uri(), error, requestId, false, started, false);
      return;
    }
    String methodName = req.method().name();
    Method method = METHODS.get(methodName);
    if (method == null) {
      boolean json = acceptsJson(req.headers());
      String uri = req.uri();
      req.release();
      Response error =
          ErrorResponses.of(501, "method " + methodName + " is not supported", requestId, json);
      write(ctx.channel(), null, methodName, uri, error, requestId, false, started, false);
      return;
    }
    Request request;
    boolean keepAlive = HttpUtil.isKeepAlive(req) && !server.draining();
    Upgrade.Decision upgrade = null;
    LongPoll.Checked longPoll = null;
    try {
      request = toRequest(ctx.channel(), method, req, requestId);
      var socket = server.socketFor(request.path());
      if (socket.isPresent()) {
        upgrade = Upgrade.check(socket.get(), req, request);
      } else if (server.longPollFor(request.path()).isPresent()) {
        longPoll = LongPoll.check(server.longPollFor(request.path()).get(), req);
      }
    } catch (IllegalArgumentException e) {
      Response error = ErrorResponses.of(400, "malformed request", requestId, false);
      write(ctx.channel(), null, methodName, req.uri(), error, requestId, false, started, false);
      return;
    } finally {
      req.release();
    }
    switch (upgrade) {
      case null -> {}
      case Upgrade.Refuse(int status, String message) -> {
        write(
            ctx.channel(),
            request,
            methodName,
            request.uri(),
            ErrorResponses.of(status, message, requestId, false),
            requestId,
            false,
            started,
            false);
        return;
      }
      case Upgrade.Proceed p -> {
        bodies.finished(runningBody);
        runningBody = 0;
        Channel channel = ctx.channel();
        var socket = server.socketFor(request.path()).orElseThrow();
        // The socket process lives as long as the connection: it lets go of the upgrade request
        // (headers, params) once connected, rather than keep it in its closure for its life.
        AtomicReference<Request> upgrading = new AtomicReference<>(request);
        AtomicReference<Upgrade.Proceed> proceed = new AtomicReference<>(p);
        server.spawn(() -> {
          String uri = upgrading.get().uri();
          ACCESS.info("{} {} 101 id={}", methodName, Json.printable(uri), requestId);
          Upgrade.Connected connected =
              Upgrade.connect(
                  socket,
                  proceed.getAndSet(null),
                  channel,
                  server.transports(),
                  Connection::detach,
                  requestId);
          switch (connected) {
            case Upgrade.Serving serving -> {
              upgrading.set(null);
              serving.serve();
            }
            case Upgrade.HandshakeFailed f -> upgrading.set(null);
            case Upgrade.Refused r ->
                write(
                    channel,
                    upgrading.getAndSet(null),
                    methodName,
                    uri,
                    ErrorResponses.of(403, "connection refused", requestId, false),
                    requestId,
                    false,
                    started,
                    false);
          }
        });
        return;
      }
    }
    server.requestStarted();
    LongPoll.Checked poll = longPoll;
    server.spawn(() -> {
      Response response =
          poll == null
              ? server.handle(request)
              : LongPoll.handle(
                  server.longPollFor(request.path()).orElseThrow(),
                  poll,
                  request,
                  server.transports());
      write(
          ctx.channel(),
          request,
          methodName,
          request.uri(),
          response,
          requestId,
          keepAlive,
          started,
          true);
    });
  }

  /** Removes the HTTP server's handlers from a connection that becomes a WebSocket. */
  private static void detach(ChannelPipeline p) {
    HeaderDeadline.remove(p);
    if (p.get(Connection.class) != null) {
      p.remove(Connection.class);
    }
  }

  private static boolean acceptsJson(HttpHeaders headers) {
    String accept = headers.get(HttpHeaderNames.ACCEPT, "");
    return accept.contains("application/json") && !accept.contains("text/html");
  }

  private static String requestId(HttpHeaders headers) {
    String given = headers.get("x-request-id");
    if (given != null && REQUEST_ID.matcher(given).matches()) {
      return given;
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return Long.toHexString(r.nextLong() | Long.MIN_VALUE)
        + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
  }

  private static final Map<String, Method> METHODS = new HashMap<>();

  static {
    for (Method m : Method.values()) {
      METHODS.put(m.name(), m);
    }
  }

  private static Request toRequest(
      Channel channel, Method method, FullHttpRequest req, String requestId) {
    QueryStringDecoder qs = new QueryStringDecoder(req.uri());
    String path = qs.path();
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("request target must be a path");
    }
    Map<String, List<String>> headers = new HashMap<>();
    for (Map.Entry<String, String> h : req.headers()) {
      headers
          .computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(h.getValue());
    }
    Map<String, String> cookies = new HashMap<>();
    for (String header : req.headers().getAll(HttpHeaderNames.COOKIE)) {
      for (Cookie c : ServerCookieDecoder.STRICT.decode(header)) {
        cookies.putIfAbsent(c.name(), c.value());
      }
    }
    byte[] body = ByteBufUtil.getBytes(req.content());
    InetSocketAddress remote = channel.remoteAddress() instanceof InetSocketAddress a ? a : null;
    return new Request(
        method, req.uri(), path, qs.parameters(), headers, body, cookies, requestId, remote);
  }

  // ---------------------------------------------------------------- writing (any thread)

  private void write(
      Channel channel,
      Request request,
      String method,
      String uri,
      Response response,
      String requestId,
      boolean keepAliveAsked,
      long started,
      boolean counted) {
    boolean keepAlive = keepAliveAsked && !server.draining();
    boolean head = request != null && request.method() == Method.HEAD;
    HttpResponseStatus status = HttpResponseStatus.valueOf(response.status());
    long[] bytes = {0};
    ChannelFuture last;
    if (response.body() instanceof Response.Body.Stream(Response.StreamWriter writer) && !head) {
      HttpResponse start = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
      headers(start.headers(), response, requestId, keepAlive, server.securityHeaders());
      HttpUtil.setTransferEncodingChunked(start, true);
      channel.writeAndFlush(start);
      try {
        writer.write(chunk -> {
          ChannelFuture f =
              channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
          bytes[0] += chunk.length;
          awaitWritten(f);
        });
        last = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      } catch (Exception e) {
        LOG.warn(
            "streaming response {} for {} {} failed: {}", requestId, method, uri, e.toString());
        channel.close();
        finish(
            channel, method, uri, response.status(), bytes[0], requestId, false, started, counted);
        return;
      }
    } else {
      byte[] data = response.body() instanceof Response.Body.Bytes(byte[] b) ? b : new byte[0];
      ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(data);
      DefaultFullHttpResponse full =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
      headers(full.headers(), response, requestId, keepAlive, server.securityHeaders());
      if (status.code() >= 200 && status.code() != 204 && status.code() != 304) {
        HttpUtil.setContentLength(full, data.length);
      }
      bytes[0] = head ? 0 : data.length;
      last = channel.writeAndFlush(full);
    }
    last.addListener(
        (ChannelFutureListener)
            f ->
                finish(
                    channel,
                    method,
                    uri,
                    response.status(),
                    bytes[0],
                    requestId,
                    keepAlive,
                    started,
                    counted));
  }

  private static void awaitWritten(ChannelFuture f) throws IOException {
    try {
      f.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing");
    }
    if (!f.isSuccess()) {
      throw new IOException("connection closed", f.cause());
    }
  }

  private static void headers(
      HttpHeaders out,
      Response response,
      String requestId,
      boolean keepAlive,
      weft.web.http.SecurityHeaders security) {
    for (Map.Entry<String, String> h : response.headers()) {
      out.add(h.getKey(), h.getValue());
    }
    security
        .headers()
        .forEach((name, value) -> {
          if (!out.contains(name)) {
            out.set(name, value);
          }
        });
    out.set("x-request-id", requestId);
    out.set(
        HttpHeaderNames.CONNECTION,
        keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
  }

  /** Runs on the event loop once a response is written: log, then the next request or close. */
  private void finish(
      Channel channel,
      String method,
      String uri,
      int status,
      long bytes,
      String requestId,
      boolean keepAlive,
      long started,
      boolean counted) {
    if (!channel.eventLoop().inEventLoop()) {
      channel
          .eventLoop()
          .execute(() ->
              finish(channel, method, uri, status, bytes, requestId, keepAlive, started, counted));
      return;
    }
    ACCESS.info(
        "{} {} {} {}ms {}B id={}",
        method,
        Json.printable(uri),
        status,
        (System.nanoTime() - started) / 1_000_000,
        bytes,
        requestId);
    if (counted) {
      server.requestFinished();
    }
    bodies.finished(runningBody);
    runningBody = 0;
    busy = false;
    if (!keepAlive) {
      channel.close();
      return;
    }
    FullHttpRequest next = pending.poll();
    if (pending.size() < MAX_PENDING && !channel.config().isAutoRead()) {
      channel.config().setAutoRead(true);
    }
    if (next != null) {
      start(channel.pipeline().context(this), next);
    }
  }
}
