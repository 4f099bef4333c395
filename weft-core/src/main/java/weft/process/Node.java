package weft.process;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import weft.process.internal.Kernel;
import weft.process.internal.ProcessCore;
import weft.process.internal.Timeouts;

/**
 * A Weft node: one runtime of processes, with its own process table, names and timers. An
 * application usually has one; tests may start several in one JVM, and they share nothing.
 *
 * <p>The methods here are for code outside any process (a {@code main} method, a test, a Netty
 * handler). Inside a process use {@link Process}, whose operations act on the calling process.
 *
 * {@snippet :
 * try (Node node = Node.start("demo")) {
 *   Pid echo = node.spawn(() -> {
 *     while (true) {
 *       if (Process.receive() instanceof Ping(Pid from)) {
 *         Process.send(from, "pong");
 *       }
 *     }
 *   });
 *   node.register("echo", echo);
 * }
 * }
 *
 * <p>Threads: every method may be called from any thread.
 */
public final class Node implements AutoCloseable {

  /** How long {@link #close()} waits for processes to stop before killing them. */
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(5);

  private final Kernel kernel;

  private Node(String name, TimeSource time) {
    this.kernel = new Kernel(this, name, time);
  }

  /**
   * Starts a node.
   *
   * @param name a name for logs and thread names
   * @return the running node
   */
  public static Node start(String name) {
    Objects.requireNonNull(name, "name");
    return new Node(name, null);
  }

  /**
   * Starts a node whose timers and timeouts ({@code sendAfter}, {@code sendInterval}, {@code
   * receive} and {@code sleep} timeouts, {@code GenServer.call} timeouts) run on another time: in
   * tests, a {@link weft.testing.ManualClock}, so that they fire only when the test moves it.
   * Stopping the node ({@link #close}) still waits on real time.
   *
   * @param name a name for logs and thread names
   * @param time the node's time
   * @return the running node
   */
  public static Node start(String name, TimeSource time) {
    Objects.requireNonNull(name, "name");
    return new Node(name, Objects.requireNonNull(time, "time"));
  }

  /**
   * Starts a node named {@code "weft"}.
   *
   * @return the running node
   */
  public static Node start() {
    return start("weft");
  }

  /**
   * The node's name.
   *
   * @return the name
   */
  public String name() {
    return kernel.name();
  }

  /**
   * Spawns a process with no parent, links or monitors.
   *
   * @param body what it runs
   * @return its pid
   * @throws IllegalStateException if the node is stopped
   */
  public Pid spawn(ProcessBody body) {
    Objects.requireNonNull(body, "body");
    return kernel.spawn(null, body, false, null);
  }

  /**
   * Sends a message. Never blocks; a message to a process that has ended is dropped.
   *
   * @param to the receiver
   * @param message any immutable value, not null
   * @throws IllegalArgumentException if {@code to} is a name that nothing is registered under (as
   *     in Erlang); a pid never makes this fail
   */
  public void send(Address to, Object message) {
    Process.deliver(to, message);
  }

  /**
   * Sends an exit signal from outside any process, with Erlang's rules (see {@link
   * Process#exit(Pid, ExitReason)}). The signal's sender is a pseudo-process that stands for the
   * outside world.
   *
   * @param pid the target
   * @param reason the reason
   */
  public void exit(Pid pid, ExitReason reason) {
    Kernel.core(pid).exitSignal(kernel.outside(), Objects.requireNonNull(reason), false);
  }

  /**
   * Whether the process is alive.
   *
   * @param pid the process
   * @return true until it has ended
   */
  public boolean isAlive(Pid pid) {
    return !Kernel.core(pid).isDead();
  }

