package weft.task;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Process;
import weft.process.internal.ProcessCore;

/*
 * Design: keeps up to maxConcurrency tasks running, in start order. Ordered mode waits for the
 * oldest; unordered mode takes whichever finishes first from a completion queue. Each task has
 * its own deadline (start + timeout); the wait never outlasts the earliest deadline of the
 * tasks it waits for, so a timed-out task is noticed on time.
 */
final class AsyncStream<I, R> implements Iterator<TaskResult<R>> {

  private final class Running {
    final Task<R> task;
    final long deadline;

    Running(Task<R> task, long deadline) {
      this.task = task;
      this.deadline = deadline;
    }
  }

  private final Node node;
  private final Iterator<I> inputs;
  private final Function<I, R> work;
  private final StreamOptions options;
  private final ArrayDeque<Running> running = new ArrayDeque<>();
  private final LinkedBlockingQueue<Running> completed = new LinkedBlockingQueue<>();

  AsyncStream(Node node, Iterator<I> inputs, Function<I, R> work, StreamOptions options) {
    this.node = node;
    this.inputs = inputs;
    this.work = work;
    this.options = options;
  }

  private void fill() {
    while (running.size() < options.maxConcurrency() && inputs.hasNext()) {
      I input = inputs.next();
      CompletableFuture<R> result = new CompletableFuture<>();
      Task<R> task;
      if (ProcessCore.current() != null) {
        task = Task.attach(Process.spawnLink(Task.body(() -> work.apply(input), result)), result);
      } else {
        task = Task.attach(node.spawn(Task.body(() -> work.apply(input), result)), result);
      }
      Running r = new Running(task, System.nanoTime() + options.timeout().toNanos());
      running.addLast(r);
      result.whenComplete((v, e) -> completed.add(r));
    }
  }

  @Override
  public boolean hasNext() {
    fill();
    return !running.isEmpty();
  }

  @Override
  public TaskResult<R> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Running r = options.ordered() ? running.peekFirst() : awaitAny();
    if (r == null || !awaitDone(r)) {
      Running late = r != null ? r : earliest();
      running.remove(late);
      return timedOut(late);
    }
    running.remove(r);
    try {
      return new TaskResult.Ok<>(r.task.yield(Duration.ZERO).orElse(null));
    } catch (TaskException e) {
      return new TaskResult.Exited<>(e.reason());
    }
  }

  private Running earliest() {
    Running first = running.peekFirst();
    for (Running r : running) {
      if (r.deadline < first.deadline) {
        first = r;
      }
    }
    return first;
  }

  /** Unordered: the first task to complete, or null if the earliest deadline passed. */
  private Running awaitAny() {
    while (true) {
      long wait = earliest().deadline - System.nanoTime();
      Running done;
      try {
        done = completed.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        interrupted();
        continue;
      }
      if (done == null) {
        return null;
      }
      if (running.contains(done)) {
        return done;
      }
    }
  }

  /** Ordered: waits for this task until its deadline. */
  private boolean awaitDone(Running r) {
    long wait = r.deadline - System.nanoTime();
    try {
      r.task.yield(Duration.ofNanos(Math.max(0, wait)));
    } catch (TaskException e) {
      return true;
    }
    return r.task.isDone();
  }

  private TaskResult<R> timedOut(Running late) {
    if (options.onTimeout() == StreamOptions.OnTimeout.KILL_TASK) {
      late.task.shutdown();
      return new TaskResult.Exited<>(ExitReason.TIMEOUT);
    }
    late.task.shutdown();
    for (Running r : running) {
      r.task.shutdown();
    }
    running.clear();
    throw new TaskException(ExitReason.TIMEOUT);
  }

  private static void interrupted() {
    ProcessCore self = ProcessCore.current();
    if (self != null) {
      self.checkAlive();
    } else {
      Thread.currentThread().interrupt();
      throw new TaskException(ExitReason.SHUTDOWN);
    }
  }
}
