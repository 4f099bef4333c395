package weft.web.channel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import weft.process.Process;
import weft.web.presence.Presence;

/** The channel the conformance tests drive: one behaviour per event. */
final class RoomChannel implements Channel {

  private final Presence presence;

  RoomChannel(Presence presence) {
    this.presence = presence;
  }

  @Override
  public JoinResult join(String topic, JsonNode params, ChannelContext ctx) {
    if (topic.equals("room:forbidden")) {
      return JoinResult.error(Map.of("reason", "unauthorized"));
    }
    if (topic.equals("room:presence")) {
      Process.send(Process.self(), "after_join");
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("joined", topic);
    response.put("user", ctx.assigns().get("user"));
    if (params.has("color")) {
      response.put("color", params.get("color").asString());
    }
    return JoinResult.ok(response);
  }

  @Override
  public InResult handleIn(String event, Frame.Payload payload, ChannelContext ctx) {
    String user = (String) ctx.assigns().get("user");
    JsonNode json = payload instanceof Frame.JsonPayload(JsonNode j) ? j : null;
    return switch (event) {
      case "ping" -> InResult.reply(Map.of("pong", json.get("n").asInt()));
      case "fail" -> InResult.replyError(Map.of("reason", "asked to fail"));
      case "shout" -> {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("text", json.get("text").asString());
        out.put("from", user);
        ctx.broadcast("shout", out);
        yield InResult.reply(Map.of());
      }
      case "whisper" -> {
        ctx.broadcastFrom("whisper", Map.of("text", json.get("text").asString()));
        yield InResult.reply(Map.of());
      }
      case "announce" -> {
        ctx.broadcast("announce", Map.of("text", json.get("text").asString()));
        yield InResult.reply(Map.of());
      }
      case "push_me" -> {
        ctx.push("private", Map.of("only", user));
        yield InResult.reply(Map.of());
      }
      case "crash" -> throw new IllegalStateException("crash on purpose");
      case "echo_binary" -> {
        byte[] in = ((Frame.BinaryPayload) payload).bytes();
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
          out[i] = in[in.length - 1 - i];
        }
        yield InResult.reply(out);
      }
      default -> InResult.replyError(Map.of("reason", "unknown event " + event));
    };
  }

  @Override
  public void handleInfo(Object message, ChannelContext ctx) {
    if ("after_join".equals(message)) {
      presence.track(ctx, (String) ctx.assigns().get("user"), Map.of("online_at", "now"));
      ctx.push("presence_state", presence.list(ctx.topic()));
    }
  }

  @Override
  public Set<String> intercepts() {
    return Set.of("announce");
  }

  @Override
  public void handleOut(String event, JsonNode payload, ChannelContext ctx) {
    ObjectNode copy = ((ObjectNode) payload).deepCopy();
    copy.put("seen_by", (String) ctx.assigns().get("user"));
    ctx.push(event, copy);
  }
}
