package weft.web.pubsub;

import java.util.Objects;
import java.util.function.Function;

/**
 * How one type of message crosses between nodes: a stable wire name and the bytes. A PubSub joined
 * to other nodes needs a codec for every type it broadcasts ({@link PubSub#register}); Weft's own
 * channel broadcasts and presence replicas bring theirs. A node that receives a type it has no
 * codec for logs it once and drops it (another version of the application may be rolling out).
 *
 * @param <T> the message type
 * @param type the wire name, the same on every node (for example {@code "chat.typing"})
 * @param javaType the messages' class (exactly: subclasses need codecs of their own)
 * @param encoder message to bytes
 * @param decoder bytes to message; throws {@link IllegalArgumentException} on bytes it cannot read
 */
public record MessageCodec<T>(
    String type, Class<T> javaType, Function<T, byte[]> encoder, Function<byte[], T> decoder) {

  /** Checks the fields. */
  public MessageCodec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(javaType, "javaType");
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(decoder, "decoder");
    if (type.isBlank()) {
      throw new IllegalArgumentException("a codec needs a type name");
    }
  }

  /**
   * A codec that writes records (or any class Jackson can read back) as JSON. The class's package
   * must be open to {@code tools.jackson.databind} when the application is a named module; a
   * message Jackson cannot write or read is an {@link IllegalArgumentException}.
   *
   * @param <T> the message type
   * @param type the wire name
   * @param javaType the class
   * @return the codec
   */
  public static <T> MessageCodec<T> json(String type, Class<T> javaType) {
    return new MessageCodec<>(
        type,
        javaType,
        m -> {
          try {
            return JSON.writeValueAsBytes(m);
          } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(
                "cannot write a " + javaType.getSimpleName() + ": " + e.getOriginalMessage(), e);
          }
        },
        b -> {
          try {
            return JSON.readValue(b, javaType);
          } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(
                "not a " + javaType.getSimpleName() + ": " + e.getOriginalMessage(), e);
          }
        });
  }

  private static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  /**
   * Encodes a message of this codec's type.
   *
   * @param message the message
   * @return the bytes
   */
  byte[] encodeUnchecked(Object message) {
    return encoder.apply(javaType.cast(message));
  }
}
