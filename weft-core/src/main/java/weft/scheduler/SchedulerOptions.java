package weft.scheduler;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Weft's scheduler runs processes. There is one scheduler per JVM (as the BEAM has one set of
 * schedulers per node), configured once, before the first process starts, from system properties:
 *
 * <table>
 *   <caption>Scheduler settings</caption>
 *   <tr><th>property</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code weft.scheduler}</td><td>{@code weft}</td>
 *       <td>{@code weft}: Weft's carriers, with preemption when the agent is on; {@code jdk}: the
 *       JDK's own virtual-thread scheduler (no preemption, no watchdog)</td></tr>
 *   <tr><td>{@code weft.scheduler.parallelism}</td><td>available processors</td>
 *       <td>carrier threads that run processes (the BEAM's schedulers)</td></tr>
 *   <tr><td>{@code weft.scheduler.maxCarriers}</td><td>256</td>
 *       <td>carriers at most, spares added by the watchdog included</td></tr>
 *   <tr><td>{@code weft.scheduler.tick}</td><td>{@code 100us}</td>
 *       <td>how often the scheduler looks at its carriers</td></tr>
 *   <tr><td>{@code weft.scheduler.slice}</td><td>{@code 50us}</td>
 *       <td>how long a process may hold a carrier while others wait, before its next yield
 *       point gives the carrier up</td></tr>
 *   <tr><td>{@code weft.scheduler.compensateAfter}</td><td>{@code 10ms}</td>
 *       <td>a carrier held this long while others wait (code without yield points: native
 *       calls, JDK code) gets a spare carrier beside it until it is back</td></tr>
 *   <tr><td>{@code weft.scheduler.longSchedule}</td><td>{@code 100ms}</td>
 *       <td>a carrier held this long without a yield point, while others waited for it, is
 *       reported (as the BEAM's {@code long_schedule} system monitor)</td></tr>
 * </table>
 *
 * Durations are written with a unit: {@code ns}, {@code us}, {@code ms} or {@code s}.
 *
 * @param jdkScheduler whether processes run on the JDK's scheduler instead of Weft's
 * @param parallelism carriers that run processes, at least 1
 * @param maxCarriers carriers at most, at least {@code parallelism}
 * @param tick how often the scheduler looks at its carriers, at least 10 µs
 * @param slice how long a process may keep a carrier others wait for, at least 10 µs (the ticker
 *     enforces it at its tick; loops, which time themselves, exactly)
 * @param compensateAfter when a held carrier gets a spare, at least {@code slice}
 * @param longSchedule when a held carrier is reported, positive
 */
public record SchedulerOptions(
    boolean jdkScheduler,
    int parallelism,
    int maxCarriers,
    Duration tick,
    Duration slice,
    Duration compensateAfter,
    Duration longSchedule) {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ns|us|ms|s)");

  /** Checks the options. */
  public SchedulerOptions {
    Objects.requireNonNull(tick, "tick");
    Objects.requireNonNull(slice, "slice");
    Objects.requireNonNull(compensateAfter, "compensateAfter");
    Objects.requireNonNull(longSchedule, "longSchedule");
    if (parallelism < 1) {
      throw new IllegalArgumentException("weft.scheduler.parallelism must be >= 1: " + parallelism);
    }
    if (maxCarriers < parallelism) {
      throw new IllegalArgumentException(
          "weft.scheduler.maxCarriers ("
              + maxCarriers
              + ") must be >= parallelism ("
              + parallelism
              + ")");
    }
    if (tick.compareTo(Duration.ofNanos(10_000)) < 0) {
      throw new IllegalArgumentException("weft.scheduler.tick must be >= 10us: " + tick);
    }
    if (slice.compareTo(Duration.ofNanos(10_000)) < 0) {
      throw new IllegalArgumentException("weft.scheduler.slice must be >= 10us: " + slice);
    }
    if (compensateAfter.compareTo(slice) < 0) {
      throw new IllegalArgumentException(
          "weft.scheduler.compensateAfter ("
              + compensateAfter
              + ") must be >= slice ("
              + slice
              + ")");
    }
    if (longSchedule.isNegative() || longSchedule.isZero()) {
      throw new IllegalArgumentException(
          "weft.scheduler.longSchedule must be positive: " + longSchedule);
    }
  }

  /**
   * The defaults (see the table above).
   *
   * @return the defaults
   */
  public static SchedulerOptions defaults() {
    int cpus = Runtime.getRuntime().availableProcessors();
    return new SchedulerOptions(
        false,
        cpus,
        Math.max(cpus, 256),
        Duration.ofNanos(100_000),
        Duration.ofNanos(50_000),
        Duration.ofMillis(10),
        Duration.ofMillis(100));
  }

  /**
   * The defaults, overridden by the {@code weft.scheduler*} system properties that are set.
   *
   * @return the options
   * @throws IllegalArgumentException naming the property when one is malformed or out of range
   */
  public static SchedulerOptions fromSystemProperties() {
    SchedulerOptions d = defaults();
    String mode = System.getProperty("weft.scheduler", "weft").trim().toLowerCase(Locale.ROOT);
    if (!mode.equals("weft") && !mode.equals("jdk")) {
      throw new IllegalArgumentException("weft.scheduler must be weft or jdk, not " + mode);
    }
    int parallelism = integer("weft.scheduler.parallelism", d.parallelism());
    return new SchedulerOptions(
        mode.equals("jdk"),
        parallelism,
        integer("weft.scheduler.maxCarriers", Math.max(parallelism, d.maxCarriers())),
        duration("weft.scheduler.tick", d.tick()),
        duration("weft.scheduler.slice", d.slice()),
        duration("weft.scheduler.compensateAfter", d.compensateAfter()),
        duration("weft.scheduler.longSchedule", d.longSchedule()));
  }

  private static int integer(String property, int fallback) {
    String v = System.getProperty(property);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(property + " must be a whole number, not " + v);
    }
  }

  /**
   * Parses a duration written with a unit ({@code 250us}, {@code 10ms}).
   *
   * @param property the property's name, for the error
   * @param fallback when the property is not set
   * @return the duration
   */
  static Duration duration(String property, Duration fallback) {
    String v = System.getProperty(property);
    if (v == null) {
      return fallback;
    }
    Matcher m = DURATION.matcher(v.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          property + " must be a number with a unit (ns, us, ms or s), such as 250us, not " + v);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ns" -> Duration.ofNanos(n);
      case "us" -> Duration.ofNanos(n * 1000);
      case "ms" -> Duration.ofMillis(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
