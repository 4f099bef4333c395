package weft.web.presence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/*
 * Design: the presence CRDT as a pure, immutable value, apart from any process (as
 * phoenix_pubsub keeps Tracker.State apart from Tracker.Shard).
 *
 * Every node is a replica that alone writes its own entries; each write makes a new version of
 * that replica's entry set. The whole state maps replica -> (version, entries), and merging keeps,
 * per replica, the higher version. Versions of one replica are totally ordered and one
 * (replica, version) always names the same entries, so the merge is commutative, associative and
 * idempotent, and replicas that have seen the same versions hold the same state, in whatever
 * order they arrived. A replica that goes away is removed (its presences leave); a restarted node
 * is a new replica (its id carries an incarnation).
 *
 * Every change also yields the diff that Phoenix's clients expect: joins and leaves per topic.
 */
/** The replicated presence state: immutable; every operation returns a new state and its diff. */
public final class PresenceState {

  /**
   * One presence: a key (such as a user id) on a topic, with its metadata.
   *
   * @param topic the topic
   * @param key the key
   * @param ref this presence's unique reference ({@code phx_ref})
   * @param prevRef the reference it replaced on update ({@code phx_ref_prev}), or null
   * @param meta the metadata (a JSON object)
   */
  public record Entry(String topic, String key, String ref, String prevRef, ObjectNode meta) {

    /**
     * Checks the entry.
     *
     * @param topic not null
     * @param key not null
     * @param ref not null
     * @param prevRef or null
     * @param meta not null
     */
    public Entry {
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(meta, "meta");
    }

    /**
     * The meta as clients see it: with {@code phx_ref} and, after an update, {@code phx_ref_prev}.
     */
    ObjectNode clientMeta() {
      ObjectNode m = meta.deepCopy();
      m.put("phx_ref", ref);
      if (prevRef != null) {
        m.put("phx_ref_prev", prevRef);
      }
      return m;
    }
  }

  /**
   * One replica's entries at one version.
   *
   * @param replica the replica id
   * @param version its version; higher is newer
   * @param entries its entries by ref
   */
  public record Replica(String replica, long version, Map<String, Entry> entries) {
    /**
     * Copies the entries.
     *
     * @param replica the id
     * @param version the version
     * @param entries the entries
     */
    public Replica {
      Objects.requireNonNull(replica, "replica");
      entries = Map.copyOf(entries);
    }
  }

  /**
   * Joins and leaves, per topic, in Phoenix's shape.
   *
   * @param joins topic to entries that joined
   * @param leaves topic to entries that left
   */
  public record Diff(Map<String, List<Entry>> joins, Map<String, List<Entry>> leaves) {

    /** No change. */
    public static final Diff EMPTY = new Diff(Map.of(), Map.of());

    /** Whether nothing changed. */
    public boolean isEmpty() {
      return joins.isEmpty() && leaves.isEmpty();
    }

    /** The topics that changed. */
    public java.util.Set<String> topics() {
      java.util.Set<String> t = new java.util.TreeSet<>(joins.keySet());
      t.addAll(leaves.keySet());
      return t;
    }

