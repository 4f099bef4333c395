package weft.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import weft.process.Address;
import weft.process.Pid;
import weft.process.Process;
import weft.process.Ref;
import weft.process.internal.Kernel;
import weft.process.internal.ProcessCore;

/**
 * A local key-value process registry, as Elixir's {@code Registry}: processes register themselves
 * under keys, with a value, and their entries vanish when they end.
 *
 * <p>With {@linkplain #unique() unique keys} a key names at most one process, so the registry can
 * name servers ({@link #via(Object)} gives an {@link Address}). With {@linkplain #duplicate()
 * duplicate keys} any number of processes register under one key, which makes a local pub/sub:
 * {@link #dispatch(Object, BiConsumer)} visits every entry of a key ({@code weft.web}'s PubSub is
 * built on it, as Phoenix.PubSub is on Elixir's Registry).
 *
 * {@snippet :
 * Registry rooms = Registry.unique();
 * GenServer.startLink(new Room("lobby"), StartOptions.via(rooms, "lobby"));
 * GenServer.call(rooms.via("lobby"), new Join("alice"), Duration.ofSeconds(5));
 * }
 *
 * <h2>Partitions</h2>
 *
 * Entries are spread over partitions, each with its own lock for writes: by key with unique keys,
 * by process with duplicate keys (so one process's registrations share a partition, and
 * registrations of many processes under one busy key do not contend on one lock). Reads ({@link
 * #lookup}, {@link #dispatch}, {@link #count(Object)}) take no lock: they see every entry made
 * before they started and not removed since, and may or may not see changes made while they run.
 *
 * <p>Threads: safe for concurrent use. Registration and unregistration act on the calling process,
 * as in Elixir, or on a process named explicitly (one being started on its behalf, or a
 * subscriber); lookups may be made from any thread. Entries come in no particular order.
 */
public final class Registry {

  /** Whether a key names one process or many. */
  public enum Keys {
    /** At most one process per key. */
    UNIQUE,
    /** Any number of processes per key, each at most once per registration. */
    DUPLICATE
  }

  /**
   * One registration.
   *
   * @param pid the registered process
   * @param value the value it registered with (may be null)
   */
  public record Entry(Pid pid, Object value) {}

  private static final Object[] NONE = new Object[0];

  /*
   * Design: each partition maps key -> (pid -> the values that pid registered under the key, an
   * array replaced whole on change). Writes hold the partition's lock, which keeps the inverse
   * index (pid -> keys) and the one exit hook per process and partition consistent with the
   * maps; readers walk the concurrent maps without it. An inner map is removed when it empties,
   * under the same lock, so a reader never resurrects one.
   */
  private static final class Partition {
    final ConcurrentHashMap<Object, ConcurrentHashMap<Pid, Object[]>> byKey =
        new ConcurrentHashMap<>();
    // Guarded by this.
    final Map<Pid, Set<Object>> byPid = new HashMap<>();
    final Map<Pid, Ref> hooks = new HashMap<>();
  }

  private final Keys kind;
  private final Partition[] partitions;

