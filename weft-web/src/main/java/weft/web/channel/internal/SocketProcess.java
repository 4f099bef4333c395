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
import weft.web.channel.Channel;
import weft.web.channel.Frame;
import weft.web.channel.Socket;
import weft.web.channel.V2Serializer;

/*
 * Design: one process per connected client (Phoenix.Socket's process). It reads decoded frames
 * from its transport, answers heartbeats, routes joins to new channel processes (monitored), and
 * forwards the other events to the channel of their topic when the join_ref is current. A channel
 * that dies abnormally after joining costs the client a phx_error for that topic only.
 *
 * The channel table is this process's own state; nothing else reads it.
 */
public final class SocketProcess {

  private static final Logger LOG = LoggerFactory.getLogger(SocketProcess.class);

  private record Joined(String joinRef, Pid pid, Ref monitor, boolean ready) {}

  private static final java.time.Duration REPLACE_WAIT = java.time.Duration.ofSeconds(5);

  private final java.time.Duration idleTimeout;
  private final Socket socket;
  private final Transport transport;
  private final Map<String, Object> assigns;
  private final Optional<String> socketId;
  private final Map<String, Joined> channels = new HashMap<>();
  private final Map<Ref, String> monitors = new HashMap<>();

  /**
   * Creates the socket's state; {@link #run()} serves it on the calling process.
   *
   * @param socket the definition
   * @param transport the connection
   * @param assigns what connect assigned
   * @param socketId the socket id, if any
   */
  public SocketProcess(
      Socket socket, Transport transport, Map<String, Object> assigns, Optional<String> socketId) {
    this(socket, transport, assigns, socketId, socket.options().heartbeatTimeout());
  }

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

  /** Inbound messages to hand to the socket process from the transport. */
  public static Object inbound(Frame frame) {
    return new Messages.Inbound(frame);
  }

  /** The message telling the socket process that the frame could not be decoded. */
  public static Object malformed(String reason) {
    return new Messages.Malformed(reason);
  }

  /** The message telling the socket process that its client is still there (a long poll). */
  public static Object activity() {
    return new Messages.Activity();
  }

  /** The message telling the socket process that the connection is gone. */
  public static Object closed() {
    return new Messages.TransportClosed();
  }

  /** Serves the socket until the connection closes or goes silent. */
  public void run() {
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
        case Messages.Inbound(Frame frame) -> {
          deadline = System.nanoTime() + timeoutNanos;
          handle(frame);
        }
        case Messages.Activity a -> deadline = System.nanoTime() + timeoutNanos;
        case Messages.Malformed(String reason) -> {
          LOG.warn("socket {} sent a malformed frame ({}); closing", Process.self(), reason);
          transport.close(1007, "malformed frame");
          return;
        }
        case Messages.TransportClosed c -> {
          return;
        }
        case Messages.Joined(String topic, String joinRef, Pid pid) -> {
          Joined j = channels.get(topic);
          if (j != null && j.pid().equals(pid)) {
            channels.put(topic, new Joined(joinRef, pid, j.monitor(), true));
          }
        }
        case Down d -> channelDown(d);
        default -> LOG.debug("socket {} ignored {}", Process.self(), next.get());
      }
    }
  }

  private void handle(Frame frame) {
    if (frame.topic().equals("phoenix") && frame.event().equals("heartbeat")) {
      reply(frame, null, "ok", JsonNodeFactory.instance.objectNode());
      return;
    }
    switch (frame.event()) {
      case "phx_join" -> join(frame);
      case "phx_leave" -> {
        Joined j = channels.get(frame.topic());
        if (j == null) {
          reply(frame, frame.joinRef(), "ok", JsonNodeFactory.instance.objectNode());
        } else {
          Process.send(j.pid(), new Messages.Leave(frame.ref()));
        }
      }
      default -> {
        Joined j = channels.get(frame.topic());
        if (j == null) {
          reply(
              frame,
              null,
              "error",
              JsonNodeFactory.instance.objectNode().put("reason", "unmatched topic"));
        } else if (frame.joinRef() == null || frame.joinRef().equals(j.joinRef())) {
          Process.send(j.pid(), new Messages.In(frame));
        }
        // else: a message for an old join of the topic; dropped, as Phoenix does.
      }
    }
  }

  private void join(Frame frame) {
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
    ChannelProcess cp =
        new ChannelProcess(
            channel.get(), topic, joinRef, assigns, socketId, transport, socket.pubsub(), self);
    SpawnedMonitor sm = Process.spawnMonitor(() -> cp.run(params));
    channels.put(topic, new Joined(joinRef, sm.pid(), sm.ref(), false));
    monitors.put(sm.ref(), topic);
  }

  private void channelDown(Down d) {
    String topic = monitors.remove(d.ref());
    if (topic == null) {
      return;
    }
    Joined j = channels.remove(topic);
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
