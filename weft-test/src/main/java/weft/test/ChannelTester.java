package weft.test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.testing.Inbox;
import weft.web.channel.Broadcast;
import weft.web.channel.ConnectResult;
import weft.web.channel.Frame;
import weft.web.channel.Socket;
import weft.web.channel.Transport;
import weft.web.channel.TransportEvent;
import weft.web.channel.V2Serializer;

/**
 * Tests channels without a network, as Phoenix's ChannelTest: a socket process runs your {@link
 * Socket}'s channels exactly as in production, but its transport is in memory, so a test joins,
 * pushes and asserts on what the client would receive.
 *
 * {@snippet :
 * try (ChannelTester client = ChannelTester.connect(node, socket, Map.of("user", "ada"))) {
 *   assertThat(client.join("room:lobby", Map.of()).ok()).isTrue();
 *   String ref = client.push("room:lobby", "new_msg", Map.of("body", "hi"));
 *   client.assertReply(ref, "ok");
 *   JsonNode msg = client.assertPush("room:lobby", "new_msg");
 *   client.assertBroadcast("room:lobby", "new_msg");
 * }
 * }
 *
 * <p>Every assertion waits at most {@link #timeout()} (default 1 s) and fails with an {@link
 * AssertionError} that lists what did arrive; {@link #refutePush} waits the whole timeout.
 */
public final class ChannelTester implements AutoCloseable {

  /**
   * A reply to a join or push.
   *
   * @param status {@code ok} or {@code error}
   * @param response the response
   */
  public record Reply(String status, JsonNode response) {
    /** Whether the status is ok. */
    public boolean ok() {
      return status.equals("ok");
    }
  }

  private final Node node;
  private final Socket socket;
  private final Pid socketProcess;
  private final Memory transport = new Memory();
  private final AtomicLong refs = new AtomicLong();
  private final Duration timeout;
  private final Pid observer;

  private ChannelTester(Node node, Socket socket, Map<String, Object> assigns, Duration timeout) {
    this.node = node;
    this.socket = socket;
    this.timeout = timeout;
    this.socketProcess =
        node.spawn(() -> socket.serve(transport, new ConnectResult.Ok(assigns, Optional.empty())));
    // A process that records broadcasts on the topics the tester subscribes to.
    this.observer = node.spawn(() -> weft.process.Process.receive(String.class));
  }

  /**
   * A connected test client, as if {@code connect} had returned these assigns.
   *
   * @param node the node the channels run on
   * @param socket the socket definition under test
   * @param assigns what connect would have assigned
   * @return the client
   */
  public static ChannelTester connect(Node node, Socket socket, Map<String, Object> assigns) {
    return new ChannelTester(node, socket, assigns, Duration.ofSeconds(1));
  }

  /**
   * A connected test client with another assertion timeout.
   *
   * @param node the node the channels run on
   * @param socket the socket definition under test
   * @param assigns what connect would have assigned
   * @param timeout how long assertions wait
   * @return the client
   */
  public static ChannelTester connect(
      Node node, Socket socket, Map<String, Object> assigns, Duration timeout) {
    return new ChannelTester(node, socket, assigns, timeout);
  }

  /** How long assertions wait. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Joins a topic and waits for the reply; also records the topic's broadcasts for {@link
   * #assertBroadcast}.
   *
   * @param topic the topic
   * @param params join params
   * @return the reply
   */
  public Reply join(String topic, Object params) {
    socket
        .pubsub()
        .subscribe(
            observer,
            topic,
            (t, message) -> {
              if (message instanceof Broadcast b) {
                transport.broadcast(b);
              }
            });
    String ref = nextRef();
    send(
        new Frame(ref, ref, topic, "phx_join", new Frame.JsonPayload(V2Serializer.toJson(params))));
    return assertReply(ref);
  }

  /**
   * Pushes an event as the client would.
   *
   * @param topic the joined topic
   * @param event the event
   * @param payload the payload (JSON, or {@code byte[]})
   * @return the push's ref, for {@link #assertReply(String, String)}
   */
  public String push(String topic, String event, Object payload) {
    String ref = nextRef();
    Frame.Payload p =
        payload instanceof byte[] b
            ? new Frame.BinaryPayload(b)
            : new Frame.JsonPayload(V2Serializer.toJson(payload));
    send(new Frame(null, ref, topic, event, p));
    return ref;
  }

