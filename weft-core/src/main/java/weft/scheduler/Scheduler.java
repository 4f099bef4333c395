package weft.scheduler;

import java.util.function.Consumer;
import weft.process.internal.Scheduling;

/**
 * The scheduler that runs every process of the JVM: what it is, how busy, and what its watchdog
 * saw. There is one per JVM, configured by {@link SchedulerOptions} from system properties before
 * the first process starts.
 *
 * {@snippet :
 * if (Scheduler.mode() != Scheduler.Mode.PREEMPTIVE) {
 *   log.warn("start the JVM with -javaagent:weft-agent.jar for preemptive scheduling");
 * }
 * Scheduler.addLongScheduleListener(report -> metrics.counter("long_schedule").increment());
 * }
 *
 * <h2>Fair scheduling</h2>
 *
 * As on the BEAM, a process that computes for a long time does not starve the others. Weft runs
 * processes on carrier threads of its own and, when a process has held a carrier for a time slice
 * ({@link SchedulerOptions#slice()}) while other processes wait, preempts it at its next <em>yield
 * point</em>: a check that {@code weft-agent} inserts into the bytecode of the application and its
 * libraries at loop back-edges and method entries. The same check ends a process that an exit
 * signal has killed, even inside {@code while (true) {}}.
 *
 * <p>Code without yield points cannot be preempted: JDK methods, native calls (JNI), and classes
 * the agent leaves alone. A <em>watchdog</em> covers them: a carrier held without progress past
 * {@link SchedulerOptions#compensateAfter()} while work waits gets a spare carrier beside it, and
 * past {@link SchedulerOptions#longSchedule()} the holder is logged (logger {@code
 * weft.scheduler.watchdog}), counted in its {@link weft.process.ProcessInfo} and reported to the
 * listeners here. Run native and blocking library calls in a {@link DirtyPool} instead.
 *
 * <p>Threads: every method may be called from any thread.
 */
public final class Scheduler {

  /** Which scheduler runs processes. */
  public enum Mode {
    /** Weft's carriers, with yield points: CPU-bound processes are preempted. */
    PREEMPTIVE,
    /** Weft's carriers without yield points (the agent is not on): no preemption. */
    COOPERATIVE,
    /** The JDK's virtual-thread scheduler: no preemption and no watchdog. */
    JDK
  }

  private Scheduler() {}

  /**
   * Which scheduler runs processes; chosen when the first process starts.
   *
   * @return the mode
   */
  public static Mode mode() {
    return Scheduling.get().mode();
  }

  /**
   * The settings in force.
   *
   * @return the options
   */
  public static SchedulerOptions options() {
    return Scheduling.get().options();
  }

  /**
   * A snapshot of the scheduler.
   *
   * @return carriers, how many are busy, what waits, preemptions and watchdog counts
   */
  public static SchedulerStats stats() {
    return Scheduling.get().stats();
  }

  /**
   * Adds a listener for the watchdog's reports. It runs on the watchdog's own thread and must be
   * quick; one that throws is removed, with a log line. Nothing is reported on the JDK's scheduler.
   *
   * @param listener the listener
   */
  public static void addLongScheduleListener(Consumer<LongSchedule> listener) {
    Scheduling.get().addLongScheduleListener(java.util.Objects.requireNonNull(listener));
  }

  /**
   * Removes a listener added by {@link #addLongScheduleListener}.
   *
   * @param listener the listener
   */
  public static void removeLongScheduleListener(Consumer<LongSchedule> listener) {
    Scheduling.get().removeLongScheduleListener(listener);
  }
}
