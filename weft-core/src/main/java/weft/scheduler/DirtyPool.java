package weft.scheduler;

import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import weft.process.internal.DirtyCall;

/**
 * A bounded pool of platform threads for work that would pin a process's carrier thread: native
 * calls (JNI, such as SQLite's), long computations inside the JDK, blocking calls of libraries that
 * do not unmount virtual threads. The BEAM runs such code on its dirty schedulers; here a process
 * hands the work to the pool and parks until it is done, so its carrier runs other processes
 * meanwhile.
 *
 * {@snippet :
 * DirtyPool sqlite = DirtyPool.create("sqlite", 4);
 * long rows = sqlite.call(() -> countRows(connection));   // the process waits; its carrier does not
 * }
 *
 * <h2>Behaviour</h2>
 *
 * <ul>
 *   <li>Called from a process (or any virtual thread), {@link #call} runs the work on a pool thread
 *       and waits for it. At most {@link #threads()} pieces of work run at once; more wait their
 *       turn in arrival order (the callers stay parked: the queue is as long as there are callers).
 *   <li>Called from a platform thread (a {@code main} method, Netty's event loop, a pool thread),
 *       the work runs at once on the calling thread: only carriers need protecting.
 *   <li>Inside the work, {@code Process.self()}, {@code send} and {@code spawn} act for the calling
 *       process; {@code receive} (and so {@code GenServer.call}) is refused with {@link
 *       IllegalStateException}: the work runs beside the process, not as it.
 * </ul>
 *
 * <h2>Failures and exits</h2>
 *
 * What the work throws, {@code call} throws, unchanged. If the calling process is killed while it
 * waits, it ends at once, as a killed process does; the work cannot be stopped mid-call (a native
 * call cannot be interrupted) and runs to its end, but every Weft call it makes afterwards throws,
 * and {@code weft-store} rolls back a transaction whose process ended while it ran. There is no
 * timeout: bound the work itself (a query timeout, say).
 *
 * <p>Threads: every method may be called from any thread.
 */
public final class DirtyPool implements AutoCloseable {

  /** Threads of {@link #io()} unless {@code weft.dirty.io} says otherwise: the BEAM's default. */
  public static final int DEFAULT_IO_THREADS = 10;

  private static final class Io {
    static final DirtyPool POOL =
        create("weft-dirty-io", Integer.getInteger("weft.dirty.io", DEFAULT_IO_THREADS));
  }

  private final String name;
  private final ThreadPoolExecutor executor;

  private DirtyPool(String name, int threads) {
    this.name = name;
    AtomicInteger numbers = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, name + "-" + numbers.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.allowCoreThreadTimeOut(true);
  }

  /**
   * Creates a pool. Its threads start when work arrives and end after 30 s without any.
   *
   * @param name the threads' name prefix
   * @param threads how many pieces of work may run at once, at least 1
   * @return the pool
   * @throws IllegalArgumentException if {@code threads} is below 1
   */
  public static DirtyPool create(String name, int threads) {
    Objects.requireNonNull(name, "name");
    if (threads < 1) {
      throw new IllegalArgumentException("a dirty pool needs at least 1 thread, got " + threads);
    }
    return new DirtyPool(name, threads);
  }

  /**
   * The JVM's shared pool for blocking work, with {@value #DEFAULT_IO_THREADS} threads (or the
   * {@code weft.dirty.io} system property). Never closed.
   *
   * @return the shared pool
   */
  public static DirtyPool io() {
    return Io.POOL;
  }

  /**
   * Runs the work off the caller's carrier and waits for it (see the class documentation).
   *
   * @param <T> what it returns
   * @param <X> what it throws
   * @param work the work
   * @return what it returned
   * @throws X what it threw
   * @throws IllegalStateException if the pool is closed
   */
  public <T, X extends Exception> T call(DirtyWork<T, X> work) throws X {
    Objects.requireNonNull(work, "work");
    if (!Thread.currentThread().isVirtual()) {
      return work.run();
    }
    return DirtyCall.run(executor, name, work);
  }

  /**
   * How many pieces of work may run at once.
   *
   * @return the bound
   */
  public int threads() {
    return executor.getMaximumPoolSize();
  }

  /**
   * How many pieces of work are running now.
   *
   * @return the count
   */
  public int busy() {
    return executor.getActiveCount();
  }

  /**
   * How many wait for a thread.
   *
   * @return the count
   */
  public int queued() {
    return executor.getQueue().size();
  }

  /** Stops taking work; what runs or waits already still runs. {@link #io()} ignores this. */
  @Override
  public void close() {
    if (this != Io.POOL) {
      executor.shutdown();
    }
  }

  @Override
  public String toString() {
    return "DirtyPool[" + name + ", " + threads() + " threads]";
  }
}
