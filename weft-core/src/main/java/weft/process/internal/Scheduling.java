package weft.process.internal;

import java.lang.management.ManagementFactory;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import jdk.management.VirtualThreadSchedulerMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.scheduler.LongSchedule;
import weft.scheduler.Scheduler;
import weft.scheduler.SchedulerOptions;
import weft.scheduler.SchedulerStats;

/*
 * Design: the one scheduler of the JVM, chosen once, the first time a process starts. Virtual
 * threads' carriers are a JVM-wide resource (as the BEAM's schedulers are node-wide), so this is
 * the one piece of global state in weft-core; every Node's Kernel makes its threads here.
 *
 * Choice: Weft's scheduler when java.lang is open to it (the agent opens it) and the settings do
 * not ask for the JDK's; preemptive when the agent also inserted yield points. Otherwise the JDK's
 * scheduler, with one warning that says what is lost.
 */
/** The JVM's scheduler for processes. Internal: use {@link Scheduler}. */
public final class Scheduling {

  private static final Logger LOG = LoggerFactory.getLogger("weft.scheduler");

  /** Set by weft-agent once it has installed its transformer. */
  static final String AGENT_PROPERTY = "weft.agent.active";

  private static final class Holder {
    static final Scheduling INSTANCE = new Scheduling();
  }

  private final SchedulerOptions options;
  private final WeftScheduler weft;
  private final ThreadFactory threads;
  private final Scheduler.Mode mode;

  private Scheduling() {
    SchedulerOptions o = SchedulerOptions.fromSystemProperties();
    boolean agent = Boolean.getBoolean(AGENT_PROPERTY);
    if (o.jdkScheduler()) {
      weft = null;
      mode = Scheduler.Mode.JDK;
      LOG.info("processes run on the JDK's virtual-thread scheduler (weft.scheduler=jdk)");
    } else if (!JdkHooks.AVAILABLE) {
      weft = null;
      mode = Scheduler.Mode.JDK;
      LOG.warn(
          "processes run on the JDK's virtual-thread scheduler, without preemption or watchdog:"
              + " {}",
          JdkHooks.UNAVAILABLE_REASON);
    } else {
      weft = new WeftScheduler(o);
      mode = agent ? Scheduler.Mode.PREEMPTIVE : Scheduler.Mode.COOPERATIVE;
      if (agent) {
        LOG.debug(
            "Weft scheduler: {} carriers, preemptive (slice {}, watchdog at {})",
            o.parallelism(),
            o.slice(),
            o.longSchedule());
      } else {
        LOG.warn(
            "Weft scheduler without yield points (start the JVM with -javaagent:weft-agent.jar):"
                + " a process in a CPU-bound loop keeps its carrier until it blocks");
      }
    }
    options = o;
    threads = weft != null ? weft.threads : Thread.ofVirtual().factory();
  }

  /**
   * The scheduler.
   *
   * @return the one instance
   */
  public static Scheduling get() {
    return Holder.INSTANCE;
  }

  /** Makes the virtual threads of processes. */
  ThreadFactory threads() {
    return threads;
  }

  /** Weft's scheduler, or null when processes run on the JDK's. */
  WeftScheduler weft() {
    return weft;
  }

  /**
   * Which scheduler runs processes.
   *
   * @return the mode
   */
  public Scheduler.Mode mode() {
    return mode;
  }

  /**
   * A snapshot of the scheduler.
   *
   * @return the statistics
   */
  public SchedulerStats stats() {
    if (weft != null) {
      return weft.stats(mode);
    }
    var jdk = ManagementFactory.getPlatformMXBean(VirtualThreadSchedulerMXBean.class);
    return new SchedulerStats(
        mode,
        jdk.getParallelism(),
        jdk.getPoolSize(),
        jdk.getMountedVirtualThreadCount(),
        (int) Math.min(Integer.MAX_VALUE, jdk.getQueuedVirtualThreadCount()),
        0,
        0,
        0);
  }

  /**
   * Adds a listener for the watchdog's reports (none arrive on the JDK's scheduler). A listener
   * that throws is removed, with a log line.
   *
   * @param listener called on the watchdog's thread; must be quick
   */
  public void addLongScheduleListener(Consumer<LongSchedule> listener) {
    if (weft != null) {
      weft.watchdog.addListener(listener);
    }
  }

  /**
   * Removes a listener.
   *
   * @param listener the listener
   */
  public void removeLongScheduleListener(Consumer<LongSchedule> listener) {
    if (weft != null) {
      weft.watchdog.removeListener(listener);
    }
  }

  /**
   * The settings in force.
   *
   * @return the options
   */
  public SchedulerOptions options() {
    return options;
  }
}
