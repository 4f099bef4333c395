package weft.web.channel.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import weft.process.Down;
import weft.process.Pid;
import weft.process.Process;
import weft.process.Ref;
import weft.process.SpawnedMonitor;
import weft.web.channel.Broadcast;
import weft.web.channel.Channel;
import weft.web.channel.Frame;
import weft.web.channel.Socket;
import weft.web.channel.Transport;
import weft.web.channel.TransportEvent;
import weft.web.channel.V2Serializer;

/*
 * Design: one process per connected client (Phoenix.Socket's process). It reads decoded frames
 * from its transport, answers heartbeats, routes joins to new channel processes (monitored), and
 * forwards the other events to the channel of their topic when the join_ref is current. A channel
 * that dies abnormally after joining costs the client a phx_error for that topic only.
 *
 * The channel table is this process's own state; nothing else reads it.
 *
 * Every frame the transport hands over is accounted for with transport.handled once it has been
 * handled here, dropped, or handled by a channel (the channel says so itself); the pushes still
 * waiting in a channel that ends are given back when its Down arrives, so a crash cannot leave the
 * transport believing work is waiting. Rate limits are checked here, before a frame can start any
 * work.
 */
public final class SocketProcess {

  private static final Logger LOG = LoggerFactory.getLogger(SocketProcess.class);

  /** A joined channel; {@code waiting} counts the pushes sent to it that it has not handled. */
  private record Joined(
      String joinRef,
      Pid pid,
      Ref monitor,
      boolean ready,
      java.util.concurrent.atomic.AtomicInteger waiting) {}

  private static final java.time.Duration REPLACE_WAIT = java.time.Duration.ofSeconds(5);

  private final java.time.Duration idleTimeout;
  private final Socket socket;
  private final Transport transport;
  private final Map<String, Object> assigns;
  private final Optional<String> socketId;
  private final Map<String, Joined> channels = new HashMap<>();
  private final Map<Ref, String> monitors = new HashMap<>();
  private RateLimiter limiter;

  /**
   * Creates the socket's state with its own idle timeout (long-poll sessions end sooner).
   *
   * @param socket the definition
   * @param transport the connection
   * @param assigns what connect assigned
   * @param socketId the socket id, if any
   * @param idleTimeout how long the client may stay silent
   */
  public SocketProcess(
      Socket socket,
      Transport transport,
      Map<String, Object> assigns,
      Optional<String> socketId,
      java.time.Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
    this.socket = socket;
    this.transport = transport;
    this.assigns = assigns;
    this.socketId = socketId;
  }

  /** Serves the socket until the connection closes or goes silent. */
  public void run() {
    limiter = RateLimiter.open(socket, socketId);
    boolean served = false;
    try {
      serve();
      served = true;
    } finally {
      limiter.release();
      if (!served) {
        // Killed or crashed: the connection must not outlive its socket process (its client
        // would push into the void until its heartbeat timed out). Closing is idempotent, so the
        // orderly ends, which close with their own code first, are unaffected.
        transport.close(1011, "socket process ended");
      }
    }
  }

  private void serve() {
    Process.label("Socket");
    socketId.ifPresent(id ->
        socket
            .pubsub()
            .subscribe(
                Process.self(),
                id,
                (topic, message) -> {
                  if (message instanceof Broadcast b && b.event().equals("disconnect")) {
                    transport.close(1001, "disconnected");
                  }
                }));
    long timeoutNanos = idleTimeout.toNanos();
    long deadline = System.nanoTime() + timeoutNanos;
    while (true) {
      long left = deadline - System.nanoTime();
      Optional<Object> next =
          left <= 0 ? Optional.empty() : Process.receive(java.time.Duration.ofNanos(left));
      if (next.isEmpty()) {
        LOG.info(
            "socket {} silent for {}; closing",
            Process.self(),
            socket.options().heartbeatTimeout());
        transport.close(1001, "heartbeat timeout");
        return;
      }
      switch (next.get()) {
        case TransportEvent.Received(Frame frame) -> {
          deadline = System.nanoTime() + timeoutNanos;
          if (!handle(frame)) {
            return;
          }
        }
        case TransportEvent.Activity a -> deadline = System.nanoTime() + timeoutNanos;
        case TransportEvent.Malformed(String reason) -> {
          LOG.warn("socket {} sent a malformed frame ({}); closing", Process.self(), reason);
          transport.close(1007, "malformed frame");
          return;
        }
        case TransportEvent.Closed c -> {
          return;
        }
        case Messages.Joined(String topic, String joinRef, Pid pid) -> {
          Joined j = channels.get(topic);
          if (j != null && j.pid().equals(pid)) {
            channels.put(topic, new Joined(joinRef, pid, j.monitor(), true, j.waiting()));
          }
        }
        case Down d -> channelDown(d);
        default -> LOG.debug("socket {} ignored {}", Process.self(), next.get());
      }
    }
  }

