package weft.web.presence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;
import weft.genserver.GenServer;
import weft.genserver.StartOptions;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.supervisor.ChildSpec;
import weft.supervisor.Supervised;
import weft.web.channel.ChannelContext;
import weft.web.channel.V2Serializer;
import weft.web.pubsub.PubSub;

/**
 * Who is present on each topic, across nodes, as Phoenix.Presence: a channel tracks its client
 * under a key (a user id) with metadata; everyone on the topic sees {@code presence_state} and
 * {@code presence_diff} in Phoenix's shapes, so the JS client's {@code Presence} class works.
 *
 * {@snippet :
 * // in a channel, after joining (for example in handleInfo of a message sent to itself in join):
 * presence.track(ctx, user, Map.of("online_at", Instant.now().toString()));
 * presence.pushState(ctx); // presence_state, as push(socket, "presence_state", Presence.list(socket))
 * }
 *
 * <h2>Replication</h2>
 *
 * Each node runs one tracker process owning that node's presences; a tracked process that ends
 * leaves. The state is a CRDT ({@link PresenceState}) replicated over the PubSub, so it works the
 * same on one node or many: a node publishes its presences on every change and every heartbeat; a
 * node not heard from for {@link PresenceOptions#downAfter()} is taken as gone and its presences
 * leave. Reads ({@link #list}) never go through the tracker process.
 *
 * <h2>Diffs during a join storm</h2>
 *
 * Reads see every change at once, but {@code presence_diff} frames are coalesced per topic (see
 * {@link PresenceOptions}): the first change on a quiet topic goes out at once, later ones in one
 * frame per window, each frame holding every join and leave of its window. A thousand users joining
 * one room together cost each member a few frames, not a thousand.
 */
public final class Presence implements Supervised {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Tracker server;
  private final String replica;
  private volatile Pid tracker;
  // What readers see, written only by the tracker: the other nodes' replicas, this node's own
  // entries by topic and ref, and per topic the snapshot of its last diff.
  private volatile PresenceState remote = PresenceState.EMPTY;
  private final Map<String, Map<String, PresenceState.Entry>> local = new ConcurrentHashMap<>();
  private final Map<String, Snapshot> sent = new ConcurrentHashMap<>();

  private Presence(PubSub pubsub, PresenceOptions options) {
    this.replica = pubsub.name() + "#" + UUID.randomUUID().toString().substring(0, 8);
    this.server = new Tracker(this, pubsub, replica, options);
  }

  /**
   * Starts this node's presence tracker on its own, outside any supervision tree.
   *
   * @param node the node
   * @param pubsub the PubSub that joins the nodes and reaches the channels
   * @param options heartbeat and down timeout
   * @return the presence
   */
  public static Presence start(Node node, PubSub pubsub, PresenceOptions options) {
    Presence p = create(pubsub, options);
    p.tracker =
        GenServer.start(Objects.requireNonNull(node, "node"), p.server, StartOptions.defaults());
    return p;
  }

  /**
   * This node's presence, to be started by a supervisor through {@link #childSpec()}.
   *
   * @param pubsub the PubSub that joins the nodes and reaches the channels
   * @param options heartbeat and down timeout
   * @return the presence, not started
   */
  public static Presence create(PubSub pubsub, PresenceOptions options) {
    return new Presence(Objects.requireNonNull(pubsub, "pubsub"), options);
  }

  /**
   * The tracker as a supervised worker (id {@code "presence"}). If it crashes, the supervisor
   * starts it again with this node's presences intact: tracked processes stay tracked and clients
   * see no diff. Calls made while it is down fail as calls to a dead process do.
   *
   * @return the spec
   */
  @Override
  public ChildSpec childSpec() {
    return ChildSpec.worker("presence", () -> GenServer.startLink(server, StartOptions.defaults()));
  }

  /** The tracker's init tells its pid, before any call can reach it. */
  void running(Pid pid) {
    this.tracker = pid;
  }

  void remote(PresenceState state) {
    this.remote = state;
  }

  void localJoined(PresenceState.Entry e) {
    local.computeIfAbsent(e.topic(), t -> new ConcurrentHashMap<>()).put(e.ref(), e);
  }

  void localLeft(PresenceState.Entry e) {
    local.computeIfPresent(
        e.topic(),
        (t, refs) -> {
          refs.remove(e.ref());
          return refs.isEmpty() ? null : refs;
        });
  }

  /** The tracker sent a diff on the topic: clients joining from now get the state as it is. */
  void sent(String topic) {
    Map<String, PresenceState.Entry> mine = local.get(topic);
    List<PresenceState.Entry> own = mine == null ? List.of() : List.copyOf(mine.values());
    PresenceState others = remote;
    if (own.isEmpty() && others.list(topic).isEmpty()) {
      sent.remove(topic);
    } else {
      sent.put(topic, new Snapshot(others, own, topic));
    }
  }

  /**
   * A topic's presences at one moment, encoded for joining clients on first use: by the first
   * joiner that needs it, the others who come meanwhile wait for its result instead of each
   * encoding the same N presences again.
   */
  private static final class Snapshot {
    private final PresenceState others;
    private final List<PresenceState.Entry> own;
    private final String topic;
    private final AtomicReference<CompletableFuture<JsonNode>> encoded = new AtomicReference<>();

    Snapshot(PresenceState others, List<PresenceState.Entry> own, String topic) {
      this.others = others;
      this.own = own;
      this.topic = topic;
    }

