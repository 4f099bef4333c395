package weft.process.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.process.Down;
import weft.process.Exit;
import weft.process.ExitReason;
import weft.process.ExitUnwind;
import weft.process.Node;
import weft.process.Pid;
import weft.process.ProcessBody;
import weft.process.ProcessInfo;
import weft.process.ProcessStatus;
import weft.process.Ref;

/*
 * Design: one ProcessCore per process; it is the process's Pid, so sending needs no lookup.
 *
 * State machine: ALIVE -> DEAD, once, in die(). The monitor field `exitReason` is null while
 * alive. A process is dead as soon as an exit signal kills it, even if its thread is still
 * unwinding: die() runs the Erlang clean-up at once (name released, links signalled, monitors
 * fired) and interrupts the thread, and every Weft call the thread makes afterwards throws
 * ExitUnwind. So a process stuck in code that ignores interrupts cannot hold up its supervisor.
 *
 * Locking: the links, monitors and watchers of a process are guarded by its own monitor. An
 * operation on two processes (link) takes both monitors in pid order. die() takes only its own,
 * copies what it must signal and signals outside the lock, so signals never nest locks.
 *
 * Threads: `thread` is written once before start; `exitReason`, `trapExit`, `name` and
 * `behaviour` are volatile, written by the owner (or by die() on any thread) and read by anyone.
 */
/** A process: its mailbox, links, monitors and life cycle. Internal: use {@link Pid}. */
public final class ProcessCore implements Pid, Runnable, Thread.UncaughtExceptionHandler {

  private static final Logger CRASH_LOG = LoggerFactory.getLogger("weft.process.crash");

  /**
   * The process the current thread runs, or null. The process is its thread's uncaught-exception
   * handler: every Thread has that slot, so finding the current process is one field read and costs
   * no ThreadLocal map or ScopedValue cache per process (about 200 bytes each). The slot's own use
   * is kept: what reaches the handler is logged (nothing should: run() catches everything). Dirty
   * work sets the handler of its pool thread to the process it works for, for as long as it does.
   *
   * @return the process, or null outside any
   */
  public static ProcessCore current() {
    return Thread.currentThread().getUncaughtExceptionHandler() instanceof ProcessCore p ? p : null;
  }

  /** Something told, exactly once, when a process ends: a process (by message) or a callback. */
  private sealed interface Watcher {}

  private record ProcessWatcher(ProcessCore process) implements Watcher {}

  private record CallbackWatcher(Consumer<ExitReason> callback, boolean cleanup)
      implements Watcher {}

  private final Kernel kernel;
  private final long id;
  private final ProcessCore parent;
  private final long startedAtMillis = System.currentTimeMillis();
  private final Mailbox mailbox = new Mailbox();
  private Thread thread;
  private ProcessBody body; // until the thread starts it

  private volatile ExitReason exitReason;
  private volatile boolean trapExit;
  private volatile String name;
  private volatile String behaviour;
  private volatile String crashContext;

  // Scheduling counters, for introspection: written by the process's own yield points and by the
  // watchdog, read by info(); an occasional stale read is harmless.
  private int preemptions;
  private int longSchedules;

  // Whether an exit was already thrown at a yield point (owner thread only), and the accounting of
  // an exit signal that may find the thread running: NONE -> COUNTED (by the signal) -> FINISHED
  // (by the thread's end), or NONE -> FINISHED.
  private boolean exitThrown;
  private volatile int unwinding;
  private static final int NONE = 0;
  private static final int COUNTED = 1;
  private static final int FINISHED = 2;
  private static final java.lang.invoke.VarHandle UNWINDING;

