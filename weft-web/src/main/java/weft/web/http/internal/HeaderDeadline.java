package weft.web.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * A deadline for a request's headers, against clients that trickle them in (slowloris): the first
 * byte of a request starts it, the decoded headers stop it; past it the server answers 408 and
 * closes. Two handlers, one on each side of the HTTP codec, share it: {@link #bytes()} sees raw
 * bytes, {@link #requests()} decoded requests. The idle timeout covers the time between requests.
 * Both run on the channel's event loop, so the state needs no synchronisation.
 */
final class HeaderDeadline {

  private final long nanos;
  private ScheduledFuture<?> timer;
  private boolean inRequest;
  private ChannelHandlerContext after;
  private final weft.web.http.SecurityHeaders security;

  HeaderDeadline(Duration timeout, weft.web.http.SecurityHeaders security) {
    this.nanos = timeout.toNanos();
    this.security = security;
  }

  /** The handler before the codec. */
  ChannelInboundHandlerAdapter bytes() {
    return new Bytes();
  }

  /** The handler after the codec. */
  ChannelDuplexHandler requests() {
    return new Requests();
  }

  /** Removes both handlers (a connection upgraded to a WebSocket). */
  static void remove(ChannelPipeline p) {
    if (p.get(Bytes.class) != null) {
      Requests r = p.get(Requests.class);
      if (r != null) {
        r.deadline().cancel();
        p.remove(r);
      }
      p.remove(Bytes.class);
    }
  }

  private void start(ChannelHandlerContext ctx) {
    if (!inRequest && timer == null && after != null) {
      timer = ctx.executor().schedule(this::expire, nanos, TimeUnit.NANOSECONDS);
    }
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void expire() {
    timer = null;
    ChannelHandlerContext ctx = after;
    if (ctx == null || !ctx.channel().isActive() || inRequest) {
      return;
    }
    if (!ctx.channel().config().isAutoRead()) {
      // The server stopped reading (pipelined requests wait to be answered): the client is not
      // the slow one. A new deadline starts.
      timer = ctx.executor().schedule(this::expire, nanos, TimeUnit.NANOSECONDS);
      return;
    }
    ErrorResponses.writeAndClose(ctx, 408, "request headers took too long", false, security);
    LoggerFactory.getLogger("weft.web.access")
        .info("- - 408 headers not complete within {} ms", TimeUnit.NANOSECONDS.toMillis(nanos));
  }

  private final class Bytes extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf b && b.isReadable()) {
        start(ctx);
      }
      ctx.fireChannelRead(msg);
    }
  }

  private final class Requests extends ChannelDuplexHandler {
    HeaderDeadline deadline() {
      return HeaderDeadline.this;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      after = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest) {
        cancel();
        inRequest = true;
      }
      if (msg instanceof LastHttpContent) {
        inRequest = false; // the next byte starts the next request's deadline
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      cancel();
      ctx.fireChannelInactive();
    }
  }
}
