package weft.web.presence;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import weft.genserver.CallResult;
import weft.genserver.From;
import weft.genserver.GenServer;
import weft.genserver.InitResult;
import weft.genserver.Result;
import weft.process.Down;
import weft.process.Pid;
import weft.process.Process;
import weft.web.channel.Broadcast;
import weft.web.pubsub.MessageCodec;
import weft.web.pubsub.PubSub;

/*
 * Design: the process around PresenceState (as Phoenix.Tracker.Shard around Tracker.State). It
 * owns this node's replica: track/untrack/update are calls, tracked processes are monitored and
 * leave when they end. The other nodes' replicas are merged into an immutable PresenceState
 * (remote); this node's own entries live in `local` and, for readers, in Presence's per-topic
 * concurrent maps, so a change costs O(1) however many are present (a new immutable replica per
 * change cost O(N) each, O(N^2) for a join storm). A new version of the local replica is built
 * and published over PubSub when it goes out (paced as the diffs are, and on every heartbeat).
 * Diffs go as presence_diff to this node's own subscribers only (each node computes its own
 * diffs, as Phoenix does). Reads never wait for this process.
 *
 * Restarts: one Tracker object outlives its processes (as an ETS table given to an heir would).
 * When a supervisor starts it again after a crash, init monitors every still-tracked process anew
 * (ended ones leave at once) and the replica goes on at its version, so neither the channels nor
 * the other nodes notice. A killed process's thread may still finish a handler, so handlers and
 * init hold the object's lock.
 *
 * Coalescing: readers see every change at once, but the diffs sent to clients go through one
 * DiffWindow per busy topic (see PresenceOptions): a join storm costs each client one frame per
 * window, not one per join. A window holds every join and leave, not their net effect: a client
 * whose presence_state was taken inside the window may hold a presence that joined and left
 * there, and needs that leave. The JS client applies joins before leaves and both by ref, so
 * applying the whole window to any state taken since the previous diff ends at the server's state.
 * That is also why a joining client may be sent the state as of the topic's last diff (see
 * Presence.pushState), encoded once for all who join before the next.
 */
final class Tracker implements GenServer<Tracker, Tracker.Request> {

  static final String TOPIC = "weft:presence";

  sealed interface Request {}

  record Track(Pid pid, String topic, String key, ObjectNode meta) implements Request {}

  record Untrack(Pid pid, String topic, String key) implements Request {}

  record Update(Pid pid, String topic, String key, ObjectNode meta) implements Request {}

