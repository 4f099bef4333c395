package weft.task;

import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.process.ProcessBody;
import weft.process.internal.Kernel;
import weft.process.internal.ProcessCore;
import weft.process.internal.Timeouts;

/**
 * A process that computes one value, as Elixir's {@code Task}: start it with {@link #async}, get
 * the value with {@link #await}.
 *
 * {@snippet :
 * Task<Integer> a = Task.async(() -> slowSquare(3));
 * Task<Integer> b = Task.async(() -> slowSquare(4));
 * int sum = a.await(Duration.ofSeconds(5)) + b.await(Duration.ofSeconds(5));
 * }
 *
 * <h2>Links and failure</h2>
 *
 * {@link #async(Callable)} links the task to the calling process, as Elixir does: if the task
 * crashes the caller receives the exit signal (and dies with it unless it traps exits); if the
 * caller dies the task dies too. {@link TaskSupervisor#asyncNolink} starts an unlinked task whose
 * crash only shows in {@link #await}, as a {@link TaskException}.
 *
 * <h2>Results</h2>
 *
 * The value is handed over through the task object, not the caller's mailbox, so an abandoned task
 * never leaves a stray message behind (where Elixir needs a monitor and a flush).
 *
 * @param <T> the value type
 */
public final class Task<T> {

  private final ProcessCore pid;
  private final CompletableFuture<T> result;

  private Task(ProcessCore pid, CompletableFuture<T> result) {
    this.pid = pid;
    this.result = result;
  }

  /**
   * Starts a task linked to the calling process.
   *
   * @param <T> the value type
   * @param work what to compute; runs in the new process
   * @return the task
   * @throws IllegalStateException outside a process (use {@link #async(Node, Callable)})
   */
  public static <T> Task<T> async(Callable<T> work) {
    Objects.requireNonNull(work, "work");
    CompletableFuture<T> result = new CompletableFuture<>();
    Pid pid = Process.spawnLink(body(work, result));
    return attach(pid, result);
  }

  /**
   * Starts a task from outside any process (it has no link).
   *
   * @param <T> the value type
   * @param node the node
   * @param work what to compute
   * @return the task
   */
  public static <T> Task<T> async(Node node, Callable<T> work) {
    Objects.requireNonNull(work, "work");
    CompletableFuture<T> result = new CompletableFuture<>();
    return attach(node.spawn(body(work, result)), result);
  }

  static <T> ProcessBody body(Callable<T> work, CompletableFuture<T> result) {
    return () -> {
      ProcessCore.current().behaviour("Task");
      result.complete(work.call());
    };
  }

  static <T> Task<T> attach(Pid pid, CompletableFuture<T> result) {
    ProcessCore core = Kernel.core(pid);
    core.onExit(
        reason -> result.completeExceptionally(new TaskException(exitReasonOf(core, reason))));
    return new Task<>(core, result);
  }

  private static ExitReason exitReasonOf(ProcessCore core, ExitReason reported) {
    ExitReason known = core.exitReason();
    return known != null ? known : reported;
  }

  boolean isDone() {
    return result.isDone();
  }

  /**
   * The task's process.
   *
   * @return its pid
   */
  public Pid pid() {
    return pid;
  }

  /**
   * Waits for the value. On timeout the task is killed, as Elixir's {@code await} (which exits the
   * caller and, through the link, the task).
   *
   * @param timeout how long to wait
   * @return the value
   * @throws TaskException with the task's exit reason, or {@code timeout}
   */
  public T await(Duration timeout) {
    Optional<T> value = yieldResult(timeout);
    if (value != null) {
      return value.orElse(null);
    }
    kill();
    throw new TaskException(ExitReason.TIMEOUT);
  }

  /**
   * Waits for the value for at most {@code timeout}, leaving the task running if it is not done
   * (Elixir's {@code Task.yield}).
   *
   * @param timeout how long to wait
   * @return the value (empty also for a null value), or empty when not done in time
   * @throws TaskException if the task exited without a value
   */
  public Optional<T> yield(Duration timeout) {
    Optional<T> value = yieldResult(timeout);
    return value == null ? Optional.empty() : value;
  }

  /** Null when not done in time; else the value (empty for null). */
  private Optional<T> yieldResult(Duration timeout) {
    ProcessCore caller = ProcessCore.current();
    long deadline = Timeouts.deadline(timeout);
    while (true) {
      try {
        return Optional.ofNullable(
            result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        return null;
      } catch (InterruptedException e) {
        if (caller == null) {
          Thread.currentThread().interrupt();
          throw new TaskException(ExitReason.SHUTDOWN);
        }
        caller.checkAlive();
      } catch (ExecutionException e) {
        throw (TaskException) e.getCause();
      }
    }
  }

  /**
   * Stops the task (unlinking it from the caller first) unless it has finished.
   *
   * @return the value if it finished before being stopped
   */
  public Optional<T> shutdown() {
    if (!result.isDone()) {
      kill();
    }
    try {
      return Optional.ofNullable(result.getNow(null));
    } catch (java.util.concurrent.CompletionException e) {
      return Optional.empty();
    }
  }

  private void kill() {
    ProcessCore self = ProcessCore.current();
    if (self != null) {
      self.unlink(pid);
    }
    pid.exitSignal(pid.kernel().outside(), ExitReason.KILL, false);
  }

  /**
   * Runs {@code work} on every input in tasks, at most {@code maxConcurrency} at a time, and
   * streams the results. Lazy: tasks start as the stream is consumed. Called from a process, the
   * tasks are linked to it (a crash reaches the caller, as in Elixir).
   *
   * {@snippet :
   * List<Integer> lengths = Task.asyncStream(urls, Http::contentLength,
   *         StreamOptions.defaults().withMaxConcurrency(8))
   *     .map(r -> r instanceof TaskResult.Ok<Integer>(var n) ? n : -1)
   *     .toList();
   * }
   *
   * @param <I> the input type
   * @param <R> the result type
   * @param node the node to run the tasks on
   * @param inputs the inputs
   * @param work what to compute for each
   * @param options concurrency, order and timeouts
   * @return the results, one per input
   */
  public static <I, R> Stream<TaskResult<R>> asyncStream(
      Node node, Iterable<I> inputs, Function<I, R> work, StreamOptions options) {
    Iterator<TaskResult<R>> it = new AsyncStream<>(node, inputs.iterator(), work, options);
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }
}
