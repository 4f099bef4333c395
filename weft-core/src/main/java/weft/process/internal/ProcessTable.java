package weft.process.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/*
 * Design: a node's live processes, as the BEAM's process table: indexed by the process's id, which
 * the kernel hands out in order. Ids fall into chunks of 1,024 slots; a chunk exists while any of
 * its processes lives, and is dropped once every id of it has been added and none is left. So a
 * burst of a million processes that then end leaves no trace (a hash set would keep its grown
 * table, and every later insert and removal would miss the cache in it), and processes spawned
 * together sit together.
 *
 * Dropping is safe because a chunk is dropped only when all its ids have been added (`added` ==
 * CHUNK): no add can come for it afterwards. An id whose spawn failed before its add would keep its
 * chunk, which costs one chunk.
 *
 * Threads: any thread adds and removes; iteration is weakly consistent, like a concurrent map's.
 */
/** The live processes of one node, by id. */
final class ProcessTable {

  private static final int SHIFT = 10;
  private static final int CHUNK = 1 << SHIFT;

  private static final class Chunk {
    final long index;
    final AtomicReferenceArray<ProcessCore> slots = new AtomicReferenceArray<>(CHUNK);
    final AtomicInteger added = new AtomicInteger();
    final AtomicInteger live = new AtomicInteger();

    Chunk(long index) {
      this.index = index;
    }
  }

  private final ConcurrentHashMap<Long, Chunk> chunks = new ConcurrentHashMap<>();
  private final LongAdder count = new LongAdder();

  // Ids are handed out in order, so spawns (and, mostly, exits) hit the chunk they hit last: a
  // field read instead of a boxed map lookup. A chunk stays valid after it left the map (it left
  // because none of its ids can be added or removed any more).
  private volatile Chunk lastAdded;
  private volatile Chunk lastRemoved;

  void add(ProcessCore p) {
    long index = p.id() >>> SHIFT;
    Chunk c = lastAdded;
    if (c == null || c.index != index) {
      c = chunks.get(index);
      if (c == null) {
        c = chunks.computeIfAbsent(index, Chunk::new);
      }
      lastAdded = c;
    }
    c.live.incrementAndGet();
    c.slots.set((int) (p.id() & (CHUNK - 1)), p);
    c.added.incrementAndGet();
    count.increment();
  }

  void remove(ProcessCore p) {
    long index = p.id() >>> SHIFT;
    Chunk c = lastRemoved;
    if (c == null || c.index != index) {
      c = chunks.get(index);
      if (c != null) {
        lastRemoved = c;
      }
    }
    int slot = (int) (p.id() & (CHUNK - 1));
    if (c == null || !c.slots.compareAndSet(slot, p, null)) {
      return;
    }
    count.decrement();
    if (c.live.decrementAndGet() == 0 && c.added.get() == CHUNK) {
      chunks.remove(index, c);
    }
  }

  int size() {
    return (int) Math.max(0, count.sum());
  }

  boolean isEmpty() {
    return size() == 0;
  }

  void forEach(Consumer<ProcessCore> action) {
    for (Chunk c : chunks.values()) {
      for (int i = 0; i < CHUNK; i++) {
        ProcessCore p = c.slots.get(i);
        if (p != null) {
          action.accept(p);
        }
      }
    }
  }

  /** Chunks held now (for tests). */
  int chunks() {
    return chunks.size();
  }

  List<ProcessCore> list() {
    List<ProcessCore> out = new ArrayList<>(size());
    forEach(out::add);
    return out;
  }
}
