package weft.web.channel;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Phoenix's V2 serializer ({@code vsn=2.0.0}): JSON text frames {@code [join_ref, ref, topic,
 * event, payload]} and binary frames for binary payloads, with both the server's and the client's
 * halves, so that the server, the Java client and the tests share one codec.
 *
 * <h2>Binary layouts (each length one byte, so each string at most 255 bytes)</h2>
 *
 * <ul>
 *   <li>push, client to server: {@code 0, len(join_ref), len(ref), len(topic), len(event)},
 *       strings, payload;
 *   <li>push, server to client: {@code 0, len(join_ref), len(topic), len(event)}, strings, payload;
 *   <li>reply, server to client: {@code 1, len(join_ref), len(ref), len(topic), len(status)},
 *       strings, payload;
 *   <li>broadcast, server to client: {@code 2, len(topic), len(event)}, strings, payload.
 * </ul>
 *
 * <p>Stateless and thread-safe. Decoding errors throw {@link ProtocolException}.
 */
public final class V2Serializer {

  /** The protocol version this serializer speaks, as in {@code ?vsn=2.0.0}. */
  public static final String VSN = "2.0.0";

  private static final byte PUSH = 0;
  private static final byte REPLY = 1;
  private static final byte BROADCAST = 2;

  // Jackson's mapper is thread-safe once built; this one is the channel layer's own.
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private V2Serializer() {}

  /**
   * A payload value as JSON, the way every payload a channel sends is turned into JSON: a {@link
   * JsonNode} or {@link Frame.JsonPayload} as it is, null as an empty object, anything else
   * (records, maps, lists, strings, numbers) through Jackson.
   *
   * @param value the value
   * @return the JSON
   * @throws IllegalArgumentException if Jackson cannot write the value
   */
  public static JsonNode toJson(Object value) {
    return switch (value) {
      case null -> JsonNodeFactory.instance.objectNode();
      case JsonNode n -> n;
      case Frame.JsonPayload(JsonNode json) -> json;
      default -> {
        JsonNode n;
        try {
          n = MAPPER.valueToTree(value);
        } catch (JacksonException e) {
          throw new IllegalArgumentException(
              "cannot turn a "
                  + value.getClass().getName()
                  + " into JSON: "
                  + e.getOriginalMessage(),
              e);
        }
        yield n == null ? JsonNodeFactory.instance.nullNode() : n;
      }
    };
  }

  // ---------------------------------------------------------------- JSON text frames

  /**
   * Encodes a frame with a JSON payload as a text frame.
   *
   * @param frame the frame
   * @return the text
   * @throws IllegalArgumentException if the payload is binary
   */
  public static String encodeText(Frame frame) {
    return MAPPER.writeValueAsString(textArray(frame));
  }

  /**
   * Encodes a frame as the UTF-8 bytes of its V2 text, written as bytes from the start (no string
   * in between; a raw payload of already encoded JSON is copied as it is).
   *
   * @param frame the frame
   * @return the UTF-8 text
   * @throws IllegalArgumentException if the payload is binary
   */
  public static byte[] encodeTextBytes(Frame frame) {
    return MAPPER.writeValueAsBytes(textArray(frame));
  }

  /**
   * The UTF-8 of a V2 text frame up to its payload, {@code [join_ref,ref,"topic","event",}:
   * followed by the payload's JSON and {@code ]}, the whole frame. Lets a payload encoded once (a
   * presence state shared by many joining clients) be written after it without being copied.
   *
   * @param joinRef the join ref, or null
   * @param ref the ref, or null
   * @param topic the topic
   * @param event the event
   * @return the bytes
   */
  public static byte[] encodeTextHead(String joinRef, String ref, String topic, String event) {
    byte[] whole =
        encodeTextBytes(
            new Frame(joinRef, ref, topic, event, new Frame.JsonPayload(IntNode.valueOf(0))));
    // The frame ends with the payload 0 and the closing bracket.
    return Arrays.copyOf(whole, whole.length - 2);
  }

  private static ArrayNode textArray(Frame frame) {
    if (!(frame.payload() instanceof Frame.JsonPayload(JsonNode json))) {
      throw new IllegalArgumentException("a binary payload needs a binary frame");
    }
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    a.add(frame.joinRef());
    a.add(frame.ref());
    a.add(frame.topic());
    a.add(frame.event());
    a.add(json);
    return a;
  }

