package weft.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 * {@link #dispatch(Object, BiConsumer)} visits every entry of a key.
 *
 * {@snippet :
 * Registry rooms = Registry.unique();
 * GenServer.startLink(new Room("lobby"), StartOptions.via(rooms, "lobby"));
 * GenServer.call(rooms.via("lobby"), new Join("alice"), Duration.ofSeconds(5));
 * }
 *
 * <p>Threads: safe for concurrent use. Registration and unregistration act on the calling process,
 * as in Elixir; lookups may be made from any thread.
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

  private final Keys kind;

  // Guarded by this.
  private final Map<Object, List<Entry>> byKey = new HashMap<>();
  private final Map<Pid, Set<Object>> byPid = new HashMap<>();
  private final Map<Pid, Ref> hooks = new HashMap<>();

  private Registry(Keys kind) {
    this.kind = kind;
  }

  /**
   * A registry with unique keys.
   *
   * @return the registry
   */
  public static Registry unique() {
    return new Registry(Keys.UNIQUE);
  }

  /**
   * A registry with duplicate keys.
   *
   * @return the registry
   */
  public static Registry duplicate() {
    return new Registry(Keys.DUPLICATE);
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
   * Registers a process under a key (the calling process, or one being started on its behalf).
   *
   * @param pid the process
   * @param key the key
   * @param value the value
   */
  public void register(Pid pid, Object key, Object value) {
    Objects.requireNonNull(key, "key");
    ProcessCore p = Kernel.core(pid);
    synchronized (this) {
      List<Entry> entries = byKey.computeIfAbsent(key, k -> new ArrayList<>(1));
      if (kind == Keys.UNIQUE && !entries.isEmpty()) {
        throw new IllegalArgumentException(
            "key " + key + " is already registered to " + entries.getFirst().pid());
      }
      entries.add(new Entry(pid, value));
      byPid.computeIfAbsent(pid, k -> new LinkedHashSet<>()).add(key);
      if (hooks.containsKey(pid)) {
        return;
      }
      hooks.put(pid, Ref.make());
    }
    Ref hook = p.onExitCleanup(reason -> removeAll(pid));
    synchronized (this) {
      if (hooks.containsKey(pid)) {
        hooks.put(pid, hook);
      } else {
        p.removeWatcher(hook);
      }
    }
  }

  /**
   * Removes the calling process's registrations under a key.
   *
   * @param key the key
   */
  public void unregister(Object key) {
    Pid self = Process.self();
    synchronized (this) {
      List<Entry> entries = byKey.get(key);
      if (entries != null) {
        entries.removeIf(e -> e.pid().equals(self));
        if (entries.isEmpty()) {
          byKey.remove(key);
        }
      }
      Set<Object> keys = byPid.get(self);
      if (keys != null) {
        keys.remove(key);
        if (keys.isEmpty()) {
          byPid.remove(self);
          Ref hook = hooks.remove(self);
          if (hook != null) {
            Kernel.core(self).removeWatcher(hook);
          }
        }
      }
    }
  }

  private synchronized void removeAll(Pid pid) {
    hooks.remove(pid);
    Set<Object> keys = byPid.remove(pid);
    if (keys == null) {
      return;
    }
    for (Object key : keys) {
      List<Entry> entries = byKey.get(key);
      if (entries != null) {
        entries.removeIf(e -> e.pid().equals(pid));
        if (entries.isEmpty()) {
          byKey.remove(key);
        }
      }
    }
  }

  /**
   * The registrations under a key.
   *
   * @param key the key
   * @return the entries in registration order (at most one with unique keys)
   */
  public synchronized List<Entry> lookup(Object key) {
    List<Entry> entries = byKey.get(key);
    return entries == null ? List.of() : List.copyOf(entries);
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
   * @return its keys, in registration order
   */
  public synchronized List<Object> keys(Pid pid) {
    Set<Object> keys = byPid.get(pid);
    return keys == null ? List.of() : List.copyOf(keys);
  }

  /**
   * The number of registrations.
   *
   * @return the count
   */
  public synchronized int count() {
    int n = 0;
    for (List<Entry> entries : byKey.values()) {
      n += entries.size();
    }
    return n;
  }

  /**
   * Calls {@code action} with every entry under a key, outside the registry's lock (so it may send,
   * or call the registry).
   *
   * @param key the key
   * @param action what to do with each entry's pid and value
   */
  public void dispatch(Object key, BiConsumer<Pid, Object> action) {
    for (Entry e : lookup(key)) {
      action.accept(e.pid(), e.value());
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
