package weft.web.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import weft.process.Node;
import weft.web.channel.Channel;
import weft.web.channel.ChannelContext;
import weft.web.channel.ConnectResult;
import weft.web.channel.Frame;
import weft.web.channel.InResult;
import weft.web.channel.JoinResult;
import weft.web.channel.Socket;
import weft.web.http.HttpConfig;
import weft.web.http.HttpServer;
import weft.web.http.Router;
import weft.web.pubsub.PubSub;

/**
 * The long-poll endpoint of a running server under a coverage-guided fuzzer: any query, token and
 * posted batch (joins, pushes, garbage) is answered with one of the statuses Phoenix's long-poll
 * speaks, in a JSON body, never a server error; and the server goes on opening sessions.
 */
class LongPollFuzzTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<Integer> STATUSES = Set.of(200, 204, 400, 403, 410);

  /** Joins anything, answers every push, echoes a broadcast. */
  static final class Echo implements Channel {
    @Override
    public JoinResult join(String topic, JsonNode params, ChannelContext ctx) {
      return topic.endsWith("refuse")
          ? JoinResult.error(Map.of("reason", "no"))
          : JoinResult.ok(Map.of());
    }

    @Override
    public InResult handleIn(String event, Frame.Payload payload, ChannelContext ctx) {
      if (event.equals("shout")) {
        ctx.broadcast("shout", Map.of("e", event));
      }
      return InResult.reply(Map.of("event", event));
    }
  }

  private static final class Server {
    static final Node NODE = Node.start("longpoll-fuzz");
    static final HttpServer HTTP =
        HttpServer.start(
            NODE,
            HttpConfig.port(0),
            Router.builder()
                .socket(
                    "/socket",
                    Socket.builder(
                            PubSub.start("longpoll-fuzz"),
                            (params, info) ->
                                "no".equals(params.get("token"))
                                    ? ConnectResult.refuse()
                                    : ConnectResult.ok(Map.of()))
                        .channel("*", Echo::new)
                        .build())
                .build());
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static String session;
  }

  private static String base() {
    return "http://127.0.0.1:" + Server.HTTP.port() + "/socket/longpoll";
  }

  private static JsonNode send(HttpRequest request) throws Exception {
    HttpResponse<String> r = Server.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isLessThan(500);
    JsonNode body = JSON.readTree(r.body());
    assertThat(STATUSES).as(r.body()).contains(body.path("status").asInt());
    return body;
  }

  /** A live session's token: opened again when the fuzzer's frames ended the last one. */
  private static String session() throws Exception {
    if (Server.session == null) {
      JsonNode opened =
          send(
              HttpRequest.newBuilder(URI.create(base() + "?vsn=2.0.0"))
                  .timeout(Duration.ofSeconds(10))
                  .build());
      assertThat(opened.path("status").asInt()).isEqualTo(410);
      Server.session = opened.get("token").asString();
    }
    return Server.session;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @FuzzTest(maxDuration = "10s")
  void anyRequestGetsALongPollAnswer(FuzzedDataProvider in) throws Exception {
    StringBuilder query = new StringBuilder();
    for (int i = in.consumeInt(0, 3); i > 0; i--) {
      String key = in.pickValue(new String[] {"vsn", "token", "x", ""});
      query
          .append(query.isEmpty() ? "?" : "&")
          .append(enc(key))
          .append('=')
          .append(enc(in.consumeString(24)));
    }
    boolean live = in.consumeBoolean();
    if (live) {
      query.append(query.isEmpty() ? "?" : "&").append("token=").append(enc(session()));
    }
    URI uri = URI.create(base() + query);
    if (in.consumeBoolean()) {
      StringBuilder body = new StringBuilder();
      for (int i = in.consumeInt(0, 4); i > 0; i--) {
        body.append(
            switch (in.consumeInt(0, 3)) {
              case 0 -> "[\"1\",\"1\",\"room:" + enc(in.consumeString(8)) + "\",\"phx_join\",{}]";
              case 1 ->
                  "[\"1\",\"2\",\"room:a\",\"" + in.consumeString(8).replace("\"", "") + "\",{}]";
              case 2 -> "[null,\"3\",\"phoenix\",\"heartbeat\",{}]";
              default -> in.consumeString(64);
            });
        body.append('\n');
      }
      JsonNode answer =
          send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(10))
                  .header("content-type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build());
      if (live && answer.path("status").asInt() == 410) {
        Server.session = null; // the frames ended it (a malformed one closes the session)
      }
    } else if (!live) {
      // A GET with a live token would wait for messages; without one it opens or refuses.
      send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build());
    }
  }
}
