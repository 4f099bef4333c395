package weft.process;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import weft.process.internal.Kernel;
import weft.process.internal.ProcessCore;
import weft.process.internal.Timeouts;

/**
 * The operations of the calling process, as in Elixir's {@code Process} and {@code Kernel} modules:
 * {@code self}, {@code send}, {@code receive}, links, monitors, exits, names and timers.
 *
 * <p>Every method except {@link #send}, {@link #exit(Pid, ExitReason)}, {@link #isAlive} and {@link
 * #current()} must be called from inside a process (a thread started by {@code spawn}); elsewhere
 * it throws {@link IllegalStateException}.
 *
 * {@snippet :
 * record Ping(Pid from) {}
 *
 * Pid pong = Process.spawn(() -> {
 *   Ping ping = Process.receive(Ping.class);
 *   Process.send(ping.from(), "pong");
 * });
 * Process.send(pong, new Ping(Process.self()));
 * Optional<String> answer = Process.receive(String.class, Duration.ofSeconds(1));
 * }
 *
 * <h2>Receive</h2>
 *
 * A receive takes the first message, in arrival order, that matches its pattern (a class, a
 * predicate, or both); messages that do not match stay in the mailbox in their order. With a
 * timeout it returns empty when nothing matching arrived in time.
 *
 * <h2>Ending</h2>
 *
 * A process ends when its body returns ({@code normal}), throws ({@link ExitReason.Error}, logged
 * as a crash report), calls {@link #exit(ExitReason)}, or receives an exit signal it does not trap.
 * A process killed by a signal is dead at once: its name, links and monitors are released then, its
 * thread is interrupted, and an internal {@link Error} unwinds it at its next yield point in
 * application code (inserted by weft-agent, so even a loop without any call stops; see {@link
 * weft.scheduler.Scheduler}) or at the next Weft call it makes, whichever comes first. Catch {@link
 * Exception}, never {@link Throwable}, in process code so that this unwinding is not stopped.
 */
public final class Process {

  /** A timeout that never runs out (Erlang's {@code infinity}), for any method taking one. */
  public static final Duration INFINITY = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

  private Process() {}

  // ---------------------------------------------------------------- identity

  /**
   * The calling process.
   *
   * @return its pid
   * @throws IllegalStateException outside a process
   */
  public static Pid self() {
    return me();
  }

  /**
   * The calling process, if the caller is one.
   *
   * @return its pid, or empty on a thread that is not a process
   */
  public static Optional<Pid> current() {
    return Optional.ofNullable(ProcessCore.current());
  }

  private static ProcessCore me() {
    ProcessCore p = ProcessCore.current();
    if (p == null) {
      throw new IllegalStateException(
          "not inside a Weft process: call this from code run by spawn, or use Node");
    }
    p.checkAlive();
    return p;
  }

  /**
   * The node of the calling process.
   *
   * @return the node
   */
  public static Node node() {
    return me().node();
  }

  /**
   * Whether a process is alive.
   *
   * @param pid the process
   * @return true until it has ended
   */
  public static boolean isAlive(Pid pid) {
    return !Kernel.core(pid).isDead();
  }

  /**
   * Runs {@code cleanup} once when a process ends, before its links and monitors hear of it: for
   * state kept on a process's behalf (registry entries, subscriptions, timers), so that whoever
   * learns of the death next already sees it cleaned up. If the process has already ended, the
   * cleanup runs at once with {@code noproc}. The cleanup runs on the thread that ends the process
   * (its own, or the killer's); it must be quick, must not block, and must not throw (what it
   * throws is lost).
   *
   * @param pid the process
   * @param cleanup called with the exit reason
   * @return a reference for {@link #cancelAtExit}
   */
  public static Ref atExit(Pid pid, java.util.function.Consumer<ExitReason> cleanup) {
    return Kernel.core(pid).onExitCleanup(Objects.requireNonNull(cleanup, "cleanup"));
  }

  /**
   * Cancels a cleanup registered with {@link #atExit}.
   *
   * @param pid the process
   * @param ref what {@code atExit} returned
   * @return whether it was still registered (false once it has run)
   */
  public static boolean cancelAtExit(Pid pid, Ref ref) {
    return Kernel.core(pid).removeWatcher(ref);
  }

  // ---------------------------------------------------------------- spawning

  /**
   * Spawns a process on the caller's node.
   *
   * @param body what it runs
   * @return its pid
   */
  public static Pid spawn(ProcessBody body) {
    ProcessCore self = me();
    return self.kernel().spawn(self, Objects.requireNonNull(body), false, null);
  }

  /**
   * Spawns a process linked to the caller; the link exists before the new process runs.
   *
   * @param body what it runs
   * @return its pid
   */
  public static Pid spawnLink(ProcessBody body) {
    ProcessCore self = me();
    return self.kernel().spawn(self, Objects.requireNonNull(body), true, null);
  }