  /**
   * Decodes a text frame.
   *
   * @param text the text
   * @return the frame
   * @throws ProtocolException if it is not a 5-element array of the right types
   */
  public static Frame decodeText(String text) {
    if (text == null) {
      throw new ProtocolException("no frame");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw new ProtocolException("frame is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isArray() || node.size() != 5) {
      throw new ProtocolException(
          "a V2 frame is a JSON array [join_ref, ref, topic, event, payload]");
    }
    return new Frame(
        optString(node.get(0), "join_ref"),
        optString(node.get(1), "ref"),
        string(node.get(2), "topic"),
        string(node.get(3), "event"),
        new Frame.JsonPayload(node.get(4)));
  }

  private static String optString(JsonNode n, String what) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isString()) {
      throw new ProtocolException(what + " must be a string or null, got " + n);
    }
    return n.asString();
  }

  private static String string(JsonNode n, String what) {
    if (n == null || !n.isString()) {
      throw new ProtocolException(what + " must be a string, got " + n);
    }
    return n.asString();
  }

  /**
   * The payload of a reply: {@code {"status": status, "response": response}}.
   *
   * @param status {@code ok} or {@code error}
   * @param response the response
   * @return the payload
   */
  public static Frame.JsonPayload replyPayload(String status, JsonNode response) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("status", status);
    o.set("response", response);
    return new Frame.JsonPayload(o);
  }

  // ---------------------------------------------------------------- binary frames

  /**
   * Encodes a binary push from the client (what the JS client sends for an ArrayBuffer payload).
   *
   * @param frame the frame, with a binary payload
   * @return the bytes
   */
  public static byte[] encodeClientPush(Frame frame) {
    byte[] payload = binary(frame);
    byte[][] s = strings(frame.joinRef(), frame.ref(), frame.topic(), frame.event());
    return layout(new byte[] {PUSH}, s, payload);
  }

  /**
   * Decodes a binary frame from the client (a push).
   *
   * @param data the bytes
   * @return the frame
   * @throws ProtocolException if the layout is wrong
   */
  public static Frame decodeClientPush(byte[] data) {
    if (data == null) {
      throw new ProtocolException("no frame");
    }
    Reader r = new Reader(data);
    if (r.u8() != PUSH) {
      throw new ProtocolException("a binary frame from a client must be a push (kind 0)");
    }
    int j = r.u8();
    int rf = r.u8();
    int t = r.u8();
    int e = r.u8();
    return new Frame(
        emptyToNull(r.str(j)),
        emptyToNull(r.str(rf)),
        r.str(t),
        r.str(e),
        new Frame.BinaryPayload(r.rest()));
  }

  /**
   * Encodes a binary frame from the server: a reply (event {@code phx_reply}; pass the status as
   * {@code status}), a broadcast (no join ref and no ref), or a push.
   *
   * @param frame the frame, with a binary payload
   * @param status the reply status for a reply, else ignored
   * @return the bytes
   */
  public static byte[] encodeServer(Frame frame, String status) {
    byte[] payload = binary(frame);
    if (frame.event().equals("phx_reply")) {
      byte[][] s = strings(frame.joinRef(), frame.ref(), frame.topic(), status);
      return layout(new byte[] {REPLY}, s, payload);
    }
    if (frame.joinRef() == null && frame.ref() == null) {
      return layout(new byte[] {BROADCAST}, strings(frame.topic(), frame.event()), payload);
    }
    return layout(
        new byte[] {PUSH}, strings(frame.joinRef(), frame.topic(), frame.event()), payload);
  }

  /**
   * A decoded server binary frame, as a client sees it.
   *
   * @param frame the frame (for a reply, event {@code phx_reply} and the raw response payload)
   * @param status the reply status, or null for pushes and broadcasts
   */
  public record ServerBinary(Frame frame, String status) {}

  /**
   * Decodes a binary frame from the server (the client's half).
   *
   * @param data the bytes
   * @return the frame and reply status
   */
  public static ServerBinary decodeServer(byte[] data) {
    Reader r = new Reader(data);
    int kind = r.u8();
    switch (kind) {
      case PUSH -> {
        int j = r.u8();
        int t = r.u8();
        int e = r.u8();
        return new ServerBinary(
            new Frame(
                emptyToNull(r.str(j)), null, r.str(t), r.str(e), new Frame.BinaryPayload(r.rest())),
            null);
      }
      case REPLY -> {
        int j = r.u8();
        int rf = r.u8();
        int t = r.u8();
        int s = r.u8();
        String joinRef = emptyToNull(r.str(j));
        String ref = emptyToNull(r.str(rf));
        String topic = r.str(t);
        String status = r.str(s);
        return new ServerBinary(
            new Frame(joinRef, ref, topic, "phx_reply", new Frame.BinaryPayload(r.rest())), status);
      }
      case BROADCAST -> {
        int t = r.u8();
        int e = r.u8();
        return new ServerBinary(
            new Frame(null, null, r.str(t), r.str(e), new Frame.BinaryPayload(r.rest())), null);
      }
      default -> throw new ProtocolException("unknown binary frame kind " + kind);
    }
  }

  private static byte[] binary(Frame frame) {
    if (!(frame.payload() instanceof Frame.BinaryPayload(byte[] bytes))) {
      throw new IllegalArgumentException("a binary frame needs a binary payload");
    }
    return bytes;
  }

  private static byte[][] strings(String... values) {
    byte[][] out = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] == null ? new byte[0] : values[i].getBytes(StandardCharsets.UTF_8);
      if (out[i].length > 255) {
        throw new IllegalArgumentException(
            "binary frames carry strings of at most 255 bytes, got " + out[i].length);
      }
    }
    return out;
  }

  private static byte[] layout(byte[] kind, byte[][] strings, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(kind);
    for (byte[] s : strings) {
      out.write(s.length);
    }
    for (byte[] s : strings) {
      out.writeBytes(s);
    }
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private static final class Reader {
    private final byte[] data;
    private int pos;

    Reader(byte[] data) {
      this.data = data;
    }

    int u8() {
      if (pos >= data.length) {
        throw new ProtocolException("binary frame is truncated");
      }
      return data[pos++] & 0xff;
    }

    String str(int len) {
      if (pos + len > data.length) {
        throw new ProtocolException("binary frame is truncated");
      }
      try {
        // Strict: malformed UTF-8 is refused, not replaced by U+FFFD (which would change the
        // string's length, and what the client meant).
        String s =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(data, pos, len))
                .toString();
        pos += len;
        return s;
      } catch (java.nio.charset.CharacterCodingException e) {
        throw new ProtocolException("binary frame header is not valid UTF-8");
      }
    }

    byte[] rest() {
      byte[] r = Arrays.copyOfRange(data, pos, data.length);
      pos = data.length;
      return r;
    }
  }
}
