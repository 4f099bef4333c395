package weft.web.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.SerializableString;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.POJONode;
import tools.jackson.databind.util.RawValue;
import weft.process.Pid;
import weft.process.Process;
import weft.web.channel.Broadcast;
import weft.web.channel.Frame;
import weft.web.channel.ProtocolException;
import weft.web.channel.Transport;
import weft.web.channel.TransportEvent;
import weft.web.channel.V2Serializer;

/*
 * Design: the Netty end of a WebSocket. Inbound frames are decoded on the event loop and handed
 * to the socket process as messages; outbound frames come from any thread. The connection's
 * outbound buffer is bounded by its write-buffer high-water mark: a write that finds the channel
 * unwritable (the client is not reading) closes the connection with 1013 instead of queueing
 * more, so a slow client can never grow the heap.
 *
 * Fan-out batching: a broadcast from another thread goes into this connection's outbox (a
 * lock-free queue) and at most one drain task per connection is pending on its event loop; the
 * drain clears its flag first, then writes everything in the outbox and flushes once (one system
 * call), so a burst of broadcasts costs a few flushes, not one per message. Clearing the flag
 * before draining is what makes it safe: a writer whose CAS fails knows a drain is pending that has
 * not started, so it will see the frame the writer queued just before; a writer whose CAS succeeds
 * schedules the next drain. (Writing with channel.write from the other thread and scheduling only
 * a flush could leave a frame queued behind the flush, unflushed until some later write.) Frames
 * written on the event loop drain the outbox first, so per-connection order is kept. The outbox
 * counts against the same bound as the outbound buffer: when its bytes exceed what the channel
 * accepts before becoming unwritable (the write-buffer high-water mark less what is buffered), the
 * client is treated as not reading, exactly as a direct write would have found it.
 *
 * Inbound bound: every data frame handed to the socket process counts as waiting until the socket
 * process or a channel has handled it (Transport.handled). At MAX_WAITING the connection stops
 * reading (autoRead off, on the event loop); it reads again once half of them are handled. A
 * client that pushes faster than its pushes are handled (each one a database write, say) is then
 * held back by TCP instead of queueing work in the mailboxes without bound. Pause and resume both
 * run on the event loop and resume checks the count again, so a handled() racing with a pause
 * cannot leave the connection paused with nothing waiting.
 */
