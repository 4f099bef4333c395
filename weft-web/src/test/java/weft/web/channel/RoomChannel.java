package weft.web.channel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import weft.process.Pid;
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
    if (topic.equals("room:presence") || topic.equals("room:crowd")) {
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
      case "crowd" -> {
        crowd(json, ctx);
        yield InResult.reply(presence.list(ctx.topic()));
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
      presence.pushState(ctx);
    }
  }

  /**
   * Many presence changes at once, all in one coalescing window: {@code join} new keys, then {@code
   * leave} that many of them, {@code rejoin} keys left and tracked again under a new process,
   * {@code update} keys' metas. Replies with the server's state.
   */
  private final List<Pid> crowd = new ArrayList<>();

  private final List<String> crowdKeys = new ArrayList<>();

  private void crowd(JsonNode json, ChannelContext ctx) {
    String topic = ctx.topic();
    // Presences that join and leave inside the window, with a presence_state taken between.
    int flicker = json.path("flicker").asInt();
    List<Pid> brief = new ArrayList<>();
    for (int i = 0; i < flicker; i++) {
      brief.add(Process.spawn(() -> Process.receive(String.class)));
      presence.track(brief.get(i), topic, "brief-" + i, Map.of());
    }
    if (flicker > 0) {
      ctx.push("presence_state", presence.list(topic));
    }
    for (int i = 0; i < flicker; i++) {
      presence.untrack(brief.get(i), topic, "brief-" + i);
    }
    for (int i = 0; i < json.path("join").asInt(); i++) {
      Pid pid = Process.spawn(() -> Process.receive(String.class));
      String key = "crowd-" + crowd.size();
      presence.track(pid, topic, key, Map.of("n", i));
      crowd.add(pid);
      crowdKeys.add(key);
    }
    for (int i = 0; i < json.path("leave").asInt(); i++) {
      presence.untrack(crowd.get(i), topic, crowdKeys.get(i));
    }
    for (int i = 0; i < json.path("rejoin").asInt(); i++) {
      Pid pid = Process.spawn(() -> Process.receive(String.class));
      presence.track(pid, topic, crowdKeys.get(i), Map.of("rejoined", true));
      crowd.set(i, pid);
    }
    int from = json.path("leave").asInt();
    for (int i = from; i < from + json.path("update").asInt(); i++) {
      presence.update(crowd.get(i), topic, crowdKeys.get(i), Map.of("updated", true));
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
