package weft.supervisor;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import weft.genserver.GenServer;
import weft.genserver.StartException;
import weft.genserver.StartOptions;
import weft.process.Address;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;

/**
 * A supervisor, as OTP's {@code supervisor}: a process that starts children in order, restarts them
 * by its {@link Strategy} when they end, stops them in reverse order, and gives up (exits with
 * {@code shutdown}, so that its own supervisor decides) when restarts come too often.
 *
 * {@snippet :
 * Pid sup = Supervisor.start(node, SupervisorOptions.of(Strategy.ONE_FOR_ONE), List.of(
 *     ChildSpec.worker("cache", () -> GenServer.startLink(new Cache())),
 *     ChildSpec.worker("clock", () -> GenServer.startLink(new Clock()))));
 * }
 *
 * <h2>Rules (OTP's)</h2>
 *
 * <ul>
 *   <li>{@code start} returns once every child has started, in list order; if one fails, those
 *       already started are stopped in reverse order and start throws {@link StartException} with
 *       reason {@code {shutdown, FailedToStartChild(id, reason)}}.
 *   <li>A child that ends is restarted according to its {@link Restart} type; more than {@code
 *       maxRestarts} restarts within {@code period} make the supervisor stop all children and exit
 *       with {@code shutdown}.
 *   <li>When the supervisor is stopped (its parent's {@code shutdown}, or {@link GenServer#stop}),
 *       it stops its children in reverse start order, each by its {@link Shutdown}.
 *   <li>Each restart is logged at WARN, giving up at ERROR.
 * </ul>
 *
 * <p>The management functions ({@link #whichChildren}, {@link #startChild}, ...) are calls to the
 * supervisor process, and wait for ever by default as OTP's do, because the supervisor may be busy
 * stopping or starting children; each has an overload that takes a timeout. They fail with {@link
 * weft.genserver.CallException} if the supervisor is not alive.
 */
public final class Supervisor {

  private Supervisor() {}

  /**
   * Starts a supervisor linked to the calling process; returns once all children have started.
   *
   * @param options strategy, intensity, name
   * @param children the child specs, in start order; ids must be unique
   * @return the supervisor
   * @throws StartException if a child failed to start, or the name was taken
   * @throws IllegalArgumentException for duplicate child ids
   */
  public static Pid startLink(SupervisorOptions options, List<ChildSpec> children) {
    return GenServer.startLink(new SupervisorServer(options, children), startOptions(options));
  }

  /**
   * Starts a top-level supervisor from outside any process. {@link Node#stop(Duration)} stops it
   * (and so its children, in order).
   *
   * @param node the node
   * @param options strategy, intensity, name
   * @param children the child specs, in start order
   * @return the supervisor
   * @throws StartException if a child failed to start, or the name was taken
   */
  public static Pid start(Node node, SupervisorOptions options, List<ChildSpec> children) {
    return GenServer.start(node, new SupervisorServer(options, children), startOptions(options));
  }

  private static StartOptions startOptions(SupervisorOptions options) {
    return options.name().map(StartOptions::named).orElseGet(StartOptions::defaults);
  }

  /**
   * The children, in start order.
   *
   * @param supervisor the supervisor
   * @return each child's id, pid (if running), type and restart
   */
  public static List<ChildInfo> whichChildren(Address supervisor) {
    return whichChildren(supervisor, Process.INFINITY);
  }

  /**
   * The children, in start order, waiting at most {@code timeout}.
   *
   * @param supervisor the supervisor
   * @param timeout how long to wait for the supervisor
   * @return the children
   */
  public static List<ChildInfo> whichChildren(Address supervisor, Duration timeout) {
    return GenServer.call(supervisor, new SupervisorServer.WhichChildren(), timeout);
  }

  /**
   * Counts the children.
   *
   * @param supervisor the supervisor
   * @return the counts
   */
  public static ChildCounts countChildren(Address supervisor) {
    return GenServer.call(supervisor, new SupervisorServer.CountChildren(), Process.INFINITY);
  }

  /**
   * Adds a child and starts it.
   *
   * @param supervisor the supervisor
   * @param spec the child
   * @return the child's pid
   * @throws IllegalStateException if a child with that id exists
   * @throws StartException if it did not start (or answered ignore)
   */
  public static Pid startChild(Address supervisor, ChildSpec spec) {
    return (Pid)
        unwrap(GenServer.call(supervisor, new SupervisorServer.StartChild(spec), Process.INFINITY));
  }

  /**
   * Stops a child by its shutdown; its spec stays (unless temporary) for {@link #restartChild}. The
   * supervisor does not restart it.
   *
   * @param supervisor the supervisor
   * @param id the child's id
   * @throws NoSuchElementException if there is no such child
   */
  public static void terminateChild(Address supervisor, Object id) {
    unwrap(GenServer.call(supervisor, new SupervisorServer.TerminateChild(id), Process.INFINITY));
  }

  /**
   * Starts a stopped child again from its spec.
   *
   * @param supervisor the supervisor
   * @param id the child's id
   * @return its new pid
   * @throws NoSuchElementException if there is no such child
   * @throws IllegalStateException if it is running
   * @throws StartException if it did not start
   */
  public static Pid restartChild(Address supervisor, Object id) {
    return (Pid)
        unwrap(GenServer.call(supervisor, new SupervisorServer.RestartChild(id), Process.INFINITY));
  }

  /**
   * Removes a stopped child's spec.
   *
   * @param supervisor the supervisor
   * @param id the child's id
   * @throws NoSuchElementException if there is no such child
   * @throws IllegalStateException if it is running
   */
  public static void deleteChild(Address supervisor, Object id) {
    unwrap(GenServer.call(supervisor, new SupervisorServer.DeleteChild(id), Process.INFINITY));
  }

  static Object unwrap(Object reply) {
    return switch (reply) {
      case SupervisorServer.Refused(boolean notFound, String message) when notFound ->
          throw new NoSuchElementException(message);
      case SupervisorServer.Refused(boolean notFound, String message) ->
          throw new IllegalStateException(message);
      case StartException e -> throw e;
      default -> reply;
    };
  }
}