  /**
   * Waits for a process to end.
   *
   * @param pid the process
   * @param timeout how long to wait
   * @return its exit reason ({@code noproc} if it had ended before the call and its reason is not
   *     known)
   * @throws TimeoutException if it is still alive when the time is up
   * @throws InterruptedException if the calling thread is interrupted
   */
  public ExitReason awaitExit(Pid pid, Duration timeout)
      throws TimeoutException, InterruptedException {
    ProcessCore p = Kernel.core(pid);
    CompletableFuture<ExitReason> done = new CompletableFuture<>();
    var ref = p.onExit(done::complete);
    try {
      ExitReason r = done.get(Timeouts.nanos(timeout), TimeUnit.NANOSECONDS);
      ExitReason known = p.exitReason();
      return known != null ? known : r;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      p.removeWatcher(ref);
    }
  }

  /**
   * Registers a unique name for a process.
   *
   * @param name the name
   * @param pid the process
   * @throws IllegalArgumentException if the name is taken, the process already has a name, or the
   *     process is not alive
   */
  public void register(String name, Pid pid) {
    kernel.register(name, Kernel.core(pid));
  }

  /**
   * Removes a registered name.
   *
   * @param name the name
   * @return whether it was registered
   */
  public boolean unregister(String name) {
    return kernel.unregister(name);
  }

  /**
   * The process registered under a name.
   *
   * @param name the name
   * @return the process, or empty
   */
  public Optional<Pid> whereis(String name) {
    return kernel.whereis(name);
  }

  /**
   * An address that resolves the name at each use, so it follows a restarted process.
   *
   * @param name the name
   * @return the address
   */
  public Address named(String name) {
    Objects.requireNonNull(name, "name");
    return new Named(this, name);
  }

  /** An address by registered name. */
  private record Named(Node node, String name) implements Address {
    @Override
    public Optional<Pid> resolve() {
      return node.whereis(name);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * Every registered name.
   *
   * @return the names
   */
  public List<String> registered() {
    return kernel.registered();
  }

  /**
   * Sends a message after a delay, from outside any process.
   *
   * @param to the receiver; resolved now
   * @param message the message
   * @param delay the delay
   * @return the timer, for {@link #cancelTimer(Ref)}
   */
  public Ref sendAfter(Pid to, Object message, Duration delay) {
    return kernel.sendAfter(Kernel.core(to), Objects.requireNonNull(message), delay);
  }

  /**
   * Cancels a timer.
   *
   * @param timer the timer
   * @return true if it was still pending, so its message will never be sent
   */
  public boolean cancelTimer(Ref timer) {
    return kernel.cancelTimer(timer);
  }

  /**
   * Every live process, with its info, taken without stopping any of them.
   *
   * @return the snapshots, ordered by pid
   */
  public List<ProcessInfo> processes() {
    return kernel.processes().stream()
        .sorted((a, b) -> Long.compare(a.id(), b.id()))
        .map(ProcessCore::info)
        .toList();
  }

  /**
   * The number of live processes.
   *
   * @return the count
   */
  public int processCount() {
    return kernel.processCount();
  }

  /**
   * A snapshot of one process.
   *
   * @param pid the process
   * @return its info, or empty if it has ended
   */
  public Optional<ProcessInfo> info(Pid pid) {
    ProcessCore p = Kernel.core(pid);
    return p.isDead() ? Optional.empty() : Optional.of(p.info());
  }

  /**
   * Stops the node, within {@code grace} in all: first {@code shutdown} to each top-level process
   * (spawned from outside any process; supervisors then stop their children in order) and a wait
   * for them to end; then {@code shutdown} to every process still alive and a wait for them; then
   * {@code kill} for the rest. The node accepts no new processes afterwards.
   *
   * @param grace how long processes get to stop
   */
  public void stop(Duration grace) {
    kernel.stop(grace);
  }

  /** Stops the node with {@link #DEFAULT_STOP_GRACE}. */
  @Override
  public void close() {
    stop(DEFAULT_STOP_GRACE);
  }

  @Override
  public String toString() {
    return "Node[" + name() + "]";
  }
}
