package weft.application;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.supervisor.Supervisor;

/** A started {@link Application}: its node, its root supervisor and its configuration. */
public final class Running implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Running.class);

  /** How long {@link #close} waits for the tree to stop before the node kills what is left. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final Node node;
  private final Pid root;
  private final Config config;
  private final List<AutoCloseable> resources;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private Running(String name, Node node, Pid root, Config config, List<AutoCloseable> resources) {
    this.name = name;
    this.node = node;
    this.root = root;
    this.config = config;
    this.resources = resources;
  }

  static Running start(Application application, Config config) throws Exception {
    String name = application.name();
    Node node = Node.start(name);
    Assembly app = new Assembly(node);
    try {
      application.build(config, app);
      Pid root = Supervisor.start(node, app.options().withName(name), app.children());
      LOG.info("{} started: {}", name, String.join(", ", config.describe()));
      return new Running(name, node, root, config, app.resources());
    } catch (Exception | Error e) {
      node.close();
      closeAll(name, app.resources());
      throw e;
    }
  }

  /**
   * The node the application runs on.
   *
   * @return the node
   */
  public Node node() {
    return node;
  }

  /**
   * The root supervisor (registered under the application's name).
   *
   * @return its pid
   */
  public Pid root() {
    return root;
  }

  /**
   * The configuration it started with.
   *
   * @return the configuration
   */
  public Config config() {
    return config;
  }

  /**
   * Stops the tree in reverse start order (each part as its child spec says: an endpoint drains,
   * queues let running jobs finish), waiting up to {@link #STOP_TIMEOUT}; then stops the node and
   * closes the resources given to {@link Assembly#closeAfterStop}, in reverse order. A second call
   * does nothing. A resource that fails to close is logged and the others are still closed.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      node.exit(root, ExitReason.SHUTDOWN);
      try {
        node.awaitExit(root, STOP_TIMEOUT);
      } catch (Exception e) {
        LOG.warn("{} did not stop within {}; stopping its node", name, STOP_TIMEOUT);
      }
      node.close();
      closeAll(name, resources);
    } finally {
      stopped.countDown();
    }
  }

  /**
   * Waits until {@link #close} has finished (from another thread, or the shutdown hook).
   *
   * @throws InterruptedException if interrupted
   */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  private static void closeAll(String name, List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.warn("{}: closing {} failed: {}", name, resources.get(i), e.toString());
      }
    }
  }
}
