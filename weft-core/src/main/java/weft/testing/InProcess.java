package weft.testing;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import weft.process.Node;
import weft.process.Pid;
import weft.process.ProcessBody;

/**
 * Runs a test body inside a Weft process (where {@code Process.self()}, {@code receive} and links
 * work) and rethrows on the test's thread what it threw.
 */
public final class InProcess {

  /** Generous bound on any single test body; tests never rely on it for synchronisation. */
  public static final Duration LIMIT = Duration.ofSeconds(30);

  private InProcess() {}

  /**
   * Runs the body in a fresh process of the node and waits for it to end.
   *
   * @param node the node
   * @param body the test body
   * @throws AssertionError if the body does not finish within {@link #LIMIT} (the process is left
   *     running), or wrapping a checked exception it threw; its unchecked exceptions and errors are
   *     rethrown as they are
   */
  public static void run(Node node, ProcessBody body) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Pid pid =
        node.spawn(() -> {
          try {
            body.run();
          } catch (Throwable t) {
            failure.set(t);
          }
        });
    try {
      node.awaitExit(pid, LIMIT);
    } catch (TimeoutException e) {
      throw new AssertionError("test process did not finish within " + LIMIT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    if (t != null) {
      throw new AssertionError(t);
    }
  }
}
