package weft.web.pubsub.spi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One broadcast as it crosses between nodes: which node sent it, on which topic, the message's wire
 * type (see {@link weft.web.pubsub.MessageCodec#type()}) and its encoded body. A broadcast is
 * encoded once on the node that sends it, whatever the number of nodes and subscribers.
 *
 * <p>{@link #toBytes()} and {@link #fromBytes(byte[])} are the one wire format every adapter uses
 * (a version byte, then origin, topic and type as length-prefixed UTF-8, then the body), so that
 * nodes joined by any engine (Redis, NATS, a database) understand each other.
 *
 * @param origin the sending node's id
 * @param topic the topic
 * @param type the message's wire type
 * @param body the encoded message (not copied: treat as read-only)
 */
public record Envelope(String origin, String topic, String type, byte[] body) {

  /** The format's version, the first byte of {@link #toBytes()}. */
  public static final byte VERSION = 1;

  /** Longest origin, topic or type, in UTF-8 bytes. */
  public static final int MAX_NAME_BYTES = 0xFFFF;

  /**
   * Checks the fields.
   *
   * @throws NullPointerException if a field is null
   * @throws IllegalArgumentException if a name is longer than {@link #MAX_NAME_BYTES} in UTF-8, or
   *     holds an unpaired surrogate
   */
  public Envelope {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(body, "body");
    for (String s : new String[] {origin, topic, type}) {
      if (utf8(s).length > MAX_NAME_BYTES) {
        throw new IllegalArgumentException(
            "longer than " + MAX_NAME_BYTES + " bytes: " + s.substring(0, 40) + "...");
      }
    }
  }

  /**
   * The envelope on the wire.
   *
   * @return the bytes
   */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + body.length + topic.length());
    out.write(VERSION);
    for (String s : new String[] {origin, topic, type}) {
      byte[] b = utf8(s);
      out.write(b.length >>> 8);
      out.write(b.length & 0xFF);
      out.writeBytes(b);
    }
    out.writeBytes(body);
    return out.toByteArray();
  }

  /**
   * Reads an envelope written by {@link #toBytes()}.
   *
   * @param bytes the bytes
   * @return the envelope
   * @throws IllegalArgumentException if they are not one (another version, cut short, names that
   *     are not UTF-8)
   */
  public static Envelope fromBytes(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(Objects.requireNonNull(bytes, "bytes"));
    if (!in.hasRemaining() || in.get() != VERSION) {
      throw new IllegalArgumentException(
          "not a version "
              + VERSION
              + " envelope (first byte "
              + (bytes.length == 0 ? "none" : bytes[0])
              + ")");
    }
    String origin = name(in, "origin");
    String topic = name(in, "topic");
    String type = name(in, "type");
    return new Envelope(
        origin, topic, type, Arrays.copyOfRange(bytes, in.position(), bytes.length));
  }

  /** UTF-8, refusing what has none (an unpaired surrogate) instead of sending a '?'. */
  private static byte[] utf8(String s) {
    try {
      ByteBuffer b =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(java.nio.CharBuffer.wrap(s));
      return Arrays.copyOf(b.array(), b.limit());
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("not valid text (an unpaired surrogate?)", e);
    }
  }

  private static String name(ByteBuffer in, String what) {
    if (in.remaining() < 2) {
      throw new IllegalArgumentException("envelope cut short before its " + what);
    }
    int n = Short.toUnsignedInt(in.getShort());
    if (in.remaining() < n) {
      throw new IllegalArgumentException("envelope cut short in its " + what);
    }
    ByteBuffer slice = in.slice(in.position(), n);
    in.position(in.position() + n);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(slice)
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("envelope's " + what + " is not UTF-8", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Envelope(String ori, String top, String typ, byte[] b)
        && origin.equals(ori)
        && topic.equals(top)
        && type.equals(typ)
        && Arrays.equals(body, b);
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, topic, type, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "Envelope[" + origin + " " + topic + " " + type + " " + body.length + " bytes]";
  }
}
