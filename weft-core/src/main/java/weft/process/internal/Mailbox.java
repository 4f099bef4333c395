package weft.process.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/*
 * Design: a mailbox is two lists, as in the BEAM. Senders push onto `incoming`, a lock-free stack
 * (newest first): one compare-and-set each, never a lock, never a wait. The owner alone takes the
 * whole stack at once (one atomic swap), reverses it (restoring arrival order) and appends it to
 * its private list, which it scans for selective receive. The node a sender allocates is the node
 * the private list keeps: one allocation per message.
 *
 * A receive scans the private list from the head; when nothing matches, it remembers the last node
 * it looked at, takes what arrived and goes on from there, so each message is tested once per
 * receive however often the owner wakes. Removal of the matched node is O(1).
 *
 * Parking protocol: `incoming` doubles as the owner's "I am parked" flag. Before it parks, the
 * owner swaps an empty `incoming` for the PARKED marker with a compare-and-set; a sender that finds
 * the marker replaces it with its message and unparks the owner. Either the owner's CAS fails
 * (something arrived: it takes it instead of parking), or the sender sees the marker: no wake-up
 * is lost, and a sender pays for an unpark only when the owner really sleeps. A woken owner that
 * finds the marker still there (timeout, interrupt) takes it back.
 *
 * Spinning: an owner whose recent waits were short (woken within a scheduler tick) looks again
 * for a few microseconds before it parks, as LinkedTransferQueue does, but only when no other
 * process waits for a carrier, not even the one it has just woken (spinning then costs nobody
 * anything; the one it woke runs on this carrier when it parks). It learns per mailbox: a spin that ends in a park halves the next
 * budget, a short park (the sender answered soon after) raises it. A process that waits for a
 * ring of ten thousand, or for a client, never spins.
 *
 * Length: each pushed node records the length of the stack it tops (`depth`), so the length of
 * `incoming` is its head's depth and the mailbox's length costs no shared counter.
 *
 * Threads: `incoming` is shared (CAS); head, tail, count and the spin budget are the owner's;
 * `count` is read without synchronisation by introspection (a stale value is acceptable).
 */
final class Mailbox {

  /** Returned by {@link #receive} when the timeout elapsed. */
  static final Object TIMED_OUT = new Object();

  private static final class Node {
    final Object message;
    Node next;
    int depth;

    Node(Object message) {
      this.message = message;
    }
  }

  /** The owner is parked, or about to park: the next sender must unpark it. */
  private static final Node PARKED = new Node(null);

  private static final VarHandle INCOMING;

