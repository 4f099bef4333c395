package weft.jobs.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.jobs.CronEntry;
import weft.jobs.engine.JobEngine;
import weft.process.Process;
import weft.supervisor.ChildSpec;

/*
 * Design: Oban's Cron plugin. Every node runs the loop; the engine's tick row decides which node
 * inserts a tick's job, so each tick is inserted once however many nodes run. A tick missed by
 * less than a minute (a slow start, a pause) is still taken; older ones are skipped.
 */
/** Inserts the cron entries' jobs at every minute. */
public final class Cron {

  private static final Logger LOG = LoggerFactory.getLogger(Cron.class);

  private final JobEngine engine;
  private final Clock clock;
  private final List<CronEntry> entries;
  private final Consumer<String> inserted;

  /**
   * The cron of one node.
   *
   * @param engine where jobs go
   * @param clock the clock ticks are read from
   * @param entries the entries
   * @param inserted told each queue a job was inserted into
   */
  public Cron(JobEngine engine, Clock clock, List<CronEntry> entries, Consumer<String> inserted) {
    this.engine = engine;
    this.clock = clock;
    this.entries = List.copyOf(entries);
    this.inserted = inserted;
  }

  /**
   * The loop's child spec (id {@code "cron"}).
   *
   * @return the spec
   */
  public ChildSpec childSpec() {
    return ChildSpec.worker("cron", () -> Process.spawnLink(this::loop));
  }

  private void loop() {
    Loops.periodic(
        "JobCron", this::tick, () -> Duration.ofMillis(60_000 - clock.millis() % 60_000 + 50), LOG);
  }

  /**
   * Inserts the job of every entry whose latest tick no node has taken yet.
   *
   * @return the ids of the jobs inserted
   */
  public List<Long> tick() {
    List<Long> ids = new ArrayList<>();
    Instant now = clock.instant();
    for (CronEntry entry : entries) {
      entry
          .lastTick(now)
          .filter(tick -> !tick.isBefore(now.minus(Duration.ofMinutes(1))))
          .flatMap(tick -> engine.insertForTick(entry.name(), tick, entry.spec(), now))
          .ifPresent(id -> {
            ids.add(id);
            inserted.accept(entry.spec().queue());
          });
    }
    return ids;
  }
}
