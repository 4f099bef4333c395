package weft.process;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a test body inside a Weft process and rethrows what it threw. */
public final class InProcess {

  /** Generous bound on any single test body; tests never rely on it for synchronisation. */
  public static final Duration LIMIT = Duration.ofSeconds(30);

  private InProcess() {}

  /** Runs the body in a fresh process of the node and waits for it to end. */
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