/** A socket's WebSocket connection. */
final class WebSocketTransport extends SimpleChannelInboundHandler<WebSocketFrame>
    implements Transport {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketTransport.class);

  private final Channel channel;
  private final Set<WebSocketTransport> registry;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final java.util.Queue<TextWebSocketFrame> outbox =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicLong outboxBytes =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile Pid socketProcess;

  /**
   * Frames handed to the socket process and not yet handled before the connection stops reading.
   */
  static final int MAX_WAITING = 64;

  private final java.util.concurrent.atomic.AtomicInteger waiting =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * Creates the transport for a channel.
   *
   * @param channel the upgraded channel
   * @param registry the server's open transports (this one adds and removes itself)
   */
  WebSocketTransport(Channel channel, Set<WebSocketTransport> registry) {
    this.channel = channel;
    this.registry = registry;
    registry.add(this);
  }

  /**
   * Names the process that receives this connection's frames; frames read before are not lost (the
   * channel does not read until then).
   *
   * @param pid the socket process
   */
  void attach(Pid pid) {
    this.socketProcess = pid;
    channel.config().setAutoRead(true);
    channel.read();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    Pid target = socketProcess;
    switch (frame) {
      case TextWebSocketFrame text -> {
        try {
          Frame f = V2Serializer.decodeText(text.text());
          took();
          Process.send(target, new TransportEvent.Received(f));
        } catch (ProtocolException e) {
          Process.send(target, new TransportEvent.Malformed(e.getMessage()));
        }
      }
      case BinaryWebSocketFrame binary -> {
        try {
          Frame f = V2Serializer.decodeClientPush(ByteBufUtil.getBytes(binary.content()));
          took();
          Process.send(target, new TransportEvent.Received(f));
        } catch (ProtocolException e) {
          Process.send(target, new TransportEvent.Malformed(e.getMessage()));
        }
      }
      case PingWebSocketFrame ping ->
          ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      case CloseWebSocketFrame close -> {
        closing.set(true);
        ctx.writeAndFlush(close.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE);
      }
      default -> {}
    }
  }

  /** On the event loop: one more frame waits; at the bound, stop reading. */
  private void took() {
    if (waiting.incrementAndGet() >= MAX_WAITING && channel.config().isAutoRead()) {
      channel.config().setAutoRead(false);
    }
  }

  @Override
  public void handled(int frames) {
    if (frames <= 0) {
      return;
    }
    int left = waiting.addAndGet(-frames);
    if (left <= MAX_WAITING / 2 && !channel.config().isAutoRead() && channel.isActive()) {
      channel
          .eventLoop()
          .execute(() -> {
            if (waiting.get() < MAX_WAITING && channel.isActive()) {
              channel.config().setAutoRead(true);
            }
          });
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    registry.remove(this);
    drain(false); // releases what is left
    Pid target = socketProcess;
    if (target != null) {
      Process.send(target, new TransportEvent.Closed());
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof io.netty.handler.codec.TooLongFrameException) {
      // A message reassembled from fragments grew past the limit (one frame too large is
      // answered by the decoder itself): 1009, as for a single frame, instead of a bare reset.
      close(1009, "message too big");
      return;
    }
    if (!(cause instanceof IOException)) {
      LOG.warn("WebSocket {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    ctx.close();
  }

  @Override
  public void send(Frame frame) {
    if (frame.payload() instanceof Frame.BinaryPayload) {
      write(
          new BinaryWebSocketFrame(Unpooled.wrappedBuffer(V2Serializer.encodeServer(frame, "ok"))));
    } else if (shared(frame) instanceof byte[] payload) {
      // A payload encoded once for many clients (a presence state): its bytes are written after
      // this frame's own head, not copied into a new array per client.
      byte[] head =
          V2Serializer.encodeTextHead(frame.joinRef(), frame.ref(), frame.topic(), frame.event());
      write(new TextWebSocketFrame(Unpooled.wrappedBuffer(head, payload, CLOSE_ARRAY)));
    } else {
      write(new TextWebSocketFrame(Unpooled.wrappedBuffer(V2Serializer.encodeTextBytes(frame))));
    }
  }

  private static final byte[] CLOSE_ARRAY = {']'};

  /** The UTF-8 bytes of a payload that is already encoded JSON kept as a SerializedString. */
  private static byte[] shared(Frame frame) {
    if (frame.payload() instanceof Frame.JsonPayload(JsonNode json)
        && json instanceof POJONode pojo
        && pojo.getPojo() instanceof RawValue raw
        && raw.rawValue() instanceof SerializableString encoded) {
      return encoded.asUnquotedUTF8();
    }
    return null;
  }

  @Override
  public void send(Broadcast broadcast) {
    // The broadcast's bytes, shared by every socket (UTF-8 encoding per socket was 60% of the
    // server's CPU when a presence diff went to 19,000 sockets).
    TextWebSocketFrame frame = new TextWebSocketFrame(Unpooled.wrappedBuffer(broadcast.utf8()));
    if (!writable(frame)) {
      return;
    }
    if (channel.eventLoop().inEventLoop()) {
      drain(false);
      channel.writeAndFlush(frame, channel.voidPromise());
      return;
    }
    long size = frame.content().readableBytes();
    if (outboxBytes.addAndGet(size) > channel.bytesBeforeUnwritable()) {
      outboxBytes.addAndGet(-size);
      frame.release();
      LOG.warn("WebSocket {} is not reading; disconnecting it", channel.remoteAddress());
      close(1013, "slow consumer");
      return;
    }
    outbox.add(frame);
    if (drainScheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(() -> drain(true));
    }
  }

  /** On the event loop: writes the outbox (its flag cleared first when scheduled), then flushes. */
  private void drain(boolean scheduled) {
    if (scheduled) {
      drainScheduled.set(false);
    }
    boolean wrote = false;
    TextWebSocketFrame f;
    while ((f = outbox.poll()) != null) {
      outboxBytes.addAndGet(-f.content().readableBytes());
      if (channel.isActive()) {
        channel.write(f, channel.voidPromise());
        wrote = true;
      } else {
        f.release();
      }
    }
    if (wrote && scheduled) {
      channel.flush();
    }
  }

  private void write(WebSocketFrame frame) {
    if (!writable(frame)) {
      return;
    }
    if (channel.eventLoop().inEventLoop()) {
      drain(false);
      channel.writeAndFlush(frame, channel.voidPromise());
    } else {
      channel
          .eventLoop()
          .execute(() -> {
            drain(false);
            channel.writeAndFlush(frame, channel.voidPromise());
          });
    }
  }

  /** False (and the frame released) when the connection is closing or its client is not reading. */
  private boolean writable(WebSocketFrame frame) {
    if (!channel.isActive() || closing.get()) {
      frame.release();
      return false;
    }
    if (!channel.isWritable()) {
      frame.release();
      LOG.warn("WebSocket {} is not reading; disconnecting it", channel.remoteAddress());
      close(1013, "slow consumer");
      return false;
    }
    return true;
  }

  @Override
  public void close(int code, String reason) {
    if (closing.compareAndSet(false, true) && channel.isActive()) {
      channel
          .writeAndFlush(new CloseWebSocketFrame(code, reason))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }
}