  static {
    try {
      UNWINDING =
          java.lang.invoke.MethodHandles.lookup()
              .findVarHandle(ProcessCore.class, "unwinding", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // Guarded by this. Allocated on first use: most processes never link or monitor, and an idle
  // process should cost little more than its virtual thread (see weft-bench CoreBench).
  private Set<ProcessCore> links;
  private Map<Ref, Watcher> watchers;
  private Map<Ref, ProcessCore> monitoring;

  // Guarded by this: told at the end of die() (see there); settled once die() has told everyone.
  private List<Runnable> late;
  private boolean settled;

  private List<Runnable> late() {
    if (late == null) {
      late = new ArrayList<>(2);
    }
    return late;
  }

  private Set<ProcessCore> links() {
    if (links == null) {
      links = new LinkedHashSet<>(4);
    }
    return links;
  }

  private Map<Ref, Watcher> watchers() {
    if (watchers == null) {
      watchers = new LinkedHashMap<>(4);
    }
    return watchers;
  }

  private Map<Ref, ProcessCore> monitoring() {
    if (monitoring == null) {
      monitoring = new HashMap<>(4);
    }
    return monitoring;
  }

  ProcessCore(Kernel kernel, long id, ProcessCore parent) {
    this.kernel = kernel;
    this.id = id;
    this.parent = parent;
  }

  // ---------------------------------------------------------------- identity

  @Override
  public long id() {
    return id;
  }

  @Override
  public Node node() {
    return kernel.node();
  }

  /** The kernel of this process's node. */
  public Kernel kernel() {
    return kernel;
  }

  /** The process that spawned this one, or null when spawned from outside any process. */
  public ProcessCore parent() {
    return parent;
  }

  @Override
  public String toString() {
    return "<" + kernel.number() + "." + id + ">";
  }

  /** Identity equality; a hash from the id, spread, so that process tables need no boxed key. */
  @Override
  public int hashCode() {
    return Long.hashCode(id * 0x9E3779B97F4A7C15L);
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  // ---------------------------------------------------------------- life cycle

  void start(ProcessBody body) {
    this.body = body;
    Thread t = kernel.newThread(this);
    t.setUncaughtExceptionHandler(this);
    thread = t;
    t.start();
  }

  /** What reaches a process thread's handler: only a failure of Weft itself. */
  @Override
  public void uncaughtException(Thread t, Throwable e) {
    CRASH_LOG.error("process {} failed outside its body", this, e);
  }

  /** The process's virtual thread. */
  Thread thread() {
    return thread;
  }

  /** The body of the process's thread; on any other thread it refuses to run. */
  @Override
  public void run() {
    if (Thread.currentThread() != thread || body == null) {
      throw new IllegalStateException("a process runs only on its own thread, once");
    }
    ProcessBody b = body;
    body = null;
    ExitReason reason;
    Throwable crash = null;
    try {
      b.run();
      reason = ExitReason.NORMAL;
    } catch (ExitUnwind unwind) {
      reason = unwind.reason();
    } catch (Throwable t) {
      reason = ExitReason.error(t);
      crash = t;
    }
    // The body is over: a yield point met from here on (in a crash report's appender, an exit
    // clean-up) must not unwind a second time, which would escape this method.
    exitThrown = true;
    Thread.interrupted();
    die(reason, crash, true);
    mailbox.clear();
    if ((int) UNWINDING.getAndSet(this, FINISHED) == COUNTED) {
      WeftScheduler s = Scheduling.get().weft();
      if (s != null) {
        s.exitUnwound();
      }
    }
  }

  /**
   * At a yield point in application code: throws {@link ExitUnwind} if an exit signal has ended
   * this process and no yield point has thrown it yet. Owner thread.
   */
  void unwindIfKilled() {
    ExitReason r = exitReason;
    if (r != null && !exitThrown) {
      exitThrown = true;
      throw new ExitUnwind(r);
    }
  }

  void countPreemption() {
    preemptions++;
  }

  void countLongSchedule() {
    longSchedules++;
  }

  /** The behaviour's label, if any. */
  Optional<String> behaviourLabel() {
    return Optional.ofNullable(behaviour);
  }

  private void reportCrash(ExitReason reason, Throwable crash) {
    String who = name == null ? "" : " (" + name + ")";
    String what = behaviour == null ? "process" : behaviour;
    String context = crashContext == null ? "" : "; " + crashContext;
    if (crash != null) {
      CRASH_LOG.error("{} {}{} crashed: {}{}", what, this, who, reason, context, crash);
    } else {
      CRASH_LOG.error("{} {}{} exited: {}{}", what, this, who, reason, context);
    }
  }

  /** Whether the process has ended (its thread may still be unwinding). */
  public boolean isDead() {
    return exitReason != null;
  }

  /** The exit reason, or null while alive. */
  public ExitReason exitReason() {
    return exitReason;
  }

  /** Throws {@link ExitUnwind} when this process has been killed. */
  public void checkAlive() {
    ExitReason r = exitReason;
    if (r != null) {
      throw new ExitUnwind(r);
    }
  }

  /**
   * Ends the process with the reason, once: releases its name, signals its links, fires its
   * monitors and interrupts its thread if another thread is ending it.
   *
   * @return false if it had already ended
   */
  boolean die(ExitReason reason) {
    return die(reason, null, false);
  }

  /**
   * Ends the process; when it ended by its own hand ({@code ownEnd}) with an abnormal reason, the
   * crash report is logged first, before linked processes and supervisors hear of it (as OTP).
   */
  private boolean die(ExitReason reason, Throwable crash, boolean ownEnd) {
    List<ProcessCore> linked;
    List<Map.Entry<Ref, Watcher>> toTell;
    List<Map.Entry<Ref, ProcessCore>> watched;
    synchronized (this) {
      if (exitReason != null) {
        return false;
      }
      exitReason = reason;
      linked = links == null ? List.of() : new ArrayList<>(links);
      links = null;
      toTell = watchers == null ? List.of() : new ArrayList<>(watchers.entrySet());
      watchers = null;
      watched = monitoring == null ? List.of() : new ArrayList<>(monitoring.entrySet());
      monitoring = null;
    }
    if (ownEnd && !reason.isNormal()) {
      reportCrash(reason, crash);
    }
    String n = name;
    if (n != null) {
      kernel.unregister(n, this);
    }
    kernel.removeProcess(this);
    // Clean-up first (registry entries, tables, timers), so whoever hears of the death next
    // already sees its effects.
    for (Map.Entry<Ref, Watcher> e : toTell) {
      if (e.getValue() instanceof CallbackWatcher(Consumer<ExitReason> callback, boolean cleanup)
          && cleanup) {
        runCallback(callback, reason);
      }
    }
    for (ProcessCore other : linked) {
      // Signal before unlinking: while the link is there, a link() from the other side is a
      // no-op (this signal is on its way), so it cannot overtake it with a noproc.
      other.exitSignal(this, reason, true);
      other.removeLink(this);
    }
    for (Map.Entry<Ref, Watcher> e : toTell) {
      tell(e.getKey(), e.getValue(), reason);
    }
    for (Map.Entry<Ref, ProcessCore> e : watched) {
      e.getValue().removeWatcher(e.getKey());
    }
    // Watchers that came after the exit reason was set but before the clean-up above had run
    // hear of the death only now, so that they too see its effects (a table deleted, a name
    // released) when they do.
    List<Runnable> arrivedLate;
    synchronized (this) {
      settled = true;
      arrivedLate = late;
      late = null;
    }
    if (arrivedLate != null) {
      arrivedLate.forEach(Runnable::run);
    }
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
      // It may be running, even spinning in a loop: make its yield points look (see YieldPoint).
      WeftScheduler s = Scheduling.get().weft();
      if (s != null && !mailbox.isWaiting() && UNWINDING.compareAndSet(this, NONE, COUNTED)) {
        s.exitSignalled();
      }
    }
    return true;
  }

  /**
   * Runs an exit callback; what it throws is logged and lost, so that one bad callback cannot keep
   * the links and monitors of a dead process from hearing of its death.
   */
  private void runCallback(Consumer<ExitReason> callback, ExitReason reason) {
    try {
      callback.accept(reason);
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError v) {
        throw v;
      }
      CRASH_LOG.error("an exit callback of {} failed", this, e);
    }
  }

  private void tell(Ref ref, Watcher watcher, ExitReason reason) {
    switch (watcher) {
      case ProcessWatcher(ProcessCore p) -> {
        p.forgetMonitor(ref);
        p.deliver(new Down(ref, this, reason));
      }
      case CallbackWatcher(Consumer<ExitReason> callback, boolean cleanup) -> {
        if (!cleanup) {
          runCallback(callback, reason);
        }
      }
    }
  }

  /**
   * Receives an exit signal, following Erlang's rules: an explicit {@code kill} cannot be trapped;
   * a trapping process gets an {@link Exit} message; {@code normal} from another process is
   * ignored; anything else ends the process with that reason.
   *
   * @param from the sender
   * @param reason the reason
   * @param viaLink whether the signal comes from a linked process that ended
   */
  public void exitSignal(ProcessCore from, ExitReason reason, boolean viaLink) {
    if (exitReason != null) {
      return;
    }
    if (reason instanceof ExitReason.Kill && !viaLink) {
      die(ExitReason.KILLED);
    } else if (trapExit) {
      deliver(new Exit(from, reason));
    } else if (reason instanceof ExitReason.Normal) {
      if (from == this) {
        die(reason);
      }
    } else {
      die(reason);
    }
  }

  // ---------------------------------------------------------------- messages

  /** Appends a message to the mailbox; dropped if the process has ended. Never blocks. */
  public void deliver(Object message) {
    if (exitReason == null) {
      mailbox.put(message, thread);
    }
  }

  /**
   * Selective receive; owner thread only.
   *
   * @return the message, or {@link #timedOut()} when the timeout elapsed
   */
  public Object receive(Predicate<Object> match, long timeoutNanos) {
    checkAlive();
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException(
          "receive must run on the process's own thread, not inside dirty work (DirtyPool)");
    }
    return mailbox.receive(match, timeoutNanos, this);
  }

  private static final ClassValue<Predicate<Object>> INSTANCE_OF =
      new ClassValue<>() {
        @Override
        protected Predicate<Object> computeValue(Class<?> type) {
          return type::isInstance;
        }
      };

  /**
   * The pattern "a message of this type", made once per type (a receive allocates nothing for it).
   *
   * @param type the type
   * @return the predicate
   */
  public static Predicate<Object> instanceOf(Class<?> type) {
    return INSTANCE_OF.get(type);
  }

  /** The value {@link #receive} returns on timeout. */
  public static Object timedOut() {
    return Mailbox.TIMED_OUT;
  }

  /** Drops messages that match; owner thread only. */
  public int flush(Predicate<Object> match) {
    return mailbox.removeIf(match);
  }

  // ---------------------------------------------------------------- links

  /**
   * Links the current process (this) with another; a dead other sends this a noproc signal, unless
   * the two were already linked when it died (its exit signal, with the real reason, is then on its
   * way, and linking again is a no-op, as in Erlang).
   */
  public void link(ProcessCore other) {
    if (other == this) {
      return;
    }
    ProcessCore first = id < other.id ? this : other;
    ProcessCore second = first == this ? other : this;
    boolean noproc;
    synchronized (first) {
      synchronized (second) {
        checkAlive();
        boolean otherDead = other.exitReason != null;
        if (!otherDead) {
          links().add(other);
          other.links().add(this);
        }
        noproc = otherDead && (links == null || !links.contains(other));
      }
    }
    if (noproc) {
      exitSignal(other, ExitReason.NOPROC, true);
      checkAlive();
    }
  }

  /** Removes the link in both directions, if there is one. */
  public void unlink(ProcessCore other) {
    removeLink(other);
    other.removeLink(this);
  }

  private synchronized void removeLink(ProcessCore other) {
    if (links != null) {
      links.remove(other);
    }
  }

  /** Links a process that has not started yet to this one (spawn_link). */
  void linkUnstarted(ProcessCore child) {
    synchronized (this) {
      checkAlive();
      links().add(child);
    }
    synchronized (child) {
      child.links().add(this);
    }
  }

  // ---------------------------------------------------------------- monitors

  /**
   * Makes {@code watcher} monitor this process. If this process has already ended, the {@link Down}
   * message (with {@code noproc}) is delivered at once.
   */
  public Ref monitoredBy(ProcessCore watcher) {
    Ref ref = Ref.make();
    synchronized (watcher) {
      watcher.monitoring().put(ref, this);
    }
    Runnable noproc =
        () -> {
          watcher.forgetMonitor(ref);
          watcher.deliver(new Down(ref, this, ExitReason.NOPROC));
        };
    synchronized (this) {
      if (exitReason == null) {
        watchers().put(ref, new ProcessWatcher(watcher));
        return ref;
      }
      if (!settled) {
        late().add(noproc);
        return ref;
      }
    }
    noproc.run();
    return ref;
  }

  /**
   * Runs a callback once when this process ends (at once, with {@code noproc}, if it already has).
   * Used by calls, registries and tables; the callback must be quick and must not block.
   *
   * @return the reference to pass to {@link #removeWatcher(Ref)}
   */
  public Ref onExit(Consumer<ExitReason> callback) {
    return addCallback(callback, false);
  }

  /**
   * Like {@link #onExit} for clean-up (registry entries, tables, timers): runs before linked
   * processes are signalled and before monitors and other callbacks fire.
   */
  public Ref onExitCleanup(Consumer<ExitReason> callback) {
    return addCallback(callback, true);
  }

  private Ref addCallback(Consumer<ExitReason> callback, boolean cleanup) {
    Ref ref = Ref.make();
    synchronized (this) {
      if (exitReason == null) {
        watchers().put(ref, new CallbackWatcher(callback, cleanup));
        return ref;
      }
      if (!settled) {
        late().add(() -> runCallback(callback, ExitReason.NOPROC));
        return ref;
      }
    }
    callback.accept(ExitReason.NOPROC);
    return ref;
  }

  /** Removes a monitor or exit callback; returns whether it was still there. */
  public synchronized boolean removeWatcher(Ref ref) {
    return watchers != null && watchers.remove(ref) != null;
  }

  /**
   * Ends a monitor this process holds.
   *
   * @return whether it was still active
   */
  public boolean demonitor(Ref ref) {
    ProcessCore target;
    synchronized (this) {
      target = monitoring == null ? null : monitoring.remove(ref);
    }
    return target != null && target.removeWatcher(ref);
  }

  private synchronized void forgetMonitor(Ref ref) {
    if (monitoring != null) {
      monitoring.remove(ref);
    }
  }

  // ---------------------------------------------------------------- flags and names

  /** Sets the trap-exit flag; returns the previous value. */
  public boolean trapExit(boolean on) {
    boolean old = trapExit;
    trapExit = on;
    return old;
  }

  /** Whether the process traps exits. */
  public boolean trapsExits() {
    return trapExit;
  }

  /** The registered name, or null. */
  public String name() {
    return name;
  }

  void name(String name) {
    this.name = name;
  }

  /**
   * Adds what a behaviour knows about a crash (last message, state) to the crash report that is
   * logged if the process then ends abnormally. Owner thread.
   */
  public void crashContext(String context) {
    this.crashContext = context;
  }

  /** Labels the behaviour this process runs, for introspection and crash reports. */
  public void behaviour(String behaviour) {
    this.behaviour = behaviour;
  }

  // ---------------------------------------------------------------- introspection

  /** A snapshot of this process. */
  public ProcessInfo info() {
    List<Pid> l;
    List<Pid> mon;
    List<Pid> by = new ArrayList<>();
    synchronized (this) {
      l = links == null ? List.of() : List.copyOf(links);
      mon = monitoring == null ? List.of() : List.copyOf(monitoring.values());
      for (Watcher w : watchers == null ? List.<Watcher>of() : watchers.values()) {
        if (w instanceof ProcessWatcher(ProcessCore p)) {
          by.add(p);
        }
      }
    }
    ProcessStatus status =
        exitReason != null
            ? ProcessStatus.EXITED
            : mailbox.isWaiting() ? ProcessStatus.WAITING : ProcessStatus.RUNNING;
    return new ProcessInfo(
        this,
        Optional.ofNullable(name),
        status,
        mailbox.size(),
        l,
        mon,
        List.copyOf(by),
        trapExit,
        Optional.ofNullable(behaviour),
        Optional.ofNullable(parent),
        Instant.ofEpochMilli(startedAtMillis),
        preemptions,
        longSchedules);
  }
}