    JsonNode payload() {
      CompletableFuture<JsonNode> mine = new CompletableFuture<>();
      CompletableFuture<JsonNode> first = encoded.compareAndExchange(null, mine);
      if (first != null) {
        return first.join();
      }
      try {
        String json =
            JSON.writeValueAsString(PresenceState.grouped(merged(others.list(topic), own)));
        // SerializedString keeps its UTF-8 bytes: each push copies them as they are.
        mine.complete(
            JsonNodeFactory.instance.rawValueNode(new RawValue(new SerializedString(json))));
      } catch (RuntimeException | Error e) {
        mine.completeExceptionally(e);
        encoded.set(null);
        throw e;
      }
      return mine.join();
    }
  }

  private static List<PresenceState.Entry> merged(
      List<PresenceState.Entry> others, Collection<PresenceState.Entry> own) {
    if (own.isEmpty()) {
      return others;
    }
    List<PresenceState.Entry> all = new ArrayList<>(others.size() + own.size());
    all.addAll(others);
    all.addAll(own);
    all.sort(PresenceState.ORDER);
    return all;
  }

  /**
   * This node's replica id (its name and an incarnation: a restarted node is a new replica).
   *
   * @return the id
   */
  public String replica() {
    return replica;
  }

  /**
   * The tracker process (to put it under a supervisor's watch, or see it in the dashboard).
   *
   * @return the pid
   */
  public Pid tracker() {
    Pid pid = tracker;
    if (pid == null) {
      throw new IllegalStateException("the presence tracker has not been started");
    }
    return pid;
  }

  /**
   * Tracks the calling channel's client on its topic.
   *
   * @param ctx the channel's context (the calling process is tracked)
   * @param key the key, such as a user name
   * @param meta metadata (a record or map, sent as a JSON object)
   * @return the presence's ref ({@code phx_ref})
   * @throws IllegalStateException if this process is already tracked on the topic under the key
   */
  public String track(ChannelContext ctx, String key, Object meta) {
    return track(Process.self(), ctx.topic(), key, meta);
  }

  /**
   * Tracks a process on a topic under a key; it leaves when the process ends or is untracked.
   *
   * @param pid the process
   * @param topic the topic
   * @param key the key
   * @param meta metadata (a JSON object)
   * @return the ref
   * @throws IllegalStateException if already tracked under that process, topic and key
   */
  public String track(Pid pid, String topic, String key, Object meta) {
    return (String)
        unwrap(GenServer.call(tracker(), new Tracker.Track(pid, topic, key, object(meta))));
  }

  /**
   * Replaces a presence's metadata: clients see a join with the new meta ({@code phx_ref_prev}
   * naming the old) and a leave of the old.
   *
   * @param pid the process
   * @param topic the topic
   * @param key the key
   * @param meta the new metadata
   * @return the new ref
   * @throws IllegalStateException if not tracked
   */
  public String update(Pid pid, String topic, String key, Object meta) {
    return (String)
        unwrap(GenServer.call(tracker(), new Tracker.Update(pid, topic, key, object(meta))));
  }

  /**
   * Stops tracking; nothing happens if it was not tracked.
   *
   * @param pid the process
   * @param topic the topic
   * @param key the key
   */
  public void untrack(Pid pid, String topic, String key) {
    GenServer.call(tracker(), new Tracker.Untrack(pid, topic, key));
  }

  /**
   * The {@code presence_state} payload of a topic: {@code {key: {"metas": [...]}}}, from every
   * node. Reads the latest merged state without waiting for the tracker.
   *
   * @param topic the topic
   * @return the payload
   */
  public ObjectNode list(String topic) {
    return PresenceState.grouped(entries(topic));
  }

  /**
   * Pushes {@code presence_state} to the calling channel's client, as Phoenix's {@code push(socket,
   * "presence_state", Presence.list(socket))} does, but cheaply during a join storm: the state sent
   * is the topic's as of its last {@code presence_diff}, encoded once and shared by every client
   * that joins before the next. The changes since, the caller's own {@link #track} among them,
   * reach the client in the diffs that follow (at once on a quiet topic, within the diff window on
   * a busy one), so its {@code Presence} ends at the server's state. Call it after tracking, from
   * the channel's process, as with {@link #list}.
   *
   * @param ctx the channel's context
   */
  public void pushState(ChannelContext ctx) {
    ctx.push("presence_state", joinState(ctx.topic()));
  }

  /** The payload {@link #pushState} sends. */
  JsonNode joinState(String topic) {
    Snapshot s = sent.get(topic);
    return s == null ? list(topic) : s.payload();
  }

  /**
   * Every presence on a topic.
   *
   * @param topic the topic
   * @return the entries
   */
  public List<PresenceState.Entry> entries(String topic) {
    Map<String, PresenceState.Entry> mine = local.get(topic);
    return merged(remote.list(topic), mine == null ? List.of() : mine.values());
  }

  /** Stops the tracker; this node's presences leave the other nodes after their timeout. */
  public void stop() {
    GenServer.stop(tracker(), ExitReason.SHUTDOWN, GenServer.DEFAULT_CALL_TIMEOUT);
  }

  private static ObjectNode object(Object meta) {
    JsonNode n = V2Serializer.toJson(meta);
    if (!(n instanceof ObjectNode o)) {
      throw new IllegalArgumentException("presence meta must be a JSON object, got " + n);
    }
    return o;
  }

  private static Object unwrap(Object reply) {
    if (reply instanceof RuntimeException e) {
      throw e;
    }
    return reply;
  }
}
