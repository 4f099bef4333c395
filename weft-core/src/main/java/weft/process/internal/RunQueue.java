package weft.process.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/*
 * Design: a carrier's run queue, as Go's runq: a fixed ring of 256 slots, one producer (the
 * carrier's own thread: whatever runs on a carrier runs one at a time, and the JDK pins a virtual
 * thread for the whole of a submit), many consumers (the carrier itself and thieves). The producer
 * writes a slot, then publishes it by a release store of `tail`; a consumer reads `tail` with
 * acquire, reads the slot, and claims it by a CAS on `head`. The producer never writes a slot a
 * consumer may still read: it only writes while fewer than 256 tasks are queued. No allocation and
 * one CAS per task, where a ConcurrentLinkedQueue takes a node and two CASes.
 *
 * Slots are not cleared after a take (clearing would race with the producer's next lap), so a
 * ring keeps up to 256 references to tasks that already ran: a bounded, short-lived retention.
 *
 * Full: offer() returns false and the caller puts the task in the global queue.
 */
/** A bounded single-producer, multi-consumer FIFO of tasks. */
final class RunQueue {

  private static final int CAPACITY = 4096;
  private static final int MASK = CAPACITY - 1;
  private static final VarHandle HEAD;
  private static final VarHandle TAIL;
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Runnable[].class);

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      HEAD = l.findVarHandle(RunQueue.class, "head", int.class);
      TAIL = l.findVarHandle(RunQueue.class, "tail", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Runnable[] slots = new Runnable[CAPACITY];
  private volatile int head;
  private volatile int tail;

  /**
   * Appends a task; the owning carrier's thread only.
   *
   * @return false if the queue is full
   */
  boolean offer(Runnable task) {
    int t = (int) TAIL.getOpaque(this);
    if (t - (int) HEAD.getAcquire(this) >= CAPACITY) {
      return false;
    }
    SLOTS.setOpaque(slots, t & MASK, task);
    TAIL.setRelease(this, t + 1);
    return true;
  }

  /** Takes the oldest task, or null; any thread. */
  Runnable poll() {
    while (true) {
      int h = (int) HEAD.getAcquire(this);
      int t = (int) TAIL.getAcquire(this);
      if (h == t) {
        return null;
      }
      Runnable task = (Runnable) SLOTS.getOpaque(slots, h & MASK);
      if (HEAD.compareAndSet(this, h, h + 1)) {
        return task;
      }
    }
  }

  boolean isEmpty() {
    return (int) HEAD.getAcquire(this) == (int) TAIL.getAcquire(this);
  }

  int size() {
    return Math.max(0, (int) TAIL.getAcquire(this) - (int) HEAD.getAcquire(this));
  }
}
