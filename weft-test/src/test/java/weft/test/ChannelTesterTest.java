package weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import weft.process.Node;
import weft.web.channel.Channel;
import weft.web.channel.ChannelContext;
import weft.web.channel.ConnectResult;
import weft.web.channel.Frame;
import weft.web.channel.InResult;
import weft.web.channel.JoinResult;
import weft.web.channel.Socket;
import weft.web.pubsub.PubSub;

class ChannelTesterTest {

  /** A small chat channel, as a user of Weft would write it. */
  static final class Chat implements Channel {
    @Override
    public JoinResult join(String topic, JsonNode params, ChannelContext ctx) {
      return topic.equals("room:secret")
          ? JoinResult.error(Map.of("reason", "unauthorized"))
          : JoinResult.ok(Map.of("welcome", ctx.assigns().get("user")));
    }

    @Override
    public InResult handleIn(String event, Frame.Payload payload, ChannelContext ctx) {
      String body = ((Frame.JsonPayload) payload).json().path("body").asString("");
      if (body.isBlank()) {
        return InResult.replyError(Map.of("reason", "empty"));
      }
      ctx.broadcast("new_msg", Map.of("body", body, "user", ctx.assigns().get("user")));
      ctx.push("ack", Map.of("n", body.length()));
      return InResult.reply(Map.of("ok", true));
    }
  }

  private final Node node = Node.start("tester");
  private final PubSub pubsub = PubSub.start("tester");
  private final Socket socket =
      Socket.builder(pubsub, (params, info) -> ConnectResult.refuse())
          .channel("room:*", Chat::new)
          .build();

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void joinPushReplyBroadcastWithoutANetwork() {
    try (ChannelTester client = ChannelTester.connect(node, socket, Map.of("user", "ada"))) {
      ChannelTester.Reply joined = client.join("room:lobby", Map.of());
      assertThat(joined.ok()).isTrue();
      assertThat(joined.response().path("welcome").asString()).isEqualTo("ada");

      String ref = client.push("room:lobby", "new_msg", Map.of("body", "hello"));
      assertThat(client.assertReply(ref, "ok").path("ok").asBoolean()).isTrue();
      assertThat(client.assertPush("room:lobby", "ack").path("n").asInt()).isEqualTo(5);
      assertThat(client.assertBroadcast("room:lobby", "new_msg").path("user").asString())
          .isEqualTo("ada");
      assertThat(client.assertPush("room:lobby", "new_msg").path("body").asString())
          .isEqualTo("hello");

      String bad = client.push("room:lobby", "new_msg", Map.of("body", " "));
      assertThat(client.assertReply(bad, "error").path("reason").asString()).isEqualTo("empty");
      client.refutePush("room:lobby", "ack");

      assertThat(client.join("room:secret", Map.of()).status()).isEqualTo("error");
      assertThat(client.leave("room:lobby").ok()).isTrue();
      client.assertPush("room:lobby", "phx_close");
    }
  }

  @Test
  void failedAssertionsSayWhatArrived() {
    try (ChannelTester client = ChannelTester.connect(node, socket, Map.of("user", "ada"))) {
      client.join("room:x", Map.of());
      assertThatThrownBy(() -> client.assertPush("room:x", "never"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("no never on room:x");
    }
  }
}