  /** Handles a frame from the client; false when the connection is to end. */
  private boolean handle(Frame frame) {
    if (frame.topic().equals("phoenix") && frame.event().equals("heartbeat")) {
      reply(frame, null, "ok", JsonNodeFactory.instance.objectNode());
      transport.handled(1);
      return true;
    }
    if (!limiter.isEmpty()) {
      long now = System.nanoTime();
      long wait = limiter.admit(frame.event(), now);
      if (wait > 0) {
        transport.handled(1);
        if (limiter.refused(now)) {
          LOG.warn("socket {} pushed too fast for too long; closing", Process.self());
          transport.close(weft.web.channel.RateLimits.CLOSE_CODE, "rate limited");
          return false;
        }
        if (frame.ref() != null) {
          reply(
              frame,
              frame.event().equals("phx_join") ? frame.ref() : null,
              "error",
              JsonNodeFactory.instance
                  .objectNode()
                  .put("reason", "rate limited")
                  .put("retry_after_ms", Math.max(1, (wait + 999_999) / 1_000_000)));
        }
        return true;
      }
    }
    dispatch(frame);
    return true;
  }

  private void dispatch(Frame frame) {
    switch (frame.event()) {
      case "phx_join" -> join(frame);
      case "phx_leave" -> {
        Joined j = channels.get(frame.topic());
        if (j == null) {
          reply(frame, frame.joinRef(), "ok", JsonNodeFactory.instance.objectNode());
        } else {
          Process.send(j.pid(), new Messages.Leave(frame.ref()));
        }
        transport.handled(1);
      }
      default -> {
        Joined j = channels.get(frame.topic());
        if (j == null) {
          reply(
              frame,
              null,
              "error",
              JsonNodeFactory.instance.objectNode().put("reason", "unmatched topic"));
          transport.handled(1);
        } else if (frame.joinRef() == null || frame.joinRef().equals(j.joinRef())) {
          j.waiting().incrementAndGet();
          Process.send(j.pid(), new Messages.In(frame));
        } else {
          // A message for an old join of the topic; dropped, as Phoenix does.
          transport.handled(1);
        }
      }
    }
  }

  private void join(Frame frame) {
    try {
      startChannel(frame);
    } finally {
      transport.handled(1);
    }
  }

  private void startChannel(Frame frame) {
    String topic = frame.topic();
    Optional<Channel> channel = socket.channelFor(topic);
    if (channel.isEmpty()) {
      reply(
          frame,
          frame.ref(),
          "error",
          JsonNodeFactory.instance.objectNode().put("reason", "unmatched topic"));
      return;
    }
    Joined old = channels.remove(topic);
    if (old != null) {
      // As Phoenix: the old channel closes (phx_close for its join_ref) before the new one joins.
      monitors.remove(old.monitor());
      Process.send(old.pid(), new Messages.Replaced());
      if (Process.receive(Down.class, d -> d.ref() == old.monitor(), REPLACE_WAIT).isEmpty()) {
        Process.exit(old.pid(), weft.process.ExitReason.KILL);
        Process.demonitor(old.monitor(), true);
      }
      transport.handled(old.waiting().getAndSet(0));
    } else if (channels.size() >= socket.options().maxChannels()) {
      reply(
          frame,
          frame.ref(),
          "error",
          JsonNodeFactory.instance.objectNode().put("reason", "too many channels joined"));
      return;
    }
    JsonNode params =
        frame.payload() instanceof Frame.JsonPayload(JsonNode json)
            ? json
            : JsonNodeFactory.instance.objectNode();
    String joinRef = frame.ref();
    Pid self = Process.self();
    var waiting = new java.util.concurrent.atomic.AtomicInteger();
    ChannelProcess cp =
        new ChannelProcess(
            channel.get(),
            topic,
            joinRef,
            assigns,
            socketId,
            transport,
            socket.pubsub(),
            self,
            waiting);
    SpawnedMonitor sm = Process.spawnMonitor(() -> cp.run(params));
    channels.put(topic, new Joined(joinRef, sm.pid(), sm.ref(), false, waiting));
    monitors.put(sm.ref(), topic);
  }

  private void channelDown(Down d) {
    String topic = monitors.remove(d.ref());
    if (topic == null) {
      return;
    }
    Joined j = channels.remove(topic);
    if (j != null) {
      transport.handled(j.waiting().getAndSet(0));
    }
    if (j != null && j.ready() && !d.reason().isNormal()) {
      transport.send(
          new Frame(
              j.joinRef(),
              j.joinRef(),
              topic,
              "phx_error",
              new Frame.JsonPayload(
                  JsonNodeFactory.instance.objectNode().put("reason", "channel_crash"))));
    }
  }

  private void reply(Frame to, String joinRef, String status, JsonNode response) {
    transport.send(
        new Frame(
            joinRef,
            to.ref(),
            to.topic(),
            "phx_reply",
            V2Serializer.replyPayload(status, response)));
  }
}
