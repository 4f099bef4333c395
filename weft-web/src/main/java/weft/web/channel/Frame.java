package weft.web.channel;

import java.util.Arrays;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One message of the Phoenix Channels protocol, in either direction: {@code [join_ref, ref, topic,
 * event, payload]}. The payload is JSON ({@link JsonPayload}) or raw bytes ({@link BinaryPayload});
 * a reply is a frame with event {@code phx_reply} and payload {@code {"status": ..., "response":
 * ...}}.
 *
 * @param joinRef the join reference of the channel, or null
 * @param ref the message reference (for replies), or null
 * @param topic the topic
 * @param event the event
 * @param payload the payload
 */
public record Frame(String joinRef, String ref, String topic, String event, Payload payload) {

  /** A frame's payload. */
  public sealed interface Payload {}

  /**
   * A JSON payload.
   *
   * @param json the JSON value (an object for every Phoenix event)
   */
  public record JsonPayload(JsonNode json) implements Payload {
    /**
     * Checks the value.
     *
     * @param json not null
     */
    public JsonPayload {
      Objects.requireNonNull(json, "json");
    }
  }

  /**
   * A binary payload (WebSocket binary frames).
   *
   * @param bytes the bytes
   */
  public record BinaryPayload(byte[] bytes) implements Payload {
    /**
     * Checks the bytes.
     *
     * @param bytes not null
     */
    public BinaryPayload {
      Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BinaryPayload(byte[] other) && Arrays.equals(bytes, other);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "BinaryPayload[" + bytes.length + " bytes]";
    }
  }

  /**
   * Validates the frame.
   *
   * @param joinRef or null
   * @param ref or null
   * @param topic not null
   * @param event not null
   * @param payload not null
   */
  public Frame {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(payload, "payload");
  }
}
