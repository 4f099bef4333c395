package weft.web.channel;

import tools.jackson.databind.JsonNode;

/**
 * A channel broadcast as it travels through PubSub to the sockets subscribed to its topic
 * (Phoenix's {@code %Phoenix.Socket.Broadcast{}}): a topic, an event and a JSON payload. Immutable.
 *
 * <p>Its V2 text frame is encoded at most once (the first connection that needs it pays; the others
 * reuse the same string), which is what makes fan-out to many sockets cheap. A {@link Transport}
 * writes {@link #text()} as it is.
 */
public final class Broadcast {

  private final String topic;
  private final String event;
  private final JsonNode payload;
  // Written at most a few times with the same value (benign race), read by many threads.
  private volatile String text;

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

  @Override
  public String toString() {
    return "Broadcast[" + topic + " " + event + "]";
  }
}