  /**
   * Spawns a process monitored by the caller; the monitor exists before the new process runs.
   *
   * @param body what it runs
   * @return its pid and the monitor's reference
   */
  public static SpawnedMonitor spawnMonitor(ProcessBody body) {
    ProcessCore self = me();
    Ref[] ref = new Ref[1];
    Pid pid =
        self.kernel()
            .spawn(self, Objects.requireNonNull(body), false, p -> ref[0] = p.monitoredBy(self));
    return new SpawnedMonitor(pid, ref[0]);
  }

  // ---------------------------------------------------------------- messages

  /**
   * Sends a message. Never blocks and never fails for a pid: a message to a process that has ended
   * is dropped. May be called from any thread.
   *
   * @param to the receiver
   * @param message any immutable value, not null
   * @throws IllegalArgumentException if {@code to} is a name nothing is registered under (as in
   *     Erlang)
   */
  public static void send(Address to, Object message) {
    ProcessCore self = ProcessCore.current();
    if (self != null) {
      self.checkAlive();
    }
    deliver(to, message);
  }

  static void deliver(Address to, Object message) {
    Objects.requireNonNull(message, "message");
    if (to instanceof Pid pid) {
      Kernel.core(pid).deliver(message);
      return;
    }
    Pid pid =
        to.resolve()
            .orElseThrow(() -> new IllegalArgumentException("no process registered as " + to));
    Kernel.core(pid).deliver(message);
  }

  /**
   * Takes the next message, waiting for as long as it takes.
   *
   * @return the message
   */
  public static Object receive() {
    return me().receive(m -> true, -1);
  }

  /**
   * Takes the next message, waiting at most {@code timeout}.
   *
   * @param timeout how long to wait; zero only looks at what is there
   * @return the message, or empty when none arrived in time
   */
  public static Optional<Object> receive(Duration timeout) {
    return receive(m -> true, timeout);
  }

  /**
   * Takes the first message of a type, waiting for as long as it takes; others stay in order.
   *
   * @param <T> the type
   * @param type the type
   * @return the message
   */
  public static <T> T receive(Class<T> type) {
    return type.cast(me().receive(ProcessCore.instanceOf(type), -1));
  }

  /**
   * Takes the first message of a type, waiting at most {@code timeout}; others stay in order.
   *
   * @param <T> the type
   * @param type the type
   * @param timeout how long to wait
   * @return the message, or empty when none arrived in time
   */
  public static <T> Optional<T> receive(Class<T> type, Duration timeout) {
    return receive(type, m -> true, timeout);
  }

  /**
   * Takes the first message that matches, waiting at most {@code timeout}; others stay in order.
   *
   * @param match the pattern; must not have side effects (it may see a message more than once)
   * @param timeout how long to wait
   * @return the message, or empty when none arrived in time
   */
  public static Optional<Object> receive(Predicate<Object> match, Duration timeout) {
    Object m = me().receive(match, nanos(timeout));
    return m == ProcessCore.timedOut() ? Optional.empty() : Optional.of(m);
  }

  /**
   * Takes the first message of a type that matches, waiting at most {@code timeout}.
   *
   * {@snippet :
   * Optional<Reply> reply =
   *     Process.receive(Reply.class, r -> r.ref() == ref, Duration.ofSeconds(5));
   * }
   *
   * @param <T> the type
   * @param type the type
   * @param match the pattern on messages of that type
   * @param timeout how long to wait
   * @return the message, or empty when none arrived in time
   */
  public static <T> Optional<T> receive(
      Class<T> type, Predicate<? super T> match, Duration timeout) {
    Object m = me().receive(o -> type.isInstance(o) && match.test(type.cast(o)), nanos(timeout));
    return m == ProcessCore.timedOut() ? Optional.empty() : Optional.of(type.cast(m));
  }

  /**
   * Removes every message that matches from the mailbox.
   *
   * @param match the pattern
   * @return how many were removed
   */
  public static int flush(Predicate<Object> match) {
    return me().flush(match);
  }

  /**
   * Sleeps without taking any message; an exit signal still ends the process at once.
   *
   * @param duration how long
   */
  public static void sleep(Duration duration) {
    me().receive(m -> false, nanos(duration));
  }

  private static long nanos(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    long n = Timeouts.nanos(timeout);
    return n == Long.MAX_VALUE ? -1 : n;
  }

  // ---------------------------------------------------------------- links, monitors, exits

  /**
   * Links the caller to a process: when either ends abnormally, the other receives an exit signal.
   * Linking to a process that has ended sends the caller an exit signal with {@code noproc}
   * (killing it unless it traps exits). Linking twice is the same as once.
   *
   * @param pid the process
   */
  public static void link(Pid pid) {
    me().link(Kernel.core(pid));
  }

  /**
   * Removes the link between the caller and a process, if any. An {@link Exit} message that already
   * arrived stays in the mailbox.
   *
   * @param pid the process
   */
  public static void unlink(Pid pid) {
    me().unlink(Kernel.core(pid));
  }

