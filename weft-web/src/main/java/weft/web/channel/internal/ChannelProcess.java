package weft.web.channel.internal;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import weft.process.Down;
import weft.process.ExitReason;
import weft.process.Pid;
import weft.process.Process;
import weft.process.Ref;
import weft.web.channel.Broadcast;
import weft.web.channel.Channel;
import weft.web.channel.ChannelContext;
import weft.web.channel.Frame;
import weft.web.channel.InResult;
import weft.web.channel.JoinResult;
import weft.web.channel.Transport;
import weft.web.channel.V2Serializer;
import weft.web.pubsub.PubSub;

/*
 * Design: the engine around one Channel (Phoenix.Channel.Server). It joins, subscribes its topic
 * in PubSub with a fastlane (a broadcast is written to the transport from the broadcaster's
 * thread, pre-encoded, without waking this process) unless the event is intercepted, and then
 * handles pushes, infos and intercepted broadcasts one at a time. It monitors its socket process
 * and ends with it.
 */
final class ChannelProcess implements ChannelContext {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelProcess.class);

  private final Channel channel;
  private final String topic;
  private final String joinRef;
  private final Map<String, Object> assigns;
  private final Optional<String> socketId;
  private final Transport transport;
  private final PubSub pubsub;
  private final Pid socket;
  private final java.util.concurrent.atomic.AtomicInteger waiting;

  ChannelProcess(
      Channel channel,
      String topic,
      String joinRef,
      Map<String, Object> assigns,
      Optional<String> socketId,
      Transport transport,
      PubSub pubsub,
      Pid socket,
      java.util.concurrent.atomic.AtomicInteger waiting) {
    this.channel = channel;
    this.topic = topic;
    this.joinRef = joinRef;
    this.assigns = assigns;
    this.socketId = socketId;
    this.transport = transport;
    this.pubsub = pubsub;
    this.socket = socket;
    this.waiting = waiting;
  }

  /** The process body: join, then serve until left, replaced, stopped or the socket ends. */
  void run(JsonNode params) throws Exception {
    Process.label("Channel(" + channel.getClass().getSimpleName() + ") " + topic);
    Ref socketRef = Process.monitor(socket);
    JoinResult joined;
    try {
      joined = channel.join(topic, params, this);
    } catch (Exception e) {
      reply(joinRef, "error", Map.of("reason", "join crashed"));
      throw e;
    }
    switch (joined) {
      case null -> {
        reply(joinRef, "error", Map.of("reason", "join crashed"));
        throw new IllegalStateException(channel.getClass().getName() + ".join returned null");
      }
      case JoinResult.Error(Object reason) -> {
        reply(joinRef, "error", reason);
        return;
      }
      case JoinResult.Ok(Object response) -> {
        pubsub.subscribe(
            Process.self(),
            topic,
            new ChannelFastlane(Process.self(), transport, Set.copyOf(channel.intercepts())));
        reply(joinRef, "ok", response);
        Process.send(socket, new Messages.Joined(topic, joinRef, Process.self()));
      }
    }
    serve(socketRef);
  }

  private void serve(Ref socketRef) throws Exception {
    while (true) {
      Object message = Process.receive();
      try {
        switch (message) {
          case Messages.In(Frame frame) -> {
            try {
              handleIn(frame);
            } finally {
              // Given back here while alive; if this process dies, the socket gives back the
              // rest on its Down (the update stops at zero, so no push is counted twice).
              if (waiting.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                transport.handled(1);
              }
            }
          }
          case Messages.Leave(String ref) -> {
            reply(ref, "ok", Map.of());
            end(ExitReason.shutdown("left"));
            return;
          }
          case Messages.Replaced r -> {
            end(ExitReason.shutdown("replaced"));
            return;
          }
          case Messages.Out(Broadcast b) -> channel.handleOut(b.event(), b.payload(), this);
          case Down d when d.ref() == socketRef -> {
            terminate(ExitReason.SHUTDOWN);
            return;
          }
          default -> channel.handleInfo(message, this);
        }
      } catch (Exception e) {
        terminate(ExitReason.error(e));
        throw e;
      }
    }
  }

  private void handleIn(Frame frame) throws Exception {
    InResult result = channel.handleIn(frame.event(), frame.payload(), this);
    switch (result) {
      case null ->
          throw new IllegalStateException(
              "handleIn returned null; expected InResult.reply(..), replyError(..), noReply() or stop(..)");
      case InResult.Reply(String status, Object response) -> reply(frame.ref(), status, response);
      case InResult.NoReply n -> {}
      case InResult.Stop(ExitReason reason) -> {
        if (reason.isNormal()) {
          end(reason);
          throw Process.exit(reason);
        }
        terminate(reason);
        throw Process.exit(reason);
      }
    }
  }

  /** Ends in an orderly way: terminate, then tell the client the channel is closed. */
  private void end(ExitReason reason) {
    terminate(reason);
    transport.send(
        new Frame(
            joinRef,
            joinRef,
            topic,
            "phx_close",
            new Frame.JsonPayload(JsonNodeFactory.instance.objectNode())));
  }

  private boolean terminated;

  private void terminate(ExitReason reason) {
    if (terminated) {
      return;
    }
    terminated = true;
    try {
      channel.terminate(reason, this);
    } catch (Exception e) {
      LOG.error("channel {} terminate failed", topic, e);
    }
  }

  private void reply(String ref, String status, Object response) {
    if (response instanceof byte[] bytes) {
      transport.send(new Frame(joinRef, ref, topic, "phx_reply", new Frame.BinaryPayload(bytes)));
      return;
    }
    JsonNode json = V2Serializer.toJson(response);
    transport.send(
        new Frame(joinRef, ref, topic, "phx_reply", V2Serializer.replyPayload(status, json)));
  }

  // ---------------------------------------------------------------- ChannelContext

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public Map<String, Object> assigns() {
    return assigns;
  }

  @Override
  public Optional<String> socketId() {
    return socketId;
  }

  @Override
  public void push(String event, Object payload) {
    Frame.Payload p =
        switch (payload) {
          case byte[] bytes -> new Frame.BinaryPayload(bytes);
          case Frame.BinaryPayload b -> b;
          default -> new Frame.JsonPayload(V2Serializer.toJson(payload));
        };
    transport.send(new Frame(joinRef, null, topic, event, p));
  }

  @Override
  public void broadcast(String event, Object payload) {
    pubsub.broadcast(topic, new Broadcast(topic, event, payload));
  }

  @Override
  public void broadcastFrom(String event, Object payload) {
    pubsub.broadcastFrom(Process.self(), topic, new Broadcast(topic, event, payload));
  }
}