  /** A replica's state, published to the other nodes. */
  record Published(PresenceState.Replica replica) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * How a replica crosses between nodes ({@code weft.presence.replica}): JSON {@code {"replica",
   * "version", "entries": [{"topic", "key", "ref", "prev_ref", "meta"}]}}.
   */
  static final MessageCodec<Published> CODEC =
      new MessageCodec<>(
          "weft.presence.replica",
          Published.class,
          p -> {
            ObjectNode root = JSON.createObjectNode();
            root.put("replica", p.replica().replica());
            root.put("version", p.replica().version());
            ArrayNode entries = root.putArray("entries");
            for (PresenceState.Entry e : p.replica().entries().values()) {
              ObjectNode n = entries.addObject();
              n.put("topic", e.topic());
              n.put("key", e.key());
              n.put("ref", e.ref());
              if (e.prevRef() != null) {
                n.put("prev_ref", e.prevRef());
              }
              n.set("meta", e.meta());
            }
            return JSON.writeValueAsBytes(root);
          },
          bytes -> {
            JsonNode root;
            try {
              root = JSON.readTree(bytes);
            } catch (JacksonException e) {
              throw new IllegalArgumentException(
                  "a replica is not JSON: " + e.getOriginalMessage());
            }
            Map<String, PresenceState.Entry> entries = new HashMap<>();
            for (JsonNode n : root.path("entries")) {
              if (!(n.get("meta") instanceof ObjectNode meta)) {
                throw new IllegalArgumentException("a presence entry without a meta object");
              }
              PresenceState.Entry e =
                  new PresenceState.Entry(
                      text(n, "topic"),
                      text(n, "key"),
                      text(n, "ref"),
                      n.hasNonNull("prev_ref") ? text(n, "prev_ref") : null,
                      meta);
              entries.put(e.ref(), e);
            }
            if (!root.path("version").canConvertToLong()) {
              throw new IllegalArgumentException("a replica without a version");
            }
            return new Published(
                new PresenceState.Replica(
                    text(root, "replica"), root.path("version").asLong(), entries));
          });

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isString()) {
      throw new IllegalArgumentException("presence field " + field + " is not a string");
    }
    return v.asString();
  }

  private record Tick() {}

  /** The coalescing window of a topic's diffs ended. */
  private record WindowEnd(String topic) {}

  /** The window of this node's publications to the others ended. */
  private record PublishEnd() {}

  private final Presence owner;
  private final PubSub pubsub;
  private final String replica;
  private final PresenceOptions options;
  private final Map<String, PresenceState.Entry> local = new HashMap<>();
  private final Map<Pid, Set<String>> refsByPid = new HashMap<>();
  private final Map<String, Long> lastHeard = new HashMap<>();
  private final Set<Pid> monitoring = new HashSet<>();

  /** A busy topic's open window: how long it lasts and what it holds. */
  private record Open(Duration length, DiffWindow held) {}

  private final Map<String, Open> windows = new HashMap<>();

  /** The changes of the current handler, per topic, before they go out or join a window. */
  private final Map<String, DiffWindow> changes = new HashMap<>();

  private PresenceState remote = PresenceState.EMPTY;
  private long refs;

  /** The replica last published, rebuilt only after a local change ({@code dirty}). */
  private PresenceState.Replica mine;

  private boolean dirty;
  private Duration publishWindow;
  private boolean unpublished;

  Tracker(Presence owner, PubSub pubsub, String replica, PresenceOptions options) {
    this.owner = owner;
    this.pubsub = pubsub;
    this.replica = replica;
    this.options = options;
  }

  @Override
  public String behaviour() {
    return "Presence";
  }

  @Override
  public synchronized InitResult<Tracker> init() {
    owner.running(Process.self());
    monitoring.clear();
    for (Pid pid : refsByPid.keySet()) {
      monitoring.add(pid);
      Process.monitor(pid);
    }
    pubsub.register(CODEC);
    pubsub.subscribe(TOPIC);
    // A restart lost the timers of the open windows: what they held goes out now, and so do
    // the changes of a handler that crashed before it sent them.
    for (var w : windows.entrySet()) {
      if (!w.getValue().held().isEmpty()) {
        send(w.getKey(), w.getValue().held());
      }
    }
    windows.clear();
    flushChanges();
    publishWindow = null;
    if (unpublished) {
      unpublished = false;
      pubsub.broadcast(TOPIC, new Published(mine()));
    }
    Process.sendInterval(Process.self(), new Tick(), options.heartbeat());
    return InitResult.ok(this);
  }

  @Override
  public synchronized CallResult<Tracker> handleCall(Request request, From from, Tracker self) {
    Object reply =
        switch (request) {
          case Track(Pid pid, String topic, String key, ObjectNode meta) -> {
            if (find(pid, topic, key) != null) {
              yield new IllegalStateException(
                  "already tracked: " + pid + " on " + topic + " as " + key);
            }
            yield add(pid, topic, key, meta, null);
          }
          case Untrack(Pid pid, String topic, String key) -> {
            PresenceState.Entry e = find(pid, topic, key);
            if (e != null) {
              refsByPid.get(pid).remove(e.ref());
              remove(e);
              changed();
            }
            yield "ok";
          }
          case Update(Pid pid, String topic, String key, ObjectNode meta) -> {
            PresenceState.Entry e = find(pid, topic, key);
            if (e == null) {
              yield new IllegalStateException(
                  "not tracked: " + pid + " on " + topic + " as " + key);
            }
            refsByPid.get(pid).remove(e.ref());
            remove(e);
            yield add(pid, topic, key, meta, e.ref());
          }
        };
    return CallResult.reply(reply, this);
  }

  private PresenceState.Entry find(Pid pid, String topic, String key) {
    for (String ref : refsByPid.getOrDefault(pid, Set.of())) {
      PresenceState.Entry e = local.get(ref);
      if (e != null && e.topic().equals(topic) && e.key().equals(key)) {
        return e;
      }
    }
    return null;
  }

  private String add(Pid pid, String topic, String key, ObjectNode meta, String prevRef) {
    String ref = replica + "." + (++refs);
    PresenceState.Entry e = new PresenceState.Entry(topic, key, ref, prevRef, meta);
    local.put(ref, e);
    dirty = true;
    owner.localJoined(e);
    diff(topic).hold(List.of(e), List.of());
    if (monitoring.add(pid)) {
      Process.monitor(pid);
    }
    refsByPid.computeIfAbsent(pid, p -> new HashSet<>()).add(ref);
    changed();
    return ref;
  }

  /** Removes a local entry; the caller calls {@link #changed()} after its last removal. */
  private void remove(PresenceState.Entry e) {
    local.remove(e.ref());
    dirty = true;
    owner.localLeft(e);
    diff(e.topic()).hold(List.of(), List.of(e));
  }

  private DiffWindow diff(String topic) {
    return changes.computeIfAbsent(topic, t -> new DiffWindow());
  }

  /**
   * Local changes were made: their diffs go out, and the replica to the other nodes, at once if
   * none went out within the publishing window, else when it ends.
   */
  private void changed() {
    flushChanges();
    if (publishWindow != null) {
      unpublished = true;
      return;
    }
    pubsub.broadcast(TOPIC, new Published(mine()));
    if (!options.diffWindow().isZero()) {
      publishWindow = options.diffWindow();
      Process.sendAfter(Process.self(), new PublishEnd(), publishWindow);
    }
  }

  /** This node's replica now: a new version when it changed since the last one built. */
  private PresenceState.Replica mine() {
    if (mine == null || dirty) {
      mine = new PresenceState.Replica(replica, mine == null ? 1 : mine.version() + 1, local);
      dirty = false;
    }
    return mine;
  }

  /** A new state of the other nodes' replicas: readers see it at once, its diffs are coalesced. */
  private void applyRemote(PresenceState.Change c) {
    remote = c.state();
    owner.remote(remote);
    PresenceState.Diff d = c.diff();
    for (String topic : d.topics()) {
      diff(topic)
          .hold(
              d.joins().getOrDefault(topic, List.of()), d.leaves().getOrDefault(topic, List.of()));
    }
    flushChanges();
  }

  /**
   * Each changed topic's diff goes to its subscribers now when the topic is quiet, else joins its
   * open window.
   */
  private void flushChanges() {
    for (var c : changes.entrySet()) {
      String topic = c.getKey();
      Open open = windows.get(topic);
      if (open != null) {
        open.held().hold(c.getValue());
        continue;
      }
      send(topic, c.getValue());
      if (!options.diffWindow().isZero()) {
        windows.put(topic, new Open(options.diffWindow(), new DiffWindow()));
        Process.sendAfter(Process.self(), new WindowEnd(topic), options.diffWindow());
      }
    }
    changes.clear();
  }

  /** Sends a topic's diff and takes the snapshot that clients joining until the next one get. */
  private void send(String topic, DiffWindow w) {
    owner.sent(topic);
    pubsub.localBroadcast(topic, new Broadcast(topic, "presence_diff", w.payload()));
  }

  /**
   * A topic's window ended: what it held goes out and a longer one opens, or the topic is quiet.
   */
  private void windowEnded(String topic) {
    Open w = windows.get(topic);
    if (w == null) {
      return;
    }
    if (w.held().isEmpty()) {
      windows.remove(topic);
      return;
    }
    send(topic, w.held());
    Duration next = longer(w.length());
    windows.put(topic, new Open(next, new DiffWindow()));
    Process.sendAfter(Process.self(), new WindowEnd(topic), next);
  }

  private void publishEnded() {
    if (!unpublished) {
      publishWindow = null;
      return;
    }
    unpublished = false;
    pubsub.broadcast(TOPIC, new Published(mine()));
    publishWindow = longer(publishWindow);
    Process.sendAfter(Process.self(), new PublishEnd(), publishWindow);
  }

  private Duration longer(Duration window) {
    Duration doubled = window.multipliedBy(2);
    return doubled.compareTo(options.maxDiffWindow()) > 0 ? options.maxDiffWindow() : doubled;
  }

  @Override
  public synchronized Result<Tracker> handleInfo(Object message, Tracker self) {
    switch (message) {
      case Published(PresenceState.Replica r) when !r.replica().equals(replica) -> {
        lastHeard.put(r.replica(), System.nanoTime());
        applyRemote(remote.merge(r));
      }
      case Published p -> {}
      case WindowEnd(String topic) -> windowEnded(topic);
      case PublishEnd e -> publishEnded();
      case Tick t -> {
        if (mine != null) {
          pubsub.broadcast(TOPIC, new Published(mine()));
          unpublished = false;
        }
        long now = System.nanoTime();
        for (var e : Map.copyOf(lastHeard).entrySet()) {
          if (now - e.getValue() > options.downAfter().toNanos()) {
            lastHeard.remove(e.getKey());
            applyRemote(remote.remove(e.getKey()));
          }
        }
      }
      case Down d -> {
        monitoring.remove(d.pid());
        Set<String> refs = refsByPid.remove(d.pid());
        if (refs != null && !refs.isEmpty()) {
          for (String ref : refs) {
            PresenceState.Entry e = local.get(ref);
            if (e != null) {
              remove(e);
            }
          }
          changed();
        }
      }
      default -> {}
    }
    return Result.noreply(this);
  }
}
