package weft.client;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.BinaryNode;
import tools.jackson.databind.node.JsonNodeFactory;
import weft.web.channel.Frame;
import weft.web.channel.V2Serializer;

/*
 * Design: a Phoenix Channels client over the JDK's WebSocket, in the JS client's image. All state
 * lives on one scheduler thread (a virtual thread), so it needs no locks: WebSocket callbacks and
 * public calls hand their work to it. Reconnects back off through ClientOptions.reconnectDelays;
 * after a reconnect every channel that was joined rejoins with a fresh join_ref. A heartbeat not
 * answered by the next one closes the connection, which then reconnects.
 */
/**
 * A client for Phoenix-protocol sockets (Weft's or Phoenix's), used by Weft's tests, load tool and
 * Java applications.
 *
 * {@snippet :
 * PhoenixClient client = PhoenixClient.connect(URI.create("ws://localhost:4000/socket"),
 *     Map.of("token", token), ClientOptions.defaults());
 * ClientChannel room = client.channel("room:lobby", Map.of());
 * room.on("new_msg", msg -> System.out.println(msg));
 * room.join().join();
 * Reply reply = room.push("new_msg", Map.of("body", "hi")).join();
 * client.close();
 * }
 *
 * <p>Thread-safe. Callbacks run on the client's own thread and must not block.
 */
