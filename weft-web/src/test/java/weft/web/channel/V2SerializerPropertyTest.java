package weft.web.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import weft.testing.Seeds;

/**
 * Any frame survives encoding and decoding, text and binary; garbage fails only as a protocol
 * error.
 */
class V2SerializerPropertyTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String SPECIAL = "\"\\/\n\t:[]{},";

  static String text(Random r, int maxLen) {
    int len = r.nextInt(maxLen + 1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) {
      sb.append(
          switch (r.nextInt(4)) {
            case 0 -> (char) ('a' + r.nextInt(26));
            case 1 -> SPECIAL.charAt(r.nextInt(SPECIAL.length()));
            case 2 -> (char) (0x00e0 + r.nextInt(200));
            default -> new String(Character.toChars(0x1F600 + r.nextInt(50)));
          });
    }
    return sb.toString();
  }

  /** Ref-like strings: null or non-empty, at most 255 UTF-8 bytes. */
  static String ref(Random r) {
    if (r.nextInt(4) == 0) {
      return null;
    }
    String s;
    do {
      s = text(r, 20);
    } while (s.isEmpty() || s.getBytes(StandardCharsets.UTF_8).length > 255);
    return s;
  }

  static String name(Random r) {
    String s;
    do {
      s = text(r, 30);
    } while (s.getBytes(StandardCharsets.UTF_8).length > 255);
    return s;
  }

  static JsonNode json(Random r, int depth) {
    int kind = depth > 3 ? r.nextInt(5) : r.nextInt(7);
    return switch (kind) {
      case 0 -> F.nullNode();
      case 1 -> F.booleanNode(r.nextBoolean());
      case 2 -> F.numberNode(r.nextLong());
      case 3 -> F.numberNode(r.nextInt(1000) / 8.0);
      case 4 -> F.stringNode(text(r, 40));
      case 5 -> {
        ArrayNode a = F.arrayNode();
        for (int i = r.nextInt(4); i > 0; i--) {
          a.add(json(r, depth + 1));
        }
        yield a;
      }
      default -> object(r, depth);
    };
  }

  static ObjectNode object(Random r, int depth) {
    ObjectNode o = F.objectNode();
    for (int i = r.nextInt(5); i > 0; i--) {
      o.set(text(r, 10), json(r, depth + 1));
    }
    return o;
  }

  @Test
  void textFramesRoundTrip() {
    Seeds.forEach(
        0x7E47,
        2000,
        r -> {
          Frame f =
              new Frame(ref(r), ref(r), name(r), name(r), new Frame.JsonPayload(object(r, 0)));
          assertThat(V2Serializer.decodeText(V2Serializer.encodeText(f))).isEqualTo(f);
        });
  }

  @Test
  void aHeadThenAPayloadEncodedOnceIsTheWholeFrame() {
    Seeds.forEach(
        0x4EAD,
        2000,
        r -> {
          Frame f =
              new Frame(ref(r), ref(r), name(r), name(r), new Frame.JsonPayload(object(r, 0)));
          byte[] head = V2Serializer.encodeTextHead(f.joinRef(), f.ref(), f.topic(), f.event());
          byte[] payload =
              tools.jackson.databind.json.JsonMapper.builder()
                  .build()
                  .writeValueAsBytes(((Frame.JsonPayload) f.payload()).json());
          String joined =
              new String(head, java.nio.charset.StandardCharsets.UTF_8)
                  + new String(payload, java.nio.charset.StandardCharsets.UTF_8)
                  + "]";
          assertThat(V2Serializer.decodeText(joined)).isEqualTo(f);
          assertThat(joined.getBytes(java.nio.charset.StandardCharsets.UTF_8))
              .isEqualTo(V2Serializer.encodeTextBytes(f));
        });
  }

  @Test
  void binaryFramesRoundTripBothWays() {
    Seeds.forEach(
        0xB1,
        2000,
        r -> {
          byte[] bytes = new byte[r.nextInt(64)];
          r.nextBytes(bytes);
          Frame push = new Frame(ref(r), ref(r), name(r), name(r), new Frame.BinaryPayload(bytes));
          assertThat(V2Serializer.decodeClientPush(V2Serializer.encodeClientPush(push)))
              .isEqualTo(push);

          Frame broadcast = new Frame(null, null, name(r), name(r), new Frame.BinaryPayload(bytes));
          assertThat(V2Serializer.decodeServer(V2Serializer.encodeServer(broadcast, null)).frame())
              .isEqualTo(broadcast);

          String joinRef = ref(r) == null ? "1" : "j" + r.nextInt(1000);
          Frame serverPush =
              new Frame(joinRef, null, name(r), name(r), new Frame.BinaryPayload(bytes));
          assertThat(V2Serializer.decodeServer(V2Serializer.encodeServer(serverPush, null)).frame())
              .isEqualTo(serverPush);

          Frame reply =
              new Frame(
                  joinRef,
                  "r" + r.nextInt(100),
                  name(r),
                  "phx_reply",
                  new Frame.BinaryPayload(bytes));
          String status = r.nextBoolean() ? "ok" : "error";
          V2Serializer.ServerBinary back =
              V2Serializer.decodeServer(V2Serializer.encodeServer(reply, status));
          assertThat(back.frame()).isEqualTo(reply);
          assertThat(back.status()).isEqualTo(status);
        });
  }

  @Test
  void garbageFailsOnlyWithProtocolException() {
    Seeds.forEach(
        0x6A4B,
        2000,
        r -> {
          String junk = r.nextBoolean() ? text(r, 30) : "[" + text(r, 30);
          try {
            V2Serializer.decodeText(junk);
          } catch (ProtocolException expected) {
            // the only allowed failure
          }
          byte[] bytes = new byte[r.nextInt(12)];
          r.nextBytes(bytes);
          try {
            V2Serializer.decodeClientPush(bytes);
          } catch (ProtocolException expected) {
            // the only allowed failure
          }
        });
  }

  @Test
  void knownFramesDecodeAsPhoenixSendsThem() {
    Frame join = V2Serializer.decodeText("[\"1\",\"1\",\"room:1\",\"phx_join\",{\"a\":1}]");
    assertThat(join.joinRef()).isEqualTo("1");
    assertThat(join.event()).isEqualTo("phx_join");
    Frame heartbeat = V2Serializer.decodeText("[null,\"5\",\"phoenix\",\"heartbeat\",{}]");
    assertThat(heartbeat.joinRef()).isNull();
    assertThat(
            V2Serializer.encodeText(
                new Frame(
                    null,
                    "5",
                    "phoenix",
                    "phx_reply",
                    V2Serializer.replyPayload("ok", F.objectNode()))))
        .isEqualTo("[null,\"5\",\"phoenix\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
    assertThatThrownBy(() -> V2Serializer.decodeText("[1,2,3]"))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> V2Serializer.decodeText("[null,null,5,\"e\",{}]"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("topic");
  }
}
