package weft.web.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import weft.testing.Seeds;
import weft.web.channel.Broadcast;
import weft.web.pubsub.spi.Envelope;

/** The wire form of what crosses nodes: round trips, and clear errors for what is not one. */
class EnvelopePropertyTest {

  private static String text(Random r) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(40);
    for (int i = 0; i < n; i++) {
      b.appendCodePoint(
          switch (r.nextInt(4)) {
            case 0 -> 'a' + r.nextInt(26);
            case 1 -> 0x20 + r.nextInt(0x60);
            case 2 -> 0xA0 + r.nextInt(0x700);
            default -> 0x1F600 + r.nextInt(0x50); // outside the BMP
          });
    }
    return b.toString();
  }

  @Test
  void everyEnvelopeSurvivesItsWireForm() {
    Seeds.forEach(
        0xE4E1L,
        500,
        r -> {
          byte[] body = new byte[r.nextInt(3) == 0 ? 0 : r.nextInt(2000)];
          r.nextBytes(body);
          Envelope e = new Envelope(text(r), text(r), text(r), body);
          assertThat(Envelope.fromBytes(e.toBytes())).isEqualTo(e);
        });
  }

  @Test
  void whatIsNotAnEnvelopeIsRefusedWithAReason() {
    Seeds.forEach(
        0xE4E2L,
        500,
        r -> {
          byte[] wire = new Envelope(text(r), text(r), text(r), new byte[r.nextInt(10)]).toBytes();
          int cut = r.nextInt(wire.length);
          byte[] shorter = Arrays.copyOf(wire, cut);
          // Cut anywhere inside the names it is refused; cut in the body it is a shorter body.
          try {
            Envelope e = Envelope.fromBytes(shorter);
            assertThat(e.toBytes()).isEqualTo(shorter);
          } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).containsAnyOf("cut short", "not a version");
          }
        });
    assertThatThrownBy(() -> new Envelope("node", "room:\uD800", "t", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("surrogate");
    assertThatThrownBy(() -> Envelope.fromBytes(new byte[] {2, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version");
    assertThatThrownBy(() -> Envelope.fromBytes(new byte[] {1, 0, 1, (byte) 0xC3, 0, 0, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not UTF-8");
  }

  @Test
  void aChannelBroadcastCrossesAsItsV2TextAndComesBackEqual() {
    Broadcast b = new Broadcast("room:lobby", "new_msg", Map.of("body", "héllo", "n", 3));
    byte[] wire = Broadcast.CODEC.encoder().apply(b);
    assertThat(new String(wire, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(b.text());
    Broadcast back = Broadcast.CODEC.decoder().apply(wire);
    assertThat(back.topic()).isEqualTo("room:lobby");
    assertThat(back.event()).isEqualTo("new_msg");
    JsonNode p = back.payload();
    assertThat(p).isEqualTo(b.payload());
    assertThat(back.text()).isSameAs(back.text()).isEqualTo(b.text());
    assertThatThrownBy(
            () -> Broadcast.CODEC.decoder().apply("[\"1\",\"2\",\"t\",\"e\",{}]".getBytes()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  record Typing(String user, boolean on) {}

  @Test
  void codecsAreOnePerTypeAndPerClass() {
    PubSub p = PubSub.start("codecs");
    p.register(MessageCodec.json("test.typing", Typing.class));
    p.register(MessageCodec.json("test.typing", Typing.class)); // the same again: fine
    assertThatThrownBy(() -> p.register(MessageCodec.json("test.other", Typing.class)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clashes");
    assertThatThrownBy(() -> p.register(MessageCodec.json("weft.text", Typing.class)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withOtherNodesATypeWithoutACodecIsRefusedBeforeAnythingIsDelivered() {
    InMemoryBus bus = new InMemoryBus();
    PubSub one = PubSub.start("one", bus.adapter());
    PubSub two = PubSub.start("two", bus.adapter());
    try {
      assertThatThrownBy(() -> one.broadcast("t", new Typing("ada", true)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no codec for " + Typing.class.getName());
      one.register(MessageCodec.json("test.typing", Typing.class));
      one.broadcast("t", new Typing("ada", true)); // two has no codec: it logs and drops
      assertThat(PubSub.start("alone").subscriberCount("t")).isZero();
    } finally {
      one.stop();
      two.stop();
    }
  }
}
