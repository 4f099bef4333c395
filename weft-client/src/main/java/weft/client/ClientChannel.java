package weft.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import weft.web.channel.Frame;
import weft.web.channel.V2Serializer;

/*
 * State machine (on the client's loop thread): CLOSED -> JOINING -> JOINED; JOINED -> ERRORED on
 * phx_error or a lost connection, ERRORED -> JOINING after the rejoin delay (or when the connection
 * comes back); any -> CLOSED on leave or phx_close.
 */
/** One channel of a {@link PhoenixClient}. Thread-safe; callbacks run on the client's thread. */
public final class ClientChannel {

  private enum State {
    CLOSED,
    JOINING,
    JOINED,
    ERRORED
  }

  private final PhoenixClient client;
  private final String topic;
  private final JsonNode params;
  private final Map<String, List<Consumer<JsonNode>>> handlers = new HashMap<>();
  private final CompletableFuture<Reply> firstJoin = new CompletableFuture<>();
  private final List<Runnable> pendingPushes = new ArrayList<>();
  private State state = State.CLOSED;
  private String joinRef;
  private int rejoinAttempt;
  private int joins;

  ClientChannel(PhoenixClient client, String topic, Object params) {
    this.client = client;
    this.topic = topic;
    this.params = V2Serializer.toJson(params);
  }

  /** The topic. */
  public String topic() {
    return topic;
  }

  /**
   * Calls {@code handler} with the payload of every {@code event} pushed or broadcast to this
   * channel.
   *
   * @param event the event
   * @param handler the handler
   */
  public void on(String event, Consumer<JsonNode> handler) {
    client.loop.execute(() -> handlers.computeIfAbsent(event, e -> new ArrayList<>()).add(handler));
  }

  /**
   * Calls {@code handler} with the response of every successful join, rejoins included (as the
   * {@code receive("ok", ...)} hook of a Phoenix JS join, which fires again on each rejoin): where
   * a channel hands its history on join, this is how a client catches up after a reconnect.
   *
   * @param handler the handler, on the client's thread
   */
  public void onJoin(Consumer<JsonNode> handler) {
    client.loop.execute(() -> joinHandlers.add(handler));
  }

  private final List<Consumer<JsonNode>> joinHandlers = new ArrayList<>();

  /**
   * Joins; after an error or a reconnect the channel rejoins by itself.
   *
   * @return the reply to the first join (ok, error, or timeout)
   */
  public CompletableFuture<Reply> join() {
    client.loop.execute(() -> {
      if (state == State.CLOSED) {
        state = State.JOINING;
        sendJoin();
      }
    });
    return firstJoin;
  }

  /**
   * Completes when this channel has joined successfully {@code times} times (rejoins included).
   *
   * @param times how many joins
   * @return the future
   */
  public CompletableFuture<Void> joined(int times) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    client.loop.execute(() -> {
      if (joins >= times) {
        f.complete(null);
      } else {
        joinWaiters.computeIfAbsent(times, t -> new ArrayList<>()).add(f);
      }
    });
    return f;
  }

  private final Map<Integer, List<CompletableFuture<Void>>> joinWaiters = new HashMap<>();

  /**
   * Pushes an event; sent once the channel is joined.
   *
   * @param event the event
   * @param payload a map, record or JSON node ({@code byte[]} for a binary push)
   * @return the reply (ok, error, or timeout)
   */
  public CompletableFuture<Reply> push(String event, Object payload) {
    CompletableFuture<Reply> result = new CompletableFuture<>();
    client.loop.execute(() -> {
      Runnable send =
          () -> {
            Frame.Payload p =
                payload instanceof byte[] b
                    ? new Frame.BinaryPayload(b)
                    : new Frame.JsonPayload(V2Serializer.toJson(payload));
            client
                .request(new Frame(joinRef, client.nextRef(), topic, event, p))
                .thenAccept(result::complete);
          };
      if (state == State.JOINED && client.isOpen()) {
        send.run();
      } else {
        pendingPushes.add(send);
      }
    });
    return result;
  }

  /**
   * Leaves the channel.
   *
   * @return the reply to the leave
   */
  public CompletableFuture<Reply> leave() {
    CompletableFuture<Reply> result = new CompletableFuture<>();
    client.loop.execute(() -> {
      State was = state;
      state = State.CLOSED;
      client.forget(topic, this);
      if (was == State.JOINED && client.isOpen()) {
        client
            .request(
                new Frame(
                    joinRef,
                    client.nextRef(),
                    topic,
                    "phx_leave",
                    new Frame.JsonPayload(JsonNodeFactory.instance.objectNode())))
            .thenAccept(result::complete);
      } else {
        result.complete(new Reply("ok", JsonNodeFactory.instance.objectNode()));
      }
    });
    return result;
  }

  // ---------------------------------------------------------------- loop thread

  private void sendJoin() {
    if (!client.isOpen()) {
      return;
    }
    String ref = client.nextRef();
    joinRef = ref;
    client
        .request(new Frame(ref, ref, topic, "phx_join", new Frame.JsonPayload(params)))
        .thenAccept(reply -> client.loop.execute(() -> joinReplied(ref, reply)));
  }

  private void joinReplied(String ref, Reply reply) {
    if (!ref.equals(joinRef) || state != State.JOINING) {
      return;
    }
    if (reply.ok()) {
      state = State.JOINED;
      joins++;
      var ready = joinWaiters.remove(joins);
      if (ready != null) {
        ready.forEach(f -> f.complete(null));
      }
      rejoinAttempt = 0;
      joinHandlers.forEach(h -> h.accept(reply.response()));
      List<Runnable> queued = new ArrayList<>(pendingPushes);
      pendingPushes.clear();
      queued.forEach(Runnable::run);
    } else {
      state = State.ERRORED;
      scheduleRejoin();
    }
    firstJoin.complete(reply);
  }

  private void scheduleRejoin() {
    var delay = ClientOptions.pick(client.options().rejoinDelays(), rejoinAttempt++);
    client.loop.schedule(
        () -> {
          if (state == State.ERRORED && client.isOpen()) {
            state = State.JOINING;
            sendJoin();
          }
        },
        delay.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  void connectionOpened() {
    if (state == State.ERRORED || state == State.JOINING) {
      state = State.JOINING;
      sendJoin();
    }
  }

  void connectionLost() {
    if (state == State.JOINED || state == State.JOINING) {
      state = State.ERRORED;
    }
  }

  void received(Frame frame) {
    if (frame.joinRef() != null && !frame.joinRef().equals(joinRef)) {
      return;
    }
    switch (frame.event()) {
      case "phx_error" -> {
        if (state == State.JOINED || state == State.JOINING) {
          state = State.ERRORED;
          scheduleRejoin();
        }
      }
      case "phx_close" -> state = State.CLOSED;
      default -> {
        JsonNode payload =
            frame.payload() instanceof Frame.JsonPayload(JsonNode json)
                ? json
                : JsonNodeFactory.instance.binaryNode(
                    ((Frame.BinaryPayload) frame.payload()).bytes());
        for (Consumer<JsonNode> h : handlers.getOrDefault(frame.event(), List.of())) {
          h.accept(payload);
        }
      }
    }
  }
}
