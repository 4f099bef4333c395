package weft.web.http.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/*
 * Design: the request bytes the server holds at once, over every connection: bodies being
 * aggregated, waiting behind a pipelined request, and the one a handler is running with (copied
 * to the heap). A connection's Guard, placed before the aggregator, takes a body's bytes from the
 * budget as they arrive (a Content-Length body all at once, before any of it is read; a chunked
 * one chunk by chunk) and the connection gives them back when the request's response has gone
 * out (Connection.finish), or all at once when the connection closes. A body the budget cannot
 * hold is refused with 503 and the connection closed: holding it back instead would let clients
 * that never finish their bodies stall every upload. Each connection also holds at most
 * (Connection.MAX_PENDING + 2) requests, so one connection can take at most that many bodies of
 * the budget.
 *
 * The guard's fields are confined to its connection's event loop; the budget is an atomic.
 */
/** The server-wide bound on buffered request bodies. */
final class BodyBudget {

  private final long limit;
  private final long maxBody;
  private final weft.web.http.SecurityHeaders security;
  private final AtomicLong used = new AtomicLong();

  /**
   * The budget.
   *
   * @param limit bytes held at once
   * @param maxBody the largest body a request may have: one announced larger is left to the
   *     aggregator's 413, without touching the budget
   * @param security the headers every response carries
   */
  BodyBudget(long limit, long maxBody, weft.web.http.SecurityHeaders security) {
    this.limit = limit;
    this.maxBody = maxBody;
    this.security = security;
  }

  /** Bytes of request bodies held now. */
  long used() {
    return used.get();
  }

  private boolean take(long n) {
    while (true) {
      long u = used.get();
      if (u + n > limit) {
        return false;
      }
      if (used.compareAndSet(u, u + n)) {
        return true;
      }
    }
  }

  private void give(long n) {
    if (n > 0) {
      used.addAndGet(-n);
    }
  }

  /** A connection's share: what its bodies hold, given back as its responses go out. */
  final class Guard extends ChannelInboundHandlerAdapter {
    private long held;
    private long reserved;
    private long received;
    private boolean refusing;
    // The current request announced a body over the size limit: the aggregator refuses it.
    private boolean oversized;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (refusing) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (msg instanceof HttpRequest req) {
        received = 0;
        reserved = 0;
        long length = HttpUtil.getContentLength(req, -1L);
        oversized = length > maxBody;
        if (oversized) {
          ctx.fireChannelRead(msg); // the aggregator answers 413 and closes
          return;
        }
        if (length > 0 && !reserve(ctx, length, req)) {
          ReferenceCountUtil.release(msg);
          return;
        }
      }
      if (msg instanceof HttpContent content && !oversized) {
        received += content.content().readableBytes();
        if (received > reserved && !reserve(ctx, received - reserved, null)) {
          ReferenceCountUtil.release(msg);
          return;
        }
        if (msg instanceof LastHttpContent) {
          received = 0;
          reserved = 0;
        }
      }
      ctx.fireChannelRead(msg);
    }

    private boolean reserve(ChannelHandlerContext ctx, long n, HttpRequest req) {
      if (take(n)) {
        reserved += n;
        held += n;
        return true;
      }
      refusing = true;
      String accept = req == null ? "" : req.headers().get(HttpHeaderNames.ACCEPT, "");
      boolean json = accept.contains("application/json") && !accept.contains("text/html");
      LoggerFactory.getLogger("weft.web.access")
          .info(
              "{} {} 503 request bodies held by the server reached {} bytes",
              req == null ? "-" : req.method(),
              req == null ? "-" : Json.printable(req.uri()),
              limit);
      ErrorResponses.writeAndClose(
          ctx, 503, "the server holds too many request bodies; try again shortly", json, security);
      return false;
    }

    /**
     * A response went out: the body of its request is no longer held.
     *
     * @param bodyBytes that request's body size
     */
    void finished(long bodyBytes) {
      long n = Math.min(bodyBytes, held);
      held -= n;
      give(n);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      give(held);
      held = 0;
      ctx.fireChannelInactive();
    }
  }
}
