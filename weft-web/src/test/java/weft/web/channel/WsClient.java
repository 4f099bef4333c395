package weft.web.channel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw WebSocket client (the JDK's) that queues text frames and records the close code. */
final class WsClient implements AutoCloseable {

  private final HttpClient http = HttpClient.newHttpClient();
  private final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocket ws;

  WsClient(String url, boolean reading) throws Exception {
    ws =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create(url),
                new WebSocket.Listener() {
                  private final StringBuilder partial = new StringBuilder();

                  @Override
                  public void onOpen(WebSocket webSocket) {
                    if (reading) {
                      webSocket.request(Long.MAX_VALUE);
                    }
                  }

                  @Override
                  public CompletionStage<?> onText(
                      WebSocket webSocket, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                      texts.add(partial.toString());
                      partial.setLength(0);
                    }
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onClose(
                      WebSocket webSocket, int statusCode, String reason) {
                    closed.complete(statusCode);
                    return null;
                  }

                  @Override
                  public void onError(WebSocket webSocket, Throwable error) {
                    closed.complete(-1);
                  }
                })
            .get(10, TimeUnit.SECONDS);
  }

  void send(String text) {
    ws.sendText(text, true).join();
  }

  /** Sends one text message as {@code n} fragments of {@code part} (continuation frames). */
  void sendFragments(String part, int n) {
    for (int i = 0; i < n; i++) {
      ws.sendText(part, i == n - 1).join();
    }
  }

  void sendBinary(byte[] bytes) {
    ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  String next() throws InterruptedException {
    String s = texts.poll(10, TimeUnit.SECONDS);
    if (s == null) {
      throw new AssertionError("no frame within 10 s");
    }
    return s;
  }

  int closeCode(Duration wait) throws Exception {
    return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    ws.abort();
    http.shutdownNow();
  }
}
