package weft.jobs.internal;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.jobs.engine.JobEngine;
import weft.process.Process;
import weft.supervisor.ChildSpec;

/*
 * Design: Oban's Lifeline. A node heartbeats every quarter of rescueAfter; a node not heard from
 * for rescueAfter is taken as dead and its executing jobs run again (their attempt stands). A
 * node's own jobs left executing by its previous run are released at start-up, before any queue
 * runs, with their attempt given back.
 */
/** Heartbeats for this node and rescues the jobs of nodes gone silent. */
public final class Lifeline {

  private static final Logger LOG = LoggerFactory.getLogger(Lifeline.class);

  private final JobEngine engine;
  private final Clock clock;
  private final String node;
  private final Duration rescueAfter;
  private final Runnable rescued;

  /**
   * The lifeline of one node.
   *
   * @param engine the jobs
   * @param clock the clock heartbeats are read from
   * @param node this node
   * @param rescueAfter how long a node may go unheard
   * @param rescued run after jobs were rescued (wakes the queues)
   */
  public Lifeline(
      JobEngine engine, Clock clock, String node, Duration rescueAfter, Runnable rescued) {
    this.engine = engine;
    this.clock = clock;
    this.node = node;
    this.rescueAfter = rescueAfter;
    this.rescued = rescued;
  }

  /**
   * Makes this node's jobs left executing by a previous run available again and records a first
   * heartbeat; called once, before the queues start.
   */
  public void recoverOwn() {
    int orphans = engine.releaseNode(node);
    if (orphans > 0) {
      LOG.warn(
          "{} job(s) of node {} were left executing by a previous run; made available again",
          orphans,
          node);
    }
    engine.heartbeat(node, clock.instant());
  }

  /**
   * The loop's child spec (id {@code "lifeline"}).
   *
   * @return the spec
   */
  public ChildSpec childSpec() {
    return ChildSpec.worker("lifeline", () -> Process.spawnLink(this::loop));
  }

  private void loop() {
    Loops.periodic("JobLifeline", this::beat, () -> rescueAfter.dividedBy(4), LOG);
  }

  /**
   * One round: heartbeat, then rescue.
   *
   * @return how many jobs were rescued
   */
  public int beat() {
    engine.heartbeat(node, clock.instant());
    int n = engine.rescue(rescueAfter, node, clock.instant());
    if (n > 0) {
      LOG.warn("rescued {} job(s) left executing by nodes not heard from in {}", n, rescueAfter);
      rescued.run();
    }
    return n;
  }
}
