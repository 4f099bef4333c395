package weft.process.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import weft.scheduler.DirtyWork;

/*
 * Design: one hand-off from a virtual thread to a dirty pool's platform thread. The caller parks
 * on this object until `done`; the pool thread runs the work as the calling process's helper (its
 * uncaught-exception handler is the process for the duration, see ProcessCore.current(), so that
 * self, send and spawn act for it), publishes the outcome and unparks the caller. A killed caller wakes (exit signals interrupt its thread), sees its death in
 * checkAlive() and unwinds; the pool thread finishes the work alone and drops the outcome.
 *
 * Memory: the work's effects happen-before the caller reads `done` as true (volatile write after
 * the outcome, volatile read before it).
 */
/** Runs dirty work for a waiting virtual thread. Internal: use weft.scheduler.DirtyPool. */
public final class DirtyCall<T, X extends Exception> implements Runnable {

  private final DirtyWork<T, X> work;
  private final ProcessCore process;
  private final Thread caller;
  private T result;
  private Throwable failure;
  private volatile boolean done;

  private DirtyCall(DirtyWork<T, X> work, ProcessCore process, Thread caller) {
    this.work = work;
    this.process = process;
    this.caller = caller;
  }

  /**
   * Hands the work to the executor and waits; see DirtyPool.call.
   *
   * @param <T> result
   * @param <X> failure
   * @param executor the pool's executor
   * @param pool the pool's name, for errors
   * @param work the work
   * @return the result
   * @throws X what the work threw
   */
  public static <T, X extends Exception> T run(Executor executor, String pool, DirtyWork<T, X> work)
      throws X {
    ProcessCore p = ProcessCore.current();
    if (p != null) {
      p.checkAlive();
    }
    DirtyCall<T, X> call = new DirtyCall<>(work, p, Thread.currentThread());
    try {
      executor.execute(call);
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("dirty pool " + pool + " is closed", e);
    }
    return call.await();
  }

  @Override
  public void run() {
    Thread me = Thread.currentThread();
    Thread.UncaughtExceptionHandler own =
        me.getUncaughtExceptionHandler() == me.getThreadGroup()
            ? null
            : me.getUncaughtExceptionHandler();
    if (process != null) {
      me.setUncaughtExceptionHandler(process);
    }
    try {
      result = work.run();
    } catch (Throwable t) {
      failure = t;
    } finally {
      me.setUncaughtExceptionHandler(own);
    }
    done = true;
    LockSupport.unpark(caller);
  }

  private T await() throws X {
    boolean interrupted = false;
    while (!done) {
      LockSupport.park(this);
      if (Thread.interrupted()) {
        if (process != null) {
          process.checkAlive(); // killed: unwind now, the work finishes alone
        }
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure == null) {
      return result;
    }
    throw this.<RuntimeException>rethrow(failure);
  }

  @SuppressWarnings("unchecked")
  private <E extends Throwable> E rethrow(Throwable t) throws E {
    throw (E) t;
  }
}
