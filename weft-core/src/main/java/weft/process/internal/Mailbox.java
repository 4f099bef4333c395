package weft.process.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/*
 * Design: a mailbox is two queues, as in the BEAM. Senders append to a lock-free `incoming`
 * queue and unpark the owner if it is parked; they never block and never take a lock. The owner
 * alone moves messages into its private linked list, which it scans for selective receive.
 *
 * A receive scans the private list from the head; when nothing matches, it remembers the last
 * node it looked at, drains `incoming` onto the tail and goes on from there, so each message is
 * tested once per receive however often the owner wakes. Removal of the matched node is O(1).
 *
 * Parking protocol: the owner publishes itself in `waiter`, re-checks `incoming`, then parks;
 * a sender offers, then reads `waiter` and unparks. Either the owner sees the message on its
 * re-check, or the sender sees the waiter: no wake-up is lost (unpark before park leaves a
 * permit).
 *
 * Threads: `incoming`, `size` and `waiter` are shared; head/tail/nodes are owner-only.
 */
final class Mailbox {

  /** Returned by {@link #receive} when the timeout elapsed. */
  static final Object TIMED_OUT = new Object();

  private static final class Node {
    final Object message;
    Node next;

    Node(Object message) {
      this.message = message;
    }
  }

  private final ConcurrentLinkedQueue<Object> incoming = new ConcurrentLinkedQueue<>();
  private static final VarHandle SIZE;

  static {
    try {
      SIZE = MethodHandles.lookup().findVarHandle(Mailbox.class, "size", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // Messages waiting, for introspection; updated atomically through SIZE (no extra object).
  private volatile int size;
  private volatile Thread waiter;

  // Owner-only.
  private Node head;
  private Node tail;

  /** Appends a message; any thread; never blocks. */
  void put(Object message) {
    incoming.offer(message);
    SIZE.getAndAdd(this, 1);
    Thread w = waiter;
    if (w != null) {
      LockSupport.unpark(w);
    }
  }

  int size() {
    return size;
  }

  boolean isWaiting() {
    return waiter != null;
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
    long deadline = timeoutNanos > 0 ? Timeouts.deadline(timeoutNanos) : 0;
    Node prev = null;
    Node cur = head;
    while (true) {
      while (cur != null) {
        if (match.test(cur.message)) {
          unlink(prev, cur);
          SIZE.getAndAdd(this, -1);
          return cur.message;
        }
        prev = cur;
        cur = cur.next;
      }
      if (drain()) {
        cur = prev == null ? head : prev.next;
        continue;
      }
      owner.checkAlive();
      long remaining = 0;
      if (timeoutNanos == 0) {
        return TIMED_OUT;
      } else if (timeoutNanos > 0) {
        remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return TIMED_OUT;
        }
      }
      waiter = Thread.currentThread();
      try {
        if (!incoming.isEmpty()) {
          continue;
        }
        if (timeoutNanos < 0) {
          LockSupport.park(this);
        } else {
          LockSupport.parkNanos(this, remaining);
        }
      } finally {
        waiter = null;
      }
      if (Thread.interrupted()) {
        // Exit signals interrupt the thread; any other interrupt is not a Weft concept.
        owner.checkAlive();
      }
    }
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
        SIZE.getAndAdd(this, -1);
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
    incoming.clear();
    size = 0;
  }

  private boolean drain() {
    Object m = incoming.poll();
    if (m == null) {
      return false;
    }
    do {
      Node n = new Node(m);
      if (tail == null) {
        head = n;
      } else {
        tail.next = n;
      }
      tail = n;
      m = incoming.poll();
    } while (m != null);
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
