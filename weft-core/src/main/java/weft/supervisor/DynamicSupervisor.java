package weft.supervisor;

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
 * A supervisor that starts with no children and starts them on demand, as Elixir's {@code
 * DynamicSupervisor}: one-for-one, children identified by pid, an optional limit on how many run.
 *
 * {@snippet :
 * Pid rooms = DynamicSupervisor.start(node, DynamicSupervisorOptions.defaults().withMaxChildren(1000));
 * Pid room = DynamicSupervisor.startChild(rooms,
 *     ChildSpec.worker("room", () -> GenServer.startLink(new Room("lobby"))).withRestart(Restart.TRANSIENT));
 * }
 *
 * <p>Restarts follow each child's {@link Restart} type and count against the intensity; past it the
 * supervisor stops every child and exits with {@code shutdown}. When stopped, it stops its children
 * in reverse start order. Calls wait for ever, as OTP's do.
 */
public final class DynamicSupervisor {

  private DynamicSupervisor() {}

  /**
   * Starts a dynamic supervisor linked to the calling process.
   *
   * @param options limits, intensity and name
   * @return the supervisor
   */
  public static Pid startLink(DynamicSupervisorOptions options) {
    return GenServer.startLink(new DynamicSupervisorServer(options), startOptions(options));
  }

  /**
   * Starts a top-level dynamic supervisor from outside any process.
   *
   * @param node the node
   * @param options limits, intensity and name
   * @return the supervisor
   */
  public static Pid start(Node node, DynamicSupervisorOptions options) {
    return GenServer.start(node, new DynamicSupervisorServer(options), startOptions(options));
  }

  private static StartOptions startOptions(DynamicSupervisorOptions options) {
    return options.name().map(StartOptions::named).orElseGet(StartOptions::defaults);
  }

  /**
   * Starts a child under the supervisor.
   *
   * @param supervisor the supervisor
   * @param spec the child (its id is not used)
   * @return the child's pid
   * @throws IllegalStateException when {@code maxChildren} are running
   * @throws StartException if it did not start
   */
  public static Pid startChild(Address supervisor, ChildSpec spec) {
    return (Pid)
        Supervisor.unwrap(
            GenServer.call(
                supervisor, new DynamicSupervisorServer.StartChild(spec), Process.INFINITY));
  }

  /**
   * Stops a child by its shutdown and forgets it.
   *
   * @param supervisor the supervisor
   * @param child the child's pid
   * @throws NoSuchElementException if it is not a child of this supervisor
   */
  public static void terminateChild(Address supervisor, Pid child) {
    Supervisor.unwrap(
        GenServer.call(
            supervisor, new DynamicSupervisorServer.TerminateChild(child), Process.INFINITY));
  }

  /**
   * The running children, in start order.
   *
   * @param supervisor the supervisor
   * @return the children (ids are their pids)
   */
  public static List<ChildInfo> whichChildren(Address supervisor) {
    return GenServer.call(
        supervisor, new DynamicSupervisorServer.WhichChildren(), Process.INFINITY);
  }

  /**
   * Counts the children.
   *
   * @param supervisor the supervisor
   * @return the counts
   */
  public static ChildCounts countChildren(Address supervisor) {
    return GenServer.call(
        supervisor, new DynamicSupervisorServer.CountChildren(), Process.INFINITY);
  }
}
