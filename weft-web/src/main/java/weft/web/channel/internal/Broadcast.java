package weft.web.channel.internal;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import weft.web.channel.Frame;
import weft.web.channel.V2Serializer;
import weft.web.http.internal.Json;

/**
 * A channel broadcast as it travels through PubSub. Its text frame is encoded at most once (the
 * first connection that needs it pays; the others reuse the same string), which is what makes
 * fan-out to many sockets cheap.
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
   * @param payload any value Jackson can write
   */
  public Broadcast(String topic, String event, Object payload) {
    this.topic = topic;
    this.event = event;
    this.payload = toJson(payload);
  }

  /**
   * Any payload value as JSON: a {@link JsonNode} or {@link Frame.JsonPayload} as it is, null as an
   * empty object, anything else through Jackson.
   *
   * @param value the value
   * @return the JSON
   */
  public static JsonNode toJson(Object value) {
    return switch (value) {
      case null -> JsonNodeFactory.instance.objectNode();
      case JsonNode n -> n;
      case Frame.JsonPayload(JsonNode json) -> json;
      default -> {
        JsonNode n = Json.MAPPER.valueToTree(value);
        yield n == null ? JsonNodeFactory.instance.nullNode() : n;
      }
    };
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
