package weft.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import weft.process.Down;
import weft.process.Exit;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.process.Ref;

/**
 * A test's stand-in process, as ExUnit's {@code assert_receive} or Akka's {@code TestProbe}: a real
 * process (it has a pid, can be sent messages, monitor and link) whose mailbox the test reads from
 * its own thread. It traps exits, so a linked process's death arrives as an {@link Exit} message
 * instead of killing it.
 *
 * {@snippet :
 * try (Probe probe = Probe.start(node)) {
 *   Pid worker = node.spawn(() -> Process.send(probe.pid(), "ready"));
 *   probe.expectMessage(String.class, Duration.ofSeconds(1));
 *   probe.monitor(worker);
 *   assertThat(probe.expectDown(worker, Duration.ofSeconds(1))).isEqualTo(ExitReason.NORMAL);
 * }
 * }
 *
 * <p>Each {@code expect} removes the first message that matches (a selective receive: other
 * messages stay, in order) and waits up to its timeout; when nothing matches it throws an {@link
 * AssertionError} that lists what did arrive. Thread-safe; meant to be used from the test's thread,
 * not from a process of the node (it blocks).
 */
public final class Probe implements AutoCloseable {

  /** How long the probe process may take to run a monitor or link asked of it. */
  private static final Duration COMMAND_LIMIT = Duration.ofSeconds(10);

  /** Work the probe process runs on itself (monitor, link), answered through the future. */
  private record Command(Supplier<Object> action, CompletableFuture<Object> result) {}

  private final Node node;
  private final Pid pid;
  private final Inbox<Object> messages = new Inbox<>();

  private Probe(Node node) {
    this.node = node;
    CompletableFuture<Void> trapping = new CompletableFuture<>();
    this.pid =
        node.spawn(() -> {
          Process.label("Probe");
          Process.trapExit(true);
          trapping.complete(null);
          while (true) {
            Object m = Process.receive();
            if (m instanceof Command(Supplier<Object> action, CompletableFuture<Object> result)) {
              try {
                result.complete(action.get());
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
              }
            } else {
              messages.add(m);
            }
          }
        });
    try {
      await(trapping);
    } catch (AssertionError e) {
      node.exit(pid, ExitReason.KILL);
      throw e;
    }
  }

  /**
   * Starts a probe process on a node.
   *
   * @param node the node
   * @return the probe
   */
  public static Probe start(Node node) {
    return new Probe(Objects.requireNonNull(node, "node"));
  }

  /** The probe's pid: give it to the code under test as where to send. */
  public Pid pid() {
    return pid;
  }

  /**
   * Makes the probe monitor a process: its end arrives as a {@link Down} (see {@link #expectDown}).
   *
   * @param target the process
   * @return the monitor's reference
   * @throws AssertionError if the probe does not answer within 10 s
   */
  public Ref monitor(Pid target) {
    Objects.requireNonNull(target, "target");
    return (Ref) command(() -> Process.monitor(target));
  }

  /**
   * Links the probe to a process: its end arrives as an {@link Exit} (see {@link #expectExit}).
   *
   * @param target the process
   * @throws AssertionError if the probe does not answer within 10 s
   */
  public void link(Pid target) {
    Objects.requireNonNull(target, "target");
    command(() -> {
      Process.link(target);
      return target;
    });
  }

  /**
   * Takes the first message, whatever it is.
   *
   * @param timeout how long to wait
   * @return the message
   * @throws AssertionError if none arrives in time
   */
  public Object expectMessage(Duration timeout) {
    return take(m -> true, timeout, "no message");
  }

  /**
   * Takes the first message of a type.
   *
   * @param <T> the type
   * @param type the type
   * @param timeout how long to wait
   * @return the message
   * @throws AssertionError if none arrives in time
   */
  public <T> T expectMessage(Class<T> type, Duration timeout) {
    return type.cast(take(type::isInstance, timeout, "no " + type.getSimpleName()));
  }

  /**
   * Takes the first message of a type that matches.
   *
   * @param <T> the type
   * @param type the type
   * @param match what it must satisfy
   * @param timeout how long to wait
   * @return the message
   * @throws AssertionError if none arrives in time
   */
  public <T> T expectMessage(Class<T> type, Predicate<? super T> match, Duration timeout) {
    Objects.requireNonNull(match, "match");
    return type.cast(
        take(
            m -> type.isInstance(m) && match.test(type.cast(m)),
            timeout,
            "no matching " + type.getSimpleName()));
  }

  /**
   * Checks that no message arrives: waits the whole window (ExUnit's {@code refute_receive}).
   * Messages already waiting count.
   *
   * @param window how long to watch
   * @throws AssertionError naming the first message that arrived
   */
  public void expectNoMessage(Duration window) {
    Object m;
    try {
      m = take(x -> true, window, "");
    } catch (Inbox.Timeout expected) {
      return;
    }
    throw new AssertionError("expected no message within " + window + " but got " + m);
  }

  /**
   * Waits for the end of a process the probe {@linkplain #monitor monitors}.
   *
   * @param target the process
   * @param timeout how long to wait
   * @return why it ended
   * @throws AssertionError if no {@link Down} for it arrives in time
   */
  public ExitReason expectDown(Pid target, Duration timeout) {
    Objects.requireNonNull(target, "target");
    return ((Down) take(m -> m instanceof Down d && d.pid().equals(target), timeout, "no Down"))
        .reason();
  }

  /**
   * Waits for the exit signal of a process the probe is {@linkplain #link linked} to (or of one
   * that sent it an exit signal).
   *
   * @param from the process
   * @param timeout how long to wait
   * @return the reason the signal carried
   * @throws AssertionError if no {@link Exit} from it arrives in time
   */
  public ExitReason expectExit(Pid from, Duration timeout) {
    Objects.requireNonNull(from, "from");
    return ((Exit) take(m -> m instanceof Exit e && e.from().equals(from), timeout, "no Exit"))
        .reason();
  }

  /** Ends the probe process (killed: its links hear {@link ExitReason#KILLED}). */
  @Override
  public void close() {
    node.exit(pid, ExitReason.KILL);
  }

  @Override
  public String toString() {
    return "Probe" + pid;
  }

  private Object command(Supplier<Object> action) {
    CompletableFuture<Object> result = new CompletableFuture<>();
    node.send(pid, new Command(action, result));
    return await(result);
  }

  private static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(COMMAND_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the probe did not answer within " + COMMAND_LIMIT, e);
    } catch (ExecutionException e) {
      throw new AssertionError("the probe failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private Object take(Predicate<Object> match, Duration timeout, String failure) {
    return messages.take(match, timeout, failure + " (the probe " + pid + ")");
  }
}