  /**
   * Monitors a process: exactly one {@link Down} message arrives when it ends, or at once with
   * {@code noproc} if it has already ended. Each call makes a new monitor.
   *
   * @param pid the process
   * @return the monitor's reference
   */
  public static Ref monitor(Pid pid) {
    return Kernel.core(pid).monitoredBy(me());
  }

  /**
   * Ends a monitor. A {@link Down} for it that has already arrived stays in the mailbox; use {@link
   * #demonitor(Ref, boolean)} with flush to remove it.
   *
   * @param ref the monitor
   * @return whether the monitor was still active
   */
  public static boolean demonitor(Ref ref) {
    return me().demonitor(ref);
  }

  /**
   * Ends a monitor and, with {@code flush}, removes its {@link Down} message if it arrived.
   *
   * @param ref the monitor
   * @param flush whether to remove a {@code Down} for it from the mailbox
   * @return whether the monitor was still active
   */
  public static boolean demonitor(Ref ref, boolean flush) {
    ProcessCore self = me();
    boolean active = self.demonitor(ref);
    if (flush) {
      self.flush(m -> m instanceof Down d && d.ref() == ref);
    }
    return active;
  }

  /**
   * Sets whether the caller traps exits: when on, exit signals (except an explicit {@code kill})
   * arrive as {@link Exit} messages instead of ending it.
   *
   * @param on the new value
   * @return the old value
   */
  public static boolean trapExit(boolean on) {
    return me().trapExit(on);
  }

  /**
   * Ends the calling process with a reason, like Elixir's {@code exit/1}. An abnormal reason is
   * logged as a crash report and travels over links.
   *
   * @param reason the reason
   * @return never returns; declared so callers can write {@code throw Process.exit(reason)}
   */
  public static RuntimeException exit(ExitReason reason) {
    me();
    throw new ExitUnwind(Objects.requireNonNull(reason, "reason"));
  }

  /**
   * Sends an exit signal to a process, with Erlang's rules: {@link ExitReason#KILL} always ends it
   * (with {@code killed}); otherwise a process that traps exits receives an {@link Exit} message;
   * {@code normal} is ignored unless sent to oneself; any other reason ends it. May be called from
   * any thread; outside a process the sender is a pseudo-process standing for the outside world.
   *
   * @param pid the target
   * @param reason the reason
   */
  public static void exit(Pid pid, ExitReason reason) {
    Objects.requireNonNull(reason, "reason");
    ProcessCore target = Kernel.core(pid);
    ProcessCore from = ProcessCore.current() != null ? me() : target.kernel().outside();
    target.exitSignal(from, reason, false);
    if (from == target) {
      from.checkAlive();
    }
  }

  // ---------------------------------------------------------------- names

  /**
   * Registers a unique name for the calling process; it is released when the process ends.
   *
   * @param name the name
   * @throws IllegalArgumentException if the name is taken or the caller already has a name
   */
  public static void register(String name) {
    ProcessCore self = me();
    self.kernel().register(name, self);
  }

  /**
   * Labels what the calling process runs (such as {@code "JobQueue(mail)"}), as shown by {@link
   * ProcessInfo#behaviour()}, the dashboard and crash reports. Behaviours label their processes
   * themselves ({@code GenServer}, {@code Supervisor}, {@code Task}); a plain process may call this
   * once at its start, as Erlang's {@code proc_lib} records an initial call.
   *
   * @param label a short label
   */
  public static void label(String label) {
    me().behaviour(Objects.requireNonNull(label, "label"));
  }

  /**
   * Information about a process.
   *
   * @param pid the process
   * @return its info, or empty if it has ended
   */
  public static Optional<ProcessInfo> info(Pid pid) {
    ProcessCore p = Kernel.core(pid);
    return p.isDead() ? Optional.empty() : Optional.of(p.info());
  }

  // ---------------------------------------------------------------- timers

  /**
   * Sends a message to a process after a delay.
   *
   * @param to the receiver
   * @param message the message
   * @param delay the delay
   * @return the timer, for {@link #cancelTimer(Ref)}
   */
  public static Ref sendAfter(Pid to, Object message, Duration delay) {
    return me().kernel().sendAfter(Kernel.core(to), Objects.requireNonNull(message), delay);
  }

  /**
   * Sends a message to a process every {@code period} until cancelled, or until the calling process
   * or the receiver ends (as Erlang's {@code timer:send_interval}).
   *
   * @param to the receiver
   * @param message the message
   * @param period the period, positive
   * @return the timer, for {@link #cancelTimer(Ref)}
   */
  public static Ref sendInterval(Pid to, Object message, Duration period) {
    ProcessCore self = me();
    Ref ref = self.kernel().sendInterval(Kernel.core(to), Objects.requireNonNull(message), period);
    self.onExitCleanup(reason -> self.kernel().cancelTimer(ref));
    return ref;
  }

  /**
   * Cancels a timer.
   *
   * @param timer the timer
   * @return true if it was still pending: its message will never be sent; false if it had already
   *     fired (its message may be in the mailbox) or was cancelled
   */
  public static boolean cancelTimer(Ref timer) {
    return me().kernel().cancelTimer(timer);
  }
}
