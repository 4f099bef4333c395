package weft.genserver;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import weft.process.ExitReason;
import weft.process.Pid;
import weft.process.internal.Kernel;
import weft.process.internal.ProcessCore;

/**
 * Where the reply to one call goes. Passed to {@link GenServer#handleCall}; keep it to reply later,
 * from any process or thread, with {@link GenServer#reply(From, Object)}. Only the first reply
 * counts; a reply after the caller has timed out is discarded.
 */
public final class From {

  /*
   * The call's reply slot: the caller parks on it until a reply, the server's exit or its deadline
   * fills it (one compare-and-set; the first one wins). No future and no JDK timer: a call that is
   * answered in a microsecond costs a microsecond (see WaitTimer).
   */
  private static final Object PENDING = new Object();
  private static final Object NULL = new Object();
  private static final Object TIMED_OUT = new Object();
  private static final VarHandle RESULT;

  static {
    try {
      RESULT = MethodHandles.lookup().findVarHandle(From.class, "result", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** What the slot holds when the server ended before it replied. */
  record Exited(ExitReason reason) {}

  private final Pid caller;
  private final Thread waiter = Thread.currentThread();
  private volatile Object result = PENDING;

  From(Pid caller) {
    this.caller = caller;
  }

  /**
   * The calling process, when the call came from one.
   *
   * @return the caller, or empty for a call from a thread that is not a process
   */
  public Optional<Pid> caller() {
    return Optional.ofNullable(caller);
  }

  boolean complete(Object value) {
    return fill(value == null ? NULL : value);
  }

  void serverExited(ExitReason reason) {
    fill(new Exited(reason));
  }

  private boolean fill(Object value) {
    if (RESULT.compareAndSet(this, PENDING, value)) {
      LockSupport.unpark(waiter);
      return true;
    }
    return false;
  }

  /**
   * Waits for the slot to fill, on the thread that made the call.
   *
   * @return the reply, or an {@link Exited}
   * @throws CallException with {@link ExitReason#TIMEOUT} once the deadline has passed (later
   *     replies are discarded), or {@link ExitReason#SHUTDOWN} if a thread that is not a process is
   *     interrupted
   */
  Object await(Kernel time, long deadline, ProcessCore self, Pid server, Object request) {
    while (true) {
      Object r = result;
      if (r != PENDING) {
        return r == NULL ? null : r;
      }
      if (deadline - time.nanoTime() <= 0) {
        if (RESULT.compareAndSet(this, PENDING, TIMED_OUT)) {
          throw new CallException(ExitReason.TIMEOUT, "call to " + server + " with " + request);
        }
        continue; // filled at the last moment
      }
      time.parkUntil(this, deadline);
      if (Thread.interrupted()) {
        if (self == null) {
          Thread.currentThread().interrupt();
          throw new CallException(ExitReason.SHUTDOWN, "interrupted while waiting for a reply");
        }
        self.checkAlive(); // an exit signal interrupts; any other interrupt is not a Weft concept
      }
    }
  }

  @Override
  public String toString() {
    return "From[" + (caller == null ? "outside" : caller) + "]";
  }
}