  static {
    try {
      INCOMING = MethodHandles.lookup().findVarHandle(Mailbox.class, "incoming", Node.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Spin at most this many rounds of Thread.onSpinWait() before parking (some 50 µs). */
  private static final int MAX_SPIN = 1 << 11;

  private volatile Node incoming;

  // Owner-only.
  private Node head;
  private Node tail;
  private int count;
  private int spin;

  /**
   * Appends a message; any thread; never blocks.
   *
   * @param message the message
   * @param owner the owner's thread, unparked if it waits
   */
  void put(Object message, Thread owner) {
    Node n = new Node(message);
    while (true) {
      Node h = incoming;
      if (h == PARKED) {
        n.next = null;
        n.depth = 1;
        if (INCOMING.compareAndSet(this, h, n)) {
          LockSupport.unpark(owner);
          return;
        }
      } else {
        n.next = h;
        n.depth = h == null ? 1 : h.depth + 1;
        if (INCOMING.compareAndSet(this, h, n)) {
          return;
        }
      }
    }
  }

  /** Messages waiting (approximate when read by another thread than the owner). */
  int size() {
    Node h = incoming;
    return count + (h == null || h == PARKED ? 0 : h.depth);
  }

  /** Whether the owner is parked in a receive. */
  boolean isWaiting() {
    return incoming == PARKED;
  }

  /**
   * Takes the first message that matches, in arrival order. Owner thread only.
   *
   * @param match the pattern
   * @param timeoutNanos how long to wait; negative waits forever; zero only looks
   * @param owner checked for a pending exit whenever the owner wakes
   * @return the message, or {@link #TIMED_OUT}
   */
  Object receive(Predicate<Object> match, long timeoutNanos, ProcessCore owner) {
    long deadline = timeoutNanos > 0 ? owner.kernel().deadline(timeoutNanos) : 0;
    Node prev = null;
    Node cur = head;
    while (true) {
      while (cur != null) {
        if (match.test(cur.message)) {
          unlink(prev, cur);
          count--;
          return cur.message;
        }
        prev = cur;
        cur = cur.next;
      }
      if (!drain() && !await(timeoutNanos, deadline, owner)) {
        return TIMED_OUT;
      }
      cur = prev == null ? head : prev.next;
    }
  }

  /**
   * Waits until something arrives; kept apart from {@link #receive} so that the receive itself
   * stays small enough for the JIT to inline into its caller: fewer frames to freeze and thaw when
   * the virtual thread parks and resumes.
   *
   * @return false if the time ran out first
   */
  private boolean await(long timeoutNanos, long deadline, ProcessCore owner) {
    while (true) {
      owner.checkAlive();
      long remaining = 0;
      if (timeoutNanos == 0) {
        return false;
      } else if (timeoutNanos > 0) {
        remaining = deadline - owner.kernel().nanoTime();
        if (remaining <= 0) {
          return false;
        }
      }
      if (spin > 0 && spinFor()) {
        return drain();
      }
      if (!INCOMING.compareAndSet(this, null, PARKED)) {
        return drain(); // something arrived meanwhile
      }
      long parkedAt = WeftScheduler.ticks();
      if (timeoutNanos < 0) {
        LockSupport.park(this);
      } else {
        owner.kernel().parkUntil(this, deadline);
      }
      if (incoming == PARKED) {
        INCOMING.compareAndSet(this, PARKED, null); // woken without a message: take the flag back
      } else if (WeftScheduler.ticks() - parkedAt <= 1) {
        spin = Math.min(MAX_SPIN, spin == 0 ? 16 : spin * 2);
      }
      if (Thread.interrupted()) {
        // Exit signals interrupt the thread; any other interrupt is not a Weft concept.
        owner.checkAlive();
      }
      if (drain()) {
        return true;
      }
    }
  }

  /**
   * Looks for a message for up to {@link #spin} rounds, when no other process waits for a carrier.
   *
   * @return true if one arrived
   */
  private boolean spinFor() {
    if (!WeftScheduler.spinAllowed()) {
      return false;
    }
    for (int i = 0; i < spin; i++) {
      if (incoming != null) {
        spin = Math.min(MAX_SPIN, spin * 2);
        return true;
      }
      Thread.onSpinWait();
    }
    spin >>= 2;
    return false;
  }

  /** Removes every message for which the predicate holds. Owner thread only. */
  int removeIf(Predicate<Object> match) {
    drain();
    int removed = 0;
    Node prev = null;
    Node cur = head;
    while (cur != null) {
      Node next = cur.next;
      if (match.test(cur.message)) {
        unlink(prev, cur);
        count--;
        removed++;
      } else {
        prev = cur;
      }
      cur = next;
    }
    return removed;
  }

  /** Drops everything; owner thread, when the process has ended. */
  void clear() {
    head = null;
    tail = null;
    count = 0;
    INCOMING.getAndSet(this, (Node) null);
  }

  /** Moves what arrived onto the private list, in arrival order; false if nothing had. */
  private boolean drain() {
    Node h = incoming;
    if (h == null) {
      return false;
    }
    h = (Node) INCOMING.getAndSet(this, (Node) null);
    count += h.depth;
    // Reverse the stack (newest first) into arrival order and append it.
    Node first = null;
    Node last = h;
    for (Node n = h; n != null; ) {
      Node next = n.next;
      n.next = first;
      first = n;
      n = next;
    }
    if (tail == null) {
      head = first;
    } else {
      tail.next = first;
    }
    tail = last;
    return true;
  }

  private void unlink(Node prev, Node cur) {
    if (prev == null) {
      head = cur.next;
    } else {
      prev.next = cur.next;
    }
    if (tail == cur) {
      tail = prev;
    }
    cur.next = null;
  }
}
