package weft.table;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiPredicate;
import java.util.stream.Stream;
import weft.process.Pid;
import weft.process.internal.Kernel;
import weft.process.internal.ProcessCore;

/**
 * A concurrent in-memory table owned by a process, as Erlang's ETS: any process (or thread) may
 * read it, and write it if its {@link Access} allows, without going through the owner. It is
 * deleted when its owner ends, unless it names an heir, which then inherits it.
 *
 * {@snippet :
 * Table<String, Long> hits = Table.create(TableOptions.of(Table.Type.SET)
 *     .withAccess(Table.Access.PUBLIC).withName("hits"));
 * hits.updateCounter("/index", 1, 0L);
 * long n = hits.get("/index").orElse(0L);
 * }
 *
 * <h2>Types</h2>
 *
 * <ul>
 *   <li>{@link Type#SET}: one value per key; insert replaces.
 *   <li>{@link Type#ORDERED_SET}: a set kept in key order ({@link #first()}, {@link #next}, {@link
 *       #entries()} in order).
 *   <li>{@link Type#BAG}: many values per key, no equal value twice under one key.
 *   <li>{@link Type#DUPLICATE_BAG}: many values per key, duplicates kept.
 * </ul>
 *
 * <h2>Failures</h2>
 *
 * Operations on a deleted table throw {@link IllegalStateException}; an operation its access
 * forbids throws {@link IllegalCallerException}. A {@code null} key or value throws {@link
 * NullPointerException}.
 *
 * <h2>Threads</h2>
 *
 * Every operation is atomic for its key (as in ETS); reads never block writers. Operations that
 * span keys ({@link #select}, {@link #entries}) are weakly consistent: they see a state at least as
 * new as when they began. Calls from threads that are not processes count as non-owners.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class Table<K, V> {

  /** The kinds of table. */
  public enum Type {
    /** One value per key. */
    SET,
    /** One value per key, kept in key order. */
    ORDERED_SET,
    /** Many distinct values per key. */
    BAG,
    /** Many values per key, duplicates allowed. */
    DUPLICATE_BAG
  }

  /** Who may use a table. */
  public enum Access {
    /** Everyone reads and writes. */
    PUBLIC,
    /** Everyone reads; only the owner writes. */
    PROTECTED,
    /** Only the owner reads and writes. */
    PRIVATE
  }

  private final TableOptions options;
  private final Kernel kernel;
  // One of the two is used: `single` for sets, `multi` for bags.
  private final ConcurrentMap<K, V> single;
  private final ConcurrentMap<K, List<V>> multi;
  private volatile ProcessCore owner;
  private volatile boolean deleted;

  @SuppressWarnings("unchecked")
  private Table(TableOptions options, ProcessCore owner) {
    this.options = options;
    this.owner = owner;
    this.kernel = owner.kernel();
    switch (options.type()) {
      case SET -> {
        single = new ConcurrentHashMap<>();
        multi = null;
      }
      case ORDERED_SET -> {
        Comparator<Object> order = options.comparator().orElse(null);
        single =
            order == null
                ? new ConcurrentSkipListMap<>()
                : new ConcurrentSkipListMap<>((a, b) -> order.compare(a, b));
        multi = null;
      }
      default -> {
        single = null;
        multi = new ConcurrentHashMap<>();
      }
    }
  }

  /**
   * Creates a table owned by the calling process.
   *
   * @param <K> the key type
   * @param <V> the value type
   * @param options type, access, name, heir
   * @return the table
   * @throws IllegalStateException outside a process
   * @throws IllegalArgumentException if the name is taken on this node
   */
  public static <K, V> Table<K, V> create(TableOptions options) {
    Objects.requireNonNull(options, "options");
    ProcessCore owner = ProcessCore.current();
    if (owner == null) {
      throw new IllegalStateException("a table is owned by a process: create it inside one");
    }
    owner.checkAlive();
    Table<K, V> table = new Table<>(options, owner);
    if (options.name().isPresent()
        && names(owner.kernel()).putIfAbsent(options.name().get(), table) != null) {
      throw new IllegalArgumentException(
          "a table named " + options.name().get() + " already exists");
    }
    table.watchOwner(owner);
    return table;
  }

  @SuppressWarnings("unchecked")
  private static ConcurrentMap<String, Table<?, ?>> names(Kernel kernel) {
    return kernel.extension(Table.class, k -> new ConcurrentHashMap<String, Table<?, ?>>());
  }

  /**
   * Finds a named table on the calling process's node.
   *
   * @param <K> the key type expected
   * @param <V> the value type expected
   * @param name the name
   * @return the table, or empty
   */
  @SuppressWarnings("unchecked")
  public static <K, V> Optional<Table<K, V>> named(String name) {
    ProcessCore self = ProcessCore.current();
    if (self == null) {
      throw new IllegalStateException("look up named tables from inside a process");
    }
    return Optional.ofNullable((Table<K, V>) names(self.kernel()).get(name));
  }

  private void watchOwner(ProcessCore current) {
    current.onExitCleanup(reason -> ownerExited(current));
  }

  private void ownerExited(ProcessCore previous) {
    if (deleted || owner != previous) {
      return;
    }
    TableOptions.Heir heir = options.heir().orElse(null);
    if (heir != null
        && !heir.pid().equals(previous)
        && Kernel.core(heir.pid()).exitReason() == null) {
      ProcessCore next = Kernel.core(heir.pid());
      owner = next;
      watchOwner(next);
      next.deliver(new TableTransfer(this, previous, heir.data()));
      return;
    }
    drop();
  }

  private void drop() {
    deleted = true;
    options.name().ifPresent(n -> names(kernel).remove(n, this));
    if (single != null) {
      single.clear();
    } else {
      multi.clear();
    }
  }

  /**
   * Deletes the table now. Owner only.
   *
   * @throws IllegalCallerException if the caller is not the owner
   */
  public void delete() {
    checkOwner("delete");
    drop();
  }

  /**
   * Gives the table to another process, which receives a {@link TableTransfer}. Owner only.
   *
   * @param newOwner the new owner, alive
   * @param data sent along in the transfer message
   */
  public void giveAway(Pid newOwner, Object data) {
    checkOwner("give away");
    ProcessCore next = Kernel.core(newOwner);
    if (next.isDead()) {
      throw new IllegalArgumentException(newOwner + " is not alive");
    }
    ProcessCore previous = owner;
    owner = next;
    watchOwner(next);
    next.deliver(new TableTransfer(this, previous, data));
  }

  /**
   * The owner.
   *
   * @return the owning process
   */
  public Pid owner() {
    return owner;
  }

  /**
   * The options the table was made with.
   *
   * @return the options
   */
  public TableOptions options() {
    return options;
  }

  /**
   * Whether the table has been deleted.
   *
   * @return true once deleted
   */
  public boolean isDeleted() {
    return deleted;
  }

  // ---------------------------------------------------------------- access checks

  private void checkRead() {
    checkLive();
    if (options.access() == Access.PRIVATE && !callerIsOwner()) {
      throw new IllegalCallerException(describe() + " is private to " + owner);
    }
  }

  private void checkWrite() {
    checkLive();
    if (options.access() != Access.PUBLIC && !callerIsOwner()) {
      throw new IllegalCallerException(
          describe()
              + " is "
              + options.access().name().toLowerCase()
              + ": only "
              + owner
              + " writes");
    }
  }

  private void checkOwner(String what) {
    checkLive();
    if (!callerIsOwner()) {
      throw new IllegalCallerException(
          "only the owner " + owner + " may " + what + " " + describe());
    }
  }

  private void checkLive() {
    if (deleted) {
      throw new IllegalStateException(describe() + " has been deleted");
    }
  }

  private boolean callerIsOwner() {
    return ProcessCore.current() == owner;
  }

  private String describe() {
    return "table " + options.name().orElse("@" + Integer.toHexString(hashCode()));
  }

  // ---------------------------------------------------------------- writes

  /**
   * Inserts a value: replaces in a set, adds in a bag (unless an equal value is there), adds in a
   * duplicate bag.
   *
   * @param key the key
   * @param value the value
   */
  public void insert(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    checkWrite();
    if (single != null) {
      single.put(key, value);
    } else {
      boolean dup = options.type() == Type.DUPLICATE_BAG;
      multi.compute(
          key,
          (k, old) -> {
            if (old == null) {
              return List.of(value);
            }
            if (!dup && old.contains(value)) {
              return old;
            }
            return Stream.concat(old.stream(), Stream.of(value)).toList();
          });
    }
  }

  /**
   * Inserts only if the key is absent.
   *
   * @param key the key
   * @param value the value
   * @return whether it was inserted
   */
  public boolean insertNew(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    checkWrite();
    return single != null
        ? single.putIfAbsent(key, value) == null
        : multi.putIfAbsent(key, List.of(value)) == null;
  }

  /**
   * Deletes every value under a key.
   *
   * @param key the key
   * @return whether there was any
   */
  public boolean delete(K key) {
    checkWrite();
    return single != null ? single.remove(key) != null : multi.remove(key) != null;
  }

  /**
   * Deletes one key-value pair (in a duplicate bag, every copy of it).
   *
   * @param key the key
   * @param value the value
   * @return whether it was there
   */
  public boolean deleteObject(K key, V value) {
    checkWrite();
    if (single != null) {
      return single.remove(key, value);
    }
    boolean[] removed = new boolean[1];
    multi.computeIfPresent(
        key,
        (k, old) -> {
          List<V> rest = old.stream().filter(v -> !v.equals(value)).toList();
          removed[0] = rest.size() != old.size();
          return rest.isEmpty() ? null : rest;
        });
    return removed[0];
  }

  /**
   * Adds to a numeric counter atomically (sets only; the value must be a {@link Long}).
   *
   * @param key the key
   * @param increment what to add (may be negative)
   * @return the new value
   * @throws NoSuchElementException if the key is absent
   * @throws IllegalArgumentException if the value is not a {@code Long} or the table is a bag
   */
  public long updateCounter(K key, long increment) {
    return counter(key, increment, null);
  }

  /**
   * Adds to a numeric counter atomically, starting from {@code initial} if the key is absent.
   *
   * @param key the key
   * @param increment what to add
   * @param initial the value before the increment when the key is absent
   * @return the new value
   */
  public long updateCounter(K key, long increment, long initial) {
    return counter(key, increment, initial);
  }

  @SuppressWarnings("unchecked")
  private long counter(K key, long increment, Long initial) {
    Objects.requireNonNull(key, "key");
    checkWrite();
    if (single == null) {
      throw new IllegalArgumentException("updateCounter needs a SET or ORDERED_SET table");
    }
    Object updated =
        single.compute(
            key,
            (k, old) -> {
              Object base = old != null ? old : initial;
              if (base == null) {
                throw new NoSuchElementException("no counter under key " + key);
              }
              if (!(base instanceof Long n)) {
                throw new IllegalArgumentException(
                    "value under " + key + " is not a Long counter: " + base);
              }
              return (V) Long.valueOf(n + increment);
            });
    return (Long) updated;
  }

  // ---------------------------------------------------------------- reads

  /**
   * Every value under a key (for a set, at most one).
   *
   * @param key the key
   * @return the values, in insertion order for bags
   */
  public List<V> lookup(K key) {
    checkRead();
    if (single != null) {
      V v = single.get(key);
      return v == null ? List.of() : List.of(v);
    }
    List<V> vs = multi.get(key);
    return vs == null ? List.of() : vs;
  }

  /**
   * The value under a key (for a bag, the first).
   *
   * @param key the key
   * @return the value, or empty
   */
  public Optional<V> get(K key) {
    List<V> vs = lookup(key);
    return vs.isEmpty() ? Optional.empty() : Optional.of(vs.getFirst());
  }

  /**
   * Whether the key is present.
   *
   * @param key the key
   * @return true if any value is under it
   */
  public boolean containsKey(K key) {
    checkRead();
    return single != null ? single.containsKey(key) : multi.containsKey(key);
  }

  /**
   * The number of key-value pairs.
   *
   * @return the size
   */
  public int size() {
    checkRead();
    if (single != null) {
      return single.size();
    }
    return multi.values().stream().mapToInt(List::size).sum();
  }

  /**
   * Every key-value pair, in key order for an ordered set.
   *
   * @return the pairs
   */
  public List<Map.Entry<K, V>> entries() {
    return select((k, v) -> true);
  }

  /**
   * The pairs that match a predicate (ETS's {@code select} with a match function), in key order for
   * an ordered set.
   *
   * @param match the predicate
   * @return the matching pairs
   */
  public List<Map.Entry<K, V>> select(BiPredicate<? super K, ? super V> match) {
    checkRead();
    List<Map.Entry<K, V>> out = new ArrayList<>();
    if (single != null) {
      single.forEach((k, v) -> {
        if (match.test(k, v)) {
          out.add(new AbstractMap.SimpleImmutableEntry<>(k, v));
        }
      });
    } else {
      multi.forEach((k, vs) -> {
        for (V v : vs) {
          if (match.test(k, v)) {
            out.add(new AbstractMap.SimpleImmutableEntry<>(k, v));
          }
        }
      });
    }
    return out;
  }

  /**
   * The first key: the smallest for an ordered set, any for the others.
   *
   * @return the key, or empty for an empty table
   */
  public Optional<K> first() {
    checkRead();
    if (single instanceof NavigableMap<K, V> sorted) {
      return Optional.ofNullable(sorted.isEmpty() ? null : sorted.firstKey());
    }
    var keys = single != null ? single.keySet() : multi.keySet();
    var it = keys.iterator();
    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
  }

  /**
   * The key after {@code key} in an ordered set.
   *
   * @param key the key (need not be present)
   * @return the next greater key, or empty at the end
   * @throws IllegalArgumentException for tables that are not ordered sets
   */
  public Optional<K> next(K key) {
    checkRead();
    if (single instanceof NavigableMap<K, V> sorted) {
      return Optional.ofNullable(sorted.higherKey(key));
    }
    throw new IllegalArgumentException("next needs an ORDERED_SET table");
  }

  /**
   * The greatest key of an ordered set.
   *
   * @return the key, or empty for an empty table
   * @throws IllegalArgumentException for tables that are not ordered sets
   */
  public Optional<K> last() {
    checkRead();
    if (single instanceof NavigableMap<K, V> sorted) {
      return Optional.ofNullable(sorted.isEmpty() ? null : sorted.lastKey());
    }
    throw new IllegalArgumentException("last needs an ORDERED_SET table");
  }

  @Override
  public String toString() {
    return describe() + "(" + options.type() + ", " + options.access() + ", owner " + owner + ")";
  }
}
