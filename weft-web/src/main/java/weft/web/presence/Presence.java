package weft.web.presence;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
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
 * ctx.push("presence_state", presence.list(ctx.topic()));
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
 * frame per window, each frame holding every join and leave of its window. A thousand users
 * joining one room together cost each member a few frames, not a thousand.
 */
public final class Presence implements Supervised {

  private final Tracker server;
  private final String replica;
  private volatile Pid tracker;
  private volatile PresenceState view = PresenceState.EMPTY;

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

  void view(PresenceState state) {
    this.view = state;
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
    return view.payload(topic);
  }

  /**
   * Every presence on a topic.
   *
   * @param topic the topic
   * @return the entries
   */
  public List<PresenceState.Entry> entries(String topic) {
    return view.list(topic);
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
