package weft.process;

/**
 * Where a node's runtime reads the time and waits for it: {@code sendAfter} and {@code
 * sendInterval}, {@code receive} and {@code sleep} timeouts, and {@code GenServer.call} timeouts. A
 * node runs on the system's monotonic clock unless it is started with another ({@link
 * Node#start(String, TimeSource)}); tests give it a {@link weft.testing.ManualClock}, whose time
 * moves only when the test moves it, so a five-minute timeout is tested without waiting five
 * minutes and without a race against the machine's speed.
 *
 * <p>Implementations must be thread-safe. Time is in nanoseconds on an arbitrary origin, and never
 * goes backwards.
 */
public interface TimeSource {

  /**
   * The current time.
   *
   * @return nanoseconds since an arbitrary origin, never less than an earlier answer
   */
  long nanoTime();

  /**
   * Runs {@code task} once, when the time reaches {@code nanoTime() + delayNanos} (on whatever
   * thread moves the time there). The task must be quick and must not block: the runtime's tasks
   * only enqueue a message or unpark a thread.
   *
   * @param task what to run
   * @param delayNanos how long from now; zero or less runs it as soon as possible
   * @return a handle that cancels it
   */
  Timer schedule(Runnable task, long delayNanos);

  /**
   * Runs {@code task} every {@code periodNanos}, the first time one period from now, at a fixed
   * rate: when the time jumps over several periods at once, it runs once for each.
   *
   * @param task what to run
   * @param periodNanos the period, positive
   * @return a handle that cancels the runs to come
   */
  Timer scheduleAtFixedRate(Runnable task, long periodNanos);

  /**
   * Parks the calling thread until the time reaches {@code deadlineNanos}, or it is unparked or
   * interrupted, or spuriously: callers check their condition and the time again, in a loop.
   *
   * @param blocker the object the thread is parked on (for diagnostics)
   * @param deadlineNanos on the {@link #nanoTime()} scale
   */
  void parkUntil(Object blocker, long deadlineNanos);

  /** A scheduled task. */
  interface Timer {
    /**
     * Cancels the task.
     *
     * @return true if it had not run yet (and now never will)
     */
    boolean cancel();
  }
}
