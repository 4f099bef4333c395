package weft.load;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The coordinator's own socket, joined to the topic, that pushes what the server broadcasts. */
final class Broadcaster implements AutoCloseable {

  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

  private final HttpClient http;
  private final WebSocket ws;
  private final String topic;

  private Broadcaster(HttpClient http, WebSocket ws, String topic) {
    this.http = http;
    this.ws = ws;
    this.topic = topic;
  }

  /**
   * Signs in (when there is a session URL), connects and joins.
   *
   * @throws IllegalStateException if the join is refused or not answered within 30 s
   */
  static Broadcaster join(URI url, String sessionUrl, String topic, String name) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String query = "vsn=2.0.0";
    if (!sessionUrl.isEmpty()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(sessionUrl))
                  .header("content-type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString("{\"name\":" + Frames.quote(name) + "}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher m = TOKEN.matcher(r.body());
      if (r.statusCode() != 200 || !m.find()) {
        throw new IllegalStateException("sign-in refused: " + r.statusCode() + " " + r.body());
      }
      query += "&token=" + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8);
    }
    CompletableFuture<String> joined = new CompletableFuture<>();
    WebSocket ws =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create(url + (url.getQuery() == null ? "?" : "&") + query),
                new WebSocket.Listener() {
                  private final StringBuilder text = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                      String frame = text.toString();
                      text.setLength(0);
                      if (Frames.isJoinOk(frame)) {
                        joined.complete(frame);
                      } else if (Frames.isJoinError(frame)) {
                        joined.completeExceptionally(
                            new IllegalStateException("join refused: " + frame));
                      }
                    }
                    w.request(1);
                    return null;
                  }
                })
            .get(30, TimeUnit.SECONDS);
    ws.sendText(Frames.join(topic), true).get(30, TimeUnit.SECONDS);
    joined.get(30, TimeUnit.SECONDS);
    return new Broadcaster(http, ws, topic);
  }

  /** Pushes {@code event} with {@code {"body": body}}. */
  void push(String event, String body) throws Exception {
    ws.sendText(Frames.push(topic, event, "{\"body\":" + Frames.quote(body) + "}"), true)
        .get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    try {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      ws.abort();
    }
    http.close();
  }
}