    /**
     * The {@code presence_diff} payload for a topic: {@code {"joins": {key: {"metas": [...]}},
     * "leaves": {...}}}.
     *
     * @param topic the topic
     * @return the payload
     */
    public ObjectNode payload(String topic) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.set("joins", grouped(joins.getOrDefault(topic, List.of())));
      o.set("leaves", grouped(leaves.getOrDefault(topic, List.of())));
      return o;
    }
  }

  /** The order of entries in every list and payload: by key, then ref. */
  static final Comparator<Entry> ORDER = Comparator.comparing(Entry::key).thenComparing(Entry::ref);

  private final Map<String, Replica> replicas;

  /**
   * Every replica's entries by topic, sorted; built on the first read (the state never changes).
   */
  private volatile Map<String, List<Entry>> byTopic;

  private PresenceState(Map<String, Replica> replicas) {
    this.replicas = Map.copyOf(replicas);
  }

  /** The empty state. */
  public static final PresenceState EMPTY = new PresenceState(Map.of());

  /**
   * A state and the diff that produced it.
   *
   * @param state the new state
   * @param diff what changed
   */
  public record Change(PresenceState state, Diff diff) {}

  /**
   * The replicas known, by id.
   *
   * @return the replicas
   */
  public Map<String, Replica> replicas() {
    return replicas;
  }

  /**
   * Merges another replica's state: kept if its version is newer than the one known.
   *
   * @param remote the replica's state
   * @return the new state and what changed
   */
  public Change merge(Replica remote) {
    Replica known = replicas.get(remote.replica());
    if (known != null && known.version() >= remote.version()) {
      return new Change(this, Diff.EMPTY);
    }
    Map<String, Replica> next = new HashMap<>(replicas);
    next.put(remote.replica(), remote);
    Map<String, Entry> before = known == null ? Map.of() : known.entries();
    return new Change(new PresenceState(next), diff(before, remote.entries()));
  }

  /**
   * Merges every replica of another state.
   *
   * @param other the other state
   * @return the merged state
   */
  public PresenceState merge(PresenceState other) {
    PresenceState s = this;
    for (Replica r : other.replicas.values()) {
      s = s.merge(r).state();
    }
    return s;
  }

  /**
   * Forgets a replica (its node went away): all its presences leave.
   *
   * @param replica the replica id
   * @return the new state and the leaves
   */
  public Change remove(String replica) {
    Replica known = replicas.get(replica);
    if (known == null) {
      return new Change(this, Diff.EMPTY);
    }
    Map<String, Replica> next = new HashMap<>(replicas);
    next.remove(replica);
    return new Change(new PresenceState(next), diff(known.entries(), Map.of()));
  }

  /**
   * Replaces one replica's entries with a new version (the local replica's writes).
   *
   * @param replica the replica id
   * @param entries its entries now
   * @return the new state and what changed
   */
  public Change write(String replica, Map<String, Entry> entries) {
    Replica known = replicas.get(replica);
    long version = known == null ? 1 : known.version() + 1;
    return merge(new Replica(replica, version, entries));
  }

  private static Diff diff(Map<String, Entry> before, Map<String, Entry> after) {
    Map<String, List<Entry>> joins = new LinkedHashMap<>();
    Map<String, List<Entry>> leaves = new LinkedHashMap<>();
    for (Entry e : after.values()) {
      if (!before.containsKey(e.ref())) {
        joins.computeIfAbsent(e.topic(), t -> new ArrayList<>()).add(e);
      }
    }
    for (Entry e : before.values()) {
      if (!after.containsKey(e.ref())) {
        leaves.computeIfAbsent(e.topic(), t -> new ArrayList<>()).add(e);
      }
    }
    joins.replaceAll((t, l) -> sorted(l));
    leaves.replaceAll((t, l) -> sorted(l));
    return new Diff(joins, leaves);
  }

  private static List<Entry> sorted(List<Entry> entries) {
    return entries.stream().sorted(ORDER).toList();
  }

  /**
   * Every presence on a topic, from every replica.
   *
   * @param topic the topic
   * @return the entries, ordered by key then ref
   */
  public List<Entry> list(String topic) {
    Map<String, List<Entry>> index = byTopic;
    if (index == null) {
      Map<String, List<Entry>> grouped = new HashMap<>();
      for (Replica r : replicas.values()) {
        for (Entry e : r.entries().values()) {
          grouped.computeIfAbsent(e.topic(), t -> new ArrayList<>()).add(e);
        }
      }
      grouped.replaceAll((t, l) -> sorted(l));
      index = byTopic = grouped;
    }
    return index.getOrDefault(topic, List.of());
  }

  /**
   * The {@code presence_state} payload for a topic: {@code {key: {"metas": [...]}}}.
   *
   * @param topic the topic
   * @return the payload
   */
  public ObjectNode payload(String topic) {
    return grouped(list(topic));
  }

  static ObjectNode grouped(List<Entry> entries) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (Entry e : entries) {
      JsonNode existing = o.get(e.key());
      ObjectNode holder;
      if (existing == null) {
        holder = o.putObject(e.key());
        holder.putArray("metas");
      } else {
        holder = (ObjectNode) existing;
      }
      ((ArrayNode) holder.get("metas")).add(e.clientMeta());
    }
    return o;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PresenceState other && replicas.equals(other.replicas);
  }

  @Override
  public int hashCode() {
    return replicas.hashCode();
  }

  @Override
  public String toString() {
    return "PresenceState" + replicas;
  }
}
