package weft.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * What a test has received and not yet looked at, read by selective waits: {@link #take} removes
 * the first item that matches (the others stay, in order), waiting for one to arrive. The mailbox
 * of a {@link Probe}, and of the client side of weft-test's channel tester. Thread-safe: any thread
 * adds, the test takes.
 *
 * @param <T> what it holds
 */
public final class Inbox<T> {

  /** Nothing matching arrived in time (an {@link AssertionError}, so tests fail with it). */
  public static final class Timeout extends AssertionError {
    @java.io.Serial private static final long serialVersionUID = 1L;

    Timeout(String message) {
      super(message);
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  // Guarded by lock.
  private final List<T> items = new ArrayList<>();

  /** Creates an empty inbox. */
  public Inbox() {}

  /**
   * Adds an item and wakes the waits.
   *
   * @param item the item
   */
  public void add(T item) {
    Objects.requireNonNull(item, "item");
    lock.lock();
    try {
      items.add(item);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes and returns the first item that matches, waiting up to the timeout for one.
   *
   * @param match what to take
   * @param timeout how long to wait (zero: only what is there)
   * @param what what is awaited, for the failure's message (as {@code "no reply to 3"})
   * @return the item
   * @throws Timeout if none matched in time; its message lists what the inbox holds
   */
  public T take(Predicate<? super T> match, Duration timeout, String what) {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        for (Iterator<T> it = items.iterator(); it.hasNext(); ) {
          T item = it.next();
          if (match.test(item)) {
            it.remove();
            return item;
          }
        }
        if (left <= 0) {
          throw new Timeout(what + " within " + timeout + "; received: " + items);
        }
        left = arrived.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      lock.unlock();
    }
  }
}
