package weft.jobs.internal;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.jobs.engine.JobEngine;
import weft.process.Process;
import weft.supervisor.ChildSpec;

/** Deletes finished jobs older than {@code pruneAfter}, every {@code every} (Oban's Pruner). */
public final class Pruner {

  private static final Logger LOG = LoggerFactory.getLogger(Pruner.class);

  private final JobEngine engine;
  private final Clock clock;
  private final Duration pruneAfter;
  private final Duration every;

  /**
   * The pruner of one node (nodes sharing an engine may all run one: deleting is idempotent).
   *
   * @param engine the jobs
   * @param clock the clock ages are read from
   * @param pruneAfter finished jobs older than this go
   * @param every how often to look
   */
  public Pruner(JobEngine engine, Clock clock, Duration pruneAfter, Duration every) {
    this.engine = engine;
    this.clock = clock;
    this.pruneAfter = pruneAfter;
    this.every = every;
  }

  /**
   * The loop's child spec (id {@code "pruner"}).
   *
   * @return the spec
   */
  public ChildSpec childSpec() {
    return ChildSpec.worker("pruner", () -> Process.spawnLink(this::loop));
  }

  private void loop() {
    Loops.periodic(
        "JobPruner",
        () -> {
          int n = engine.prune(pruneAfter, clock.instant());
          if (n > 0) {
            LOG.debug("pruned {} finished job(s) older than {}", n, pruneAfter);
          }
        },
        () -> every,
        LOG);
  }
}
