package weft.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How this node runs jobs.
 *
 * @param node this node's name, recorded on the jobs it runs (unique among nodes sharing a
 *     database)
 * @param queues the queues this node runs and their concurrency limits
 * @param pollInterval how often each queue looks for due jobs (default 1 s); inserts on this node
 *     wake it at once
 * @param rescueAfter a node not heard from for this long is taken as dead and its executing jobs
 *     run again (default 1 minute); the maintenance loop (heartbeat, rescue, prune) runs every
 *     quarter of it
 * @param pruneAfter finished jobs older than this are deleted (default 7 days)
 * @param clock the clock for scheduling and backoff (tests use a manual one)
 * @param cron jobs inserted on a schedule
 */
public record JobsConfig(
    String node,
    Map<String, Integer> queues,
    Duration pollInterval,
    Duration rescueAfter,
    Duration pruneAfter,
    Clock clock,
    java.util.List<CronEntry> cron) {

  /**
   * Validates the configuration.
   *
   * @param node not empty
   * @param queues names to limits of at least 1
   * @param pollInterval positive
   * @param rescueAfter positive
   * @param pruneAfter positive
   * @param clock not null
   * @param cron entries with unique names
   */
  public JobsConfig {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(clock, "clock");
    queues = Map.copyOf(queues);
    cron = java.util.List.copyOf(cron);
    if (cron.stream().map(CronEntry::name).distinct().count() != cron.size()) {
      throw new IllegalArgumentException("cron entry names must be unique");
    }
    queues.forEach((q, n) -> {
      if (n < 1) {
        throw new IllegalArgumentException(
            "queue " + q + " needs a concurrency of at least 1, got " + n);
      }
    });
    for (Duration d : new Duration[] {pollInterval, rescueAfter, pruneAfter}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("durations must be positive");
      }
    }
  }

  /**
   * Defaults for a node running the given queues.
   *
   * @param node the node's name
   * @param queues queue names to concurrency limits
   * @return the configuration
   */
  public static JobsConfig of(String node, Map<String, Integer> queues) {
    return new JobsConfig(
        node,
        queues,
        Duration.ofSeconds(1),
        Duration.ofMinutes(1),
        Duration.ofDays(7),
        Clock.systemUTC(),
        java.util.List.of());
  }

  /**
   * With another clock.
   *
   * @param clock the clock
   * @return the configuration
   */
  public JobsConfig withClock(Clock clock) {
    return new JobsConfig(node, queues, pollInterval, rescueAfter, pruneAfter, clock, cron);
  }

  /**
   * With another poll interval.
   *
   * @param pollInterval how often queues look for due jobs
   * @return the configuration
   */
  public JobsConfig withPollInterval(Duration pollInterval) {
    return new JobsConfig(node, queues, pollInterval, rescueAfter, pruneAfter, clock, cron);
  }

  /**
   * With another rescue delay; the maintenance loop (heartbeat, rescue, prune) runs every quarter
   * of it.
   *
   * @param rescueAfter how long a node may go unheard before its executing jobs run again
   * @return the configuration
   */
  public JobsConfig withRescueAfter(Duration rescueAfter) {
    return new JobsConfig(node, queues, pollInterval, rescueAfter, pruneAfter, clock, cron);
  }

  /**
   * With another age after which finished (completed, discarded, cancelled) jobs are deleted.
   *
   * @param pruneAfter the age, by the configuration's clock
   * @return the configuration
   */
  public JobsConfig withPruneAfter(Duration pruneAfter) {
    return new JobsConfig(node, queues, pollInterval, rescueAfter, pruneAfter, clock, cron);
  }

  /**
   * With cron entries.
   *
   * @param entries the entries
   * @return the configuration
   */
  public JobsConfig withCron(java.util.List<CronEntry> entries) {
    return new JobsConfig(node, queues, pollInterval, rescueAfter, pruneAfter, clock, entries);
  }
}
