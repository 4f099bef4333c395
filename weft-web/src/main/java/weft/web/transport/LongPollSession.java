package weft.web.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.process.Pid;
import weft.process.Process;
import weft.web.channel.Broadcast;
import weft.web.channel.Frame;
import weft.web.channel.Transport;
import weft.web.channel.TransportEvent;
import weft.web.channel.V2Serializer;

/*
 * Design: the server end of one long-poll client. Outbound frames are buffered (encoded) until the
 * client's next GET takes them all; inbound frames arrive by POST and go to the socket process
 * like WebSocket frames. The buffer is bounded in bytes: a client that stops polling while
 * messages pile up is disconnected, as a slow WebSocket client is.
 *
 * Threads: send() from any thread, poll() from the request process of the current GET; `lock`
 * guards the buffer and the closed flag.
 */
/** A long-poll session: a socket's transport between polls. */
final class LongPollSession implements Transport {

  private static final Logger LOG = LoggerFactory.getLogger(LongPollSession.class);

  private final String token;
  private final Map<String, LongPollSession> registry;
  private final int maxBufferedBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  // Guarded by lock.
  private final List<String> buffer = new ArrayList<>();
  private int bufferedBytes;
  private boolean closed;
  private volatile Pid socketProcess;

  /**
   * Creates and registers a session.
   *
   * @param token its token
   * @param registry the server's sessions by token (this one adds and removes itself)
   * @param maxBufferedBytes outbound bytes held for the client at most
   */
  LongPollSession(String token, Map<String, LongPollSession> registry, int maxBufferedBytes) {
    this.token = token;
    this.registry = registry;
    this.maxBufferedBytes = maxBufferedBytes;
    registry.put(token, this);
  }

  /** The session's token. */
  public String token() {
    return token;
  }

  /** Names the socket process that receives this session's frames. */
  public void attach(Pid pid) {
    this.socketProcess = pid;
  }

  /** The socket process, once attached. */
  public Pid socketProcess() {
    return socketProcess;
  }

  /**
   * Hands a frame posted by the client to the socket process.
   *
   * @param line one line of the POST body: a JSON frame, or a base64 binary frame
   */
  public void receive(String line) {
    Pid target = socketProcess;
    if (target == null) {
      return;
    }
    try {
      Frame frame =
          line.startsWith("[")
              ? V2Serializer.decodeText(line)
              : V2Serializer.decodeClientPush(java.util.Base64.getDecoder().decode(line));
      Process.send(target, new TransportEvent.Received(frame));
    } catch (IllegalArgumentException | weft.web.channel.ProtocolException e) {
      Process.send(target, new TransportEvent.Malformed(e.getMessage()));
    }
  }

  @Override
  public void send(Frame frame) {
    if (frame.payload() instanceof Frame.BinaryPayload) {
      LOG.warn(
          "long-poll session {} cannot carry a binary frame on {}; dropped", token, frame.topic());
      return;
    }
    enqueue(V2Serializer.encodeText(frame));
  }

  @Override
  public void send(Broadcast broadcast) {
    enqueue(broadcast.text());
  }

  private void enqueue(String text) {
    boolean overflow;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      buffer.add(text);
      bufferedBytes += text.length();
      overflow = bufferedBytes > maxBufferedBytes;
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    if (overflow) {
      LOG.warn("long-poll session {} is not polling; disconnecting it", token);
      close(1013, "slow consumer");
    }
  }

  /**
   * Takes what is buffered, waiting up to {@code window} for something to arrive.
   *
   * @param window the poll window
   * @return the messages (empty when none came in time), or null when the session is closed
   * @throws InterruptedException if the polling process is interrupted
   */
  public List<String> poll(Duration window) throws InterruptedException {
    long left = window.toNanos();
    lock.lock();
    try {
      while (buffer.isEmpty() && !closed && left > 0) {
        left = arrived.awaitNanos(left);
      }
      if (buffer.isEmpty() && closed) {
        return null;
      }
      List<String> out = new ArrayList<>(buffer);
      buffer.clear();
      bufferedBytes = 0;
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the session has been closed. */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close(int code, String reason) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    registry.remove(token, this);
    Pid target = socketProcess;
    if (target != null) {
      Process.send(target, new TransportEvent.Closed());
    }
  }
}