public final class PhoenixClient implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PhoenixClient.class);

  private final URI uri;
  private final ClientOptions options;
  private final HttpClient http;
  private final boolean ownHttp;
  final ScheduledExecutorService loop;
  private final Map<String, ClientChannel> channels = new HashMap<>();
  private final Map<String, CompletableFuture<Reply>> pending = new HashMap<>();
  private final List<Runnable> onOpen = new ArrayList<>();
  private final List<Runnable> onClose = new ArrayList<>();
  private WebSocket ws;
  private long refs;
  private String heartbeatRef;
  private ScheduledFuture<?> heartbeatTask;
  private int reconnectAttempt;
  private boolean closedByUser;
  private int opens;

  private PhoenixClient(
      URI endpoint,
      Map<String, String> params,
      ClientOptions options,
      HttpClient http,
      boolean ownHttp) {
    StringBuilder q = new StringBuilder("vsn=").append(V2Serializer.VSN);
    params.forEach((k, v) ->
        q.append('&')
            .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
            .append('=')
            .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    this.uri = URI.create(endpoint.toString().replaceAll("/$", "") + "/websocket?" + q);
    this.options = options;
    this.ownHttp = ownHttp;
    this.http = http;
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("phoenix-client").factory());
  }

  /**
   * Connects (and keeps reconnecting until {@link #close()}).
   *
   * @param endpoint the socket's URL without {@code /websocket}, such as {@code ws://host/socket}
   * @param params the connect params
   * @param options timings
   * @return the client; its connection opens in the background ({@link #awaitOpen})
   */
  public static PhoenixClient connect(
      URI endpoint, Map<String, String> params, ClientOptions options) {
    return started(new PhoenixClient(endpoint, params, options, HttpClient.newHttpClient(), true));
  }

  /**
   * Connects using a shared {@link HttpClient} (many clients in one process, as the load tool).
   *
   * @param endpoint the socket's URL without {@code /websocket}
   * @param params the connect params
   * @param options timings
   * @param http the HTTP client to use (not closed with this client)
   * @return the client
   */
  public static PhoenixClient connect(
      URI endpoint, Map<String, String> params, ClientOptions options, HttpClient http) {
    return started(
        new PhoenixClient(
            endpoint, params, options, java.util.Objects.requireNonNull(http, "http"), false));
  }

  private static PhoenixClient started(PhoenixClient c) {
    c.loop.execute(c::open);
    return c;
  }

  /**
   * Registers a callback for every time the connection opens (first time and reconnects).
   *
   * @param callback the callback
   */
  public void onOpen(Runnable callback) {
    loop.execute(() -> onOpen.add(callback));
  }

  /**
   * Registers a callback for every time the connection closes.
   *
   * @param callback the callback
   */
  public void onClose(Runnable callback) {
    loop.execute(() -> onClose.add(callback));
  }

  /**
   * Completes when the connection has opened {@code times} times in all (reconnects included).
   *
   * @param times how many opens
   * @return the future
   */
  public CompletableFuture<Void> opened(int times) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    loop.execute(() -> {
      if (opens >= times) {
        f.complete(null);
      } else {
        openWaiters.computeIfAbsent(times, t -> new ArrayList<>()).add(f);
      }
    });
    return f;
  }

  private final Map<Integer, List<CompletableFuture<Void>>> openWaiters = new HashMap<>();

  /**
   * A channel on a topic (not joined until {@link ClientChannel#join()}).
   *
   * @param topic the topic
   * @param params join params (a map or record, sent as JSON)
   * @return the channel
   */
  public ClientChannel channel(String topic, Object params) {
    ClientChannel ch = new ClientChannel(this, topic, params);
    loop.execute(() -> channels.put(topic, ch));
    return ch;
  }

  @Override
  public void close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(() -> {
      closedByUser = true;
      if (heartbeatTask != null) {
        heartbeatTask.cancel(false);
      }
      if (ws != null) {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        ws.abort();
        ws = null;
      }
      done.complete(null);
    });
    done.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    loop.shutdownNow();
    if (ownHttp) {
      http.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- connection (loop thread)

  private void open() {
    if (closedByUser) {
      return;
    }
    http.newWebSocketBuilder()
        .buildAsync(uri, new Listener())
        .whenComplete((socket, error) ->
            loop.execute(() -> {
              if (error != null) {
                LOG.debug("connect to {} failed: {}", uri, error.toString());
                scheduleReconnect();
              } else if (closedByUser) {
                socket.abort();
              } else {
                opened(socket);
              }
            }));
  }

  private void opened(WebSocket socket) {
    ws = socket;
    lastSend = CompletableFuture.completedFuture(null);
    reconnectAttempt = 0;
    opens++;
    heartbeatRef = null;
    heartbeatTask =
        loop.scheduleAtFixedRate(
            this::heartbeat,
            options.heartbeat().toMillis(),
            options.heartbeat().toMillis(),
            TimeUnit.MILLISECONDS);
    for (ClientChannel ch : channels.values()) {
      ch.connectionOpened();
    }
    onOpen.forEach(Runnable::run);
    var ready = openWaiters.remove(opens);
    if (ready != null) {
      ready.forEach(f -> f.complete(null));
    }
  }

  private void heartbeat() {
    if (ws == null) {
      return;
    }
    if (heartbeatRef != null) {
      LOG.debug("heartbeat unanswered; reconnecting");
      WebSocket dead = ws;
      closed();
      dead.abort();
      return;
    }
    heartbeatRef = nextRef();
    send(
        new Frame(
            null,
            heartbeatRef,
            "phoenix",
            "heartbeat",
            new Frame.JsonPayload(JsonNodeFactory.instance.objectNode())));
  }

  private void closed() {
    if (ws == null) {
      return;
    }
    ws = null;
    if (heartbeatTask != null) {
      heartbeatTask.cancel(false);
    }
    for (ClientChannel ch : channels.values()) {
      ch.connectionLost();
    }
    onClose.forEach(Runnable::run);
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (closedByUser) {
      return;
    }
    var delay = ClientOptions.pick(options.reconnectDelays(), reconnectAttempt++);
    loop.schedule(this::open, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();
    private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String t = text.toString();
        text.setLength(0);
        loop.execute(() -> received(V2Serializer.decodeText(t), null));
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      binary.writeBytes(chunk);
      if (last) {
        byte[] all = binary.toByteArray();
        binary.reset();
        var decoded = V2Serializer.decodeServer(all);
        loop.execute(() -> received(decoded.frame(), decoded.status()));
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      loop.execute(() -> {
        if (ws == webSocket) {
          closed();
        }
      });
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      loop.execute(() -> {
        if (ws == webSocket) {
          closed();
        }
      });
    }
  }

  // ---------------------------------------------------------------- frames (loop thread)

  private void received(Frame frame, String binaryStatus) {
    if (frame.event().equals("phx_reply")) {
      if (frame.ref() != null && frame.ref().equals(heartbeatRef)) {
        heartbeatRef = null;
        return;
      }
      CompletableFuture<Reply> f = frame.ref() == null ? null : pending.remove(frame.ref());
      if (f != null) {
        f.complete(toReply(frame, binaryStatus));
      }
      return;
    }
    ClientChannel ch = channels.get(frame.topic());
    if (ch != null) {
      ch.received(frame);
    }
  }

  private static Reply toReply(Frame frame, String binaryStatus) {
    return switch (frame.payload()) {
      case Frame.BinaryPayload(byte[] bytes) -> new Reply(binaryStatus, BinaryNode.valueOf(bytes));
      case Frame.JsonPayload(JsonNode json) ->
          new Reply(json.path("status").asString("error"), json.path("response"));
    };
  }

  String nextRef() {
    return Long.toString(++refs);
  }

  boolean isOpen() {
    return ws != null;
  }

  // The connection's last send (loop thread). java.net.http's WebSocket takes one message at a
  // time and throws if another is sent before the previous one completed, so each send waits for
  // the one before it (two rejoins after a reconnect would otherwise lose the second).
  private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

  void send(Frame frame) {
    WebSocket socket = ws;
    if (socket == null) {
      return;
    }
    boolean binary = frame.payload() instanceof Frame.BinaryPayload;
    byte[] bytes = binary ? V2Serializer.encodeClientPush(frame) : null;
    String text = binary ? null : V2Serializer.encodeText(frame);
    lastSend =
        lastSend
            .handle((ok, error) -> null)
            .thenCompose(x ->
                binary
                    ? socket.sendBinary(ByteBuffer.wrap(bytes), true)
                    : socket.sendText(text, true));
  }

  /** Sends a frame expecting a reply; the future completes with the reply or a timeout. */
  CompletableFuture<Reply> request(Frame frame) {
    CompletableFuture<Reply> f = new CompletableFuture<>();
    pending.put(frame.ref(), f);
    loop.schedule(
        () -> {
          if (pending.remove(frame.ref()) != null) {
            f.complete(new Reply("timeout", JsonNodeFactory.instance.objectNode()));
          }
        },
        options.pushTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
    send(frame);
    return f;
  }

  ClientOptions options() {
    return options;
  }

  void forget(String topic, ClientChannel ch) {
    channels.remove(topic, ch);
  }

  @Override
  public String toString() {
    return "PhoenixClient[" + Objects.toString(uri) + "]";
  }
}