  /**
   * Leaves a topic and waits for the reply.
   *
   * @param topic the topic
   * @return the reply
   */
  public Reply leave(String topic) {
    String ref = nextRef();
    send(
        new Frame(
            null,
            ref,
            topic,
            "phx_leave",
            new Frame.JsonPayload(JsonNodeFactory.instance.objectNode())));
    return assertReply(ref);
  }

  /**
   * Waits for the reply to a push.
   *
   * @param ref the push's ref
   * @return the reply
   */
  public Reply assertReply(String ref) {
    Frame f =
        transport.take(
            x -> x.event().equals("phx_reply") && ref.equals(x.ref()), timeout, "reply to " + ref);
    JsonNode payload = ((Frame.JsonPayload) f.payload()).json();
    return new Reply(payload.path("status").asString(), payload.path("response"));
  }

  /**
   * Waits for the reply to a push and checks its status.
   *
   * @param ref the push's ref
   * @param status the expected status
   * @return the response
   */
  public JsonNode assertReply(String ref, String status) {
    Reply r = assertReply(ref);
    if (!r.status().equals(status)) {
      throw new AssertionError("expected reply " + status + " to " + ref + ", got " + r);
    }
    return r.response();
  }

  /**
   * Waits for an event pushed to this client on a topic (a push or a broadcast it receives).
   *
   * @param topic the topic
   * @param event the event
   * @return its payload
   */
  public JsonNode assertPush(String topic, String event) {
    Frame f =
        transport.take(
            x -> x.topic().equals(topic) && x.event().equals(event),
            timeout,
            event + " on " + topic);
    return f.payload() instanceof Frame.JsonPayload(JsonNode json)
        ? json
        : JsonNodeFactory.instance.binaryNode(((Frame.BinaryPayload) f.payload()).bytes());
  }

  /**
   * Checks that no event of that name arrives on the topic within the timeout.
   *
   * @param topic the topic
   * @param event the event
   */
  public void refutePush(String topic, String event) {
    try {
      Frame f =
          transport.take(x -> x.topic().equals(topic) && x.event().equals(event), timeout, "");
      throw new AssertionError("unexpected " + event + " on " + topic + ": " + f);
    } catch (Inbox.Timeout expected) {
      // as it should be
    }
  }

  /**
   * Waits for a broadcast on a joined topic (to any subscriber, including this client).
   *
   * @param topic the topic
   * @param event the event
   * @return its payload
   */
  public JsonNode assertBroadcast(String topic, String event) {
    return transport
        .takeBroadcast(b -> b.topic().equals(topic) && b.event().equals(event), timeout)
        .payload();
  }

  private String nextRef() {
    return Long.toString(refs.incrementAndGet());
  }

  private void send(Frame frame) {
    node.send(socketProcess, new TransportEvent.Received(frame));
  }

  @Override
  public void close() {
    node.send(socketProcess, new TransportEvent.Closed());
    node.exit(observer, ExitReason.KILL);
  }

  /** The in-memory transport: what the server would have sent to the client. */
  private static final class Memory implements Transport {
    private final Inbox<Frame> frames = new Inbox<>();
    private final Inbox<Broadcast> broadcasts = new Inbox<>();

    @Override
    public void send(Frame frame) {
      frames.add(frame);
    }

    @Override
    public void send(Broadcast broadcast) {
      send(
          new Frame(
              null,
              null,
              broadcast.topic(),
              broadcast.event(),
              new Frame.JsonPayload(broadcast.payload())));
    }

    @Override
    public void close(int code, String reason) {}

    void broadcast(Broadcast b) {
      broadcasts.add(b);
    }

    Frame take(Predicate<Frame> match, Duration timeout, String what) {
      return frames.take(match, timeout, "no " + what);
    }

    Broadcast takeBroadcast(Predicate<Broadcast> match, Duration timeout) {
      return broadcasts.take(match, timeout, "no matching broadcast");
    }
  }
}