  private Registry(Keys kind, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "a registry needs at least 1 partition, got " + partitions);
    }
    this.kind = kind;
    this.partitions = new Partition[partitions];
    for (int i = 0; i < partitions; i++) {
      this.partitions[i] = new Partition();
    }
  }

  /**
   * A registry with unique keys, in one partition.
   *
   * @return the registry
   */
  public static Registry unique() {
    return new Registry(Keys.UNIQUE, 1);
  }

  /**
   * A registry with unique keys, spread over partitions by key.
   *
   * @param partitions at least 1
   * @return the registry
   */
  public static Registry unique(int partitions) {
    return new Registry(Keys.UNIQUE, partitions);
  }

  /**
   * A registry with duplicate keys, with one partition per available processor.
   *
   * @return the registry
   */
  public static Registry duplicate() {
    return new Registry(Keys.DUPLICATE, Runtime.getRuntime().availableProcessors());
  }

  /**
   * A registry with duplicate keys, spread over partitions by process.
   *
   * @param partitions at least 1
   * @return the registry
   */
  public static Registry duplicate(int partitions) {
    return new Registry(Keys.DUPLICATE, partitions);
  }

  /**
   * The kind of keys.
   *
   * @return unique or duplicate
   */
  public Keys keys() {
    return kind;
  }

  /**
   * The number of partitions.
   *
   * @return at least 1
   */
  public int partitions() {
    return partitions.length;
  }

  private Partition partition(Object key, Pid pid) {
    int h = kind == Keys.UNIQUE ? key.hashCode() : Long.hashCode(pid.id());
    return partitions[Math.floorMod(h ^ (h >>> 16), partitions.length)];
  }

  /**
   * Registers the calling process under a key, until it unregisters or ends.
   *
   * @param key the key, not null
   * @param value a value stored with the registration (may be null)
   * @throws IllegalArgumentException with unique keys, if another process holds the key, or the
   *     caller already does
   * @throws IllegalStateException outside a process
   */
  public void register(Object key, Object value) {
    register(Process.self(), key, value);
  }

  /**
   * Registers a process under a key (the calling process, or one being started on its behalf). With
   * duplicate keys, registering the same process under the same key again adds an entry.
   *
   * @param pid the process
   * @param key the key
   * @param value the value
   * @throws IllegalArgumentException with unique keys, if the key is taken
   */
  public void register(Pid pid, Object key, Object value) {
    add(pid, key, value, false);
  }

  /**
   * Registers a process under a key with one value, replacing the entries it already had under that
   * key (a subscription made twice is one subscription).
   *
   * @param pid the process
   * @param key the key
   * @param value the value
   * @throws IllegalArgumentException with unique keys, if another process holds the key
   */
  public void put(Pid pid, Object key, Object value) {
    add(pid, key, value, true);
  }

  private void add(Pid pid, Object key, Object value, boolean replace) {
    Objects.requireNonNull(pid, "pid");
    Objects.requireNonNull(key, "key");
    ProcessCore p = Kernel.core(pid);
    Partition part = partition(key, pid);
    synchronized (part) {
      ConcurrentHashMap<Pid, Object[]> entries = part.byKey.get(key);
      Object[] mine = entries == null ? null : entries.get(pid);
      if (kind == Keys.UNIQUE && entries != null && !entries.isEmpty()) {
        Pid holder = entries.keySet().iterator().next();
        if (!(replace && holder.equals(pid))) {
          throw new IllegalArgumentException("key " + key + " is already registered to " + holder);
        }
      }
      if (entries == null) {
        entries = new ConcurrentHashMap<>(4);
        part.byKey.put(key, entries);
      }
      Object[] next;
      if (replace || mine == null) {
        next = new Object[] {value};
      } else {
        next = java.util.Arrays.copyOf(mine, mine.length + 1);
        next[mine.length] = value;
      }
      entries.put(pid, next);
      part.byPid.computeIfAbsent(pid, k -> new LinkedHashSet<>()).add(key);
      if (part.hooks.containsKey(pid)) {
        return;
      }
      part.hooks.put(pid, Ref.make());
    }
    // Outside the lock: a process already dead runs the cleanup at once, which takes it.
    Ref hook = p.onExitCleanup(reason -> removeAll(part, pid));
    synchronized (part) {
      if (part.hooks.containsKey(pid)) {
        part.hooks.put(pid, hook);
      } else {
        p.removeWatcher(hook);
      }
    }
  }

  /**
   * Removes the calling process's registrations under a key.
   *
   * @param key the key
   * @throws IllegalStateException outside a process
   */
  public void unregister(Object key) {
    unregister(Process.self(), key);
  }

  /**
   * Removes a process's registrations under a key; nothing happens if it has none.
   *
   * @param pid the process
   * @param key the key
   */
  public void unregister(Pid pid, Object key) {
    Objects.requireNonNull(pid, "pid");
    Objects.requireNonNull(key, "key");
    Partition part = partition(key, pid);
    Ref hook = null;
    synchronized (part) {
      removeEntries(part, key, pid);
      Set<Object> keys = part.byPid.get(pid);
      if (keys != null) {
        keys.remove(key);
        if (keys.isEmpty()) {
          part.byPid.remove(pid);
          hook = part.hooks.remove(pid);
        }
      }
    }
    if (hook != null) {
      Kernel.core(pid).removeWatcher(hook);
    }
  }

  private static void removeEntries(Partition part, Object key, Pid pid) {
    ConcurrentHashMap<Pid, Object[]> entries = part.byKey.get(key);
    if (entries != null) {
      entries.remove(pid);
      if (entries.isEmpty()) {
        part.byKey.remove(key);
      }
    }
  }

  private static void removeAll(Partition part, Pid pid) {
    synchronized (part) {
      part.hooks.remove(pid);
      Set<Object> keys = part.byPid.remove(pid);
      if (keys != null) {
        for (Object key : keys) {
          removeEntries(part, key, pid);
        }
      }
    }
  }

  /**
   * The registrations under a key.
   *
   * @param key the key
   * @return the entries, in no particular order (at most one with unique keys)
   */
  public List<Entry> lookup(Object key) {
    List<Entry> out = new ArrayList<>();
    dispatch(key, (pid, value) -> out.add(new Entry(pid, value)));
    return out;
  }

  /**
   * The process registered under a unique key.
   *
   * @param key the key
   * @return the process, or empty
   */
  public Optional<Pid> whereis(Object key) {
    List<Entry> entries = lookup(key);
    return entries.isEmpty() ? Optional.empty() : Optional.of(entries.getFirst().pid());
  }

  /**
   * The keys a process is registered under.
   *
   * @param pid the process
   * @return its keys (in registration order within a partition)
   */
  public List<Object> keys(Pid pid) {
    List<Object> out = new ArrayList<>();
    for (Partition part : partitions) {
      synchronized (part) {
        Set<Object> keys = part.byPid.get(pid);
        if (keys != null) {
          out.addAll(keys);
        }
      }
    }
    return out;
  }

  /**
   * The number of registrations.
   *
   * @return the count
   */
  public int count() {
    int n = 0;
    for (Partition part : partitions) {
      for (var entries : part.byKey.values()) {
        n += size(entries);
      }
    }
    return n;
  }

  /**
   * The number of registrations under a key.
   *
   * @param key the key
   * @return the count
   */
  public int count(Object key) {
    int n = 0;
    for (Partition part : partitions) {
      var entries = part.byKey.get(key);
      if (entries != null) {
        n += size(entries);
      }
    }
    return n;
  }

  /**
   * Every key with registrations, with their counts (for dashboards).
   *
   * @return key to count
   */
  public Map<Object, Integer> keyCounts() {
    Map<Object, Integer> out = new HashMap<>();
    for (Partition part : partitions) {
      part.byKey.forEach((key, entries) -> {
        int n = size(entries);
        if (n > 0) {
          out.merge(key, n, Integer::sum);
        }
      });
    }
    return out;
  }

  private static int size(ConcurrentHashMap<Pid, Object[]> entries) {
    int n = 0;
    for (Object[] values : entries.values()) {
      n += values.length;
    }
    return n;
  }

  /**
   * Calls {@code action} with every entry under a key, on the caller's thread and outside any lock
   * (so it may send, or call the registry). The entries are not copied first: a broadcast to a key
   * with many entries allocates nothing per entry.
   *
   * @param key the key
   * @param action what to do with each entry's pid and value
   */
  public void dispatch(Object key, BiConsumer<Pid, Object> action) {
    for (Partition part : partitions) {
      var entries = part.byKey.get(key);
      if (entries == null) {
        continue;
      }
      for (var e : entries.entrySet()) {
        Object[] values = e.getValue();
        for (Object v : values) {
          action.accept(e.getKey(), v);
        }
      }
    }
  }

  /**
   * An address that resolves a unique key at each use.
   *
   * @param key the key
   * @return the address
   * @throws IllegalStateException for a registry with duplicate keys
   */
  public Address via(Object key) {
    if (kind != Keys.UNIQUE) {
      throw new IllegalStateException("via needs a registry with unique keys");
    }
    Objects.requireNonNull(key, "key");
    return new Via(this, key);
  }

  private record Via(Registry registry, Object key) implements Address {
    @Override
    public Optional<Pid> resolve() {
      return registry.whereis(key);
    }

    @Override
    public String toString() {
      return "via(" + key + ")";
    }
  }
}
