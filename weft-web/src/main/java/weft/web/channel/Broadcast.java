package weft.web.channel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import weft.web.pubsub.MessageCodec;

/**
 * A channel broadcast as it travels through PubSub to the sockets subscribed to its topic
 * (Phoenix's {@code %Phoenix.Socket.Broadcast{}}): a topic, an event and a JSON payload. Its fields
 * do not change; its payload node is shared by every process and connection that receives it (a
 * {@link JsonNode} given to the constructor is kept as it is, not copied), so no one may modify it:
 * {@code deepCopy()} it first.
 *
 * <p>Its V2 text frame is encoded at most once (the first connection that needs it pays; the others
 * reuse the same string and its UTF-8 bytes), which is what makes fan-out to many sockets cheap. A
 * {@link Transport} writes {@link #utf8()} (or {@link #text()}) as it is.
 */
public final class Broadcast {

  private final String topic;
  private final String event;
  private final JsonNode payload;
  // Written at most a few times with the same value (benign race), read by many threads.
  private volatile String text;
  private volatile byte[] utf8;

  /**
   * Creates a broadcast.
   *
   * @param topic the topic
   * @param event the event
   * @param payload any value Jackson can write, turned into JSON now (see {@link
   *     V2Serializer#toJson})
   * @throws NullPointerException if the topic or event is null
   * @throws IllegalArgumentException if Jackson cannot write the payload
   */
  public Broadcast(String topic, String event, Object payload) {
    this.topic = java.util.Objects.requireNonNull(topic, "topic");
    this.event = java.util.Objects.requireNonNull(event, "event");
    this.payload = V2Serializer.toJson(payload);
  }

  /** A broadcast read from its V2 text: the text is kept, so this node does not encode it again. */
  private Broadcast(Frame frame, String text) {
    this(frame.topic(), frame.event(), frame.payload());
    this.text = text;
  }

  /**
   * How channel broadcasts cross between nodes ({@code weft.channel.broadcast}): their V2 text
   * frame, which the receiving node writes to its sockets as it is. Sockets register it on their
   * PubSub.
   */
  public static final MessageCodec<Broadcast> CODEC =
      new MessageCodec<>(
          "weft.channel.broadcast",
          Broadcast.class,
          b -> b.bytes().clone(),
          bytes -> {
            String text = new String(bytes, StandardCharsets.UTF_8);
            Frame f = V2Serializer.decodeText(text);
            if (f.joinRef() != null || f.ref() != null) {
              throw new IllegalArgumentException("a broadcast frame has no join_ref or ref");
            }
            return new Broadcast(f, text);
          });

  /** The topic. */
  public String topic() {
    return topic;
  }

  /** The event. */
  public String event() {
    return event;
  }

  /** The payload as JSON. */
  public JsonNode payload() {
    return payload;
  }

  /** The V2 text frame {@code [null, null, topic, event, payload]}, encoded once. */
  public String text() {
    String t = text;
    if (t == null) {
      t =
          V2Serializer.encodeText(
              new Frame(null, null, topic, event, new Frame.JsonPayload(payload())));
      text = t;
    }
    return t;
  }

  /**
   * The V2 text frame as UTF-8, encoded once and shared by every connection that writes it (a
   * socket writes these bytes, it does not encode the text again).
   *
   * @return a read-only view of the bytes
   */
  public ByteBuffer utf8() {
    return ByteBuffer.wrap(bytes()).asReadOnlyBuffer();
  }

  private byte[] bytes() {
    byte[] b = utf8;
    if (b == null) {
      b = text().getBytes(StandardCharsets.UTF_8);
      utf8 = b;
    }
    return b;
  }

  @Override
  public String toString() {
    return "Broadcast[" + topic + " " + event + "]";
  }
}
