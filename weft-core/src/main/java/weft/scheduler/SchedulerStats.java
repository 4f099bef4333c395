package weft.scheduler;

/**
 * A snapshot of the scheduler, for dashboards and metrics.
 *
 * @param mode which scheduler runs processes
 * @param parallelism carriers that run processes normally
 * @param carriers carriers now, spares added by the watchdog included
 * @param busy carriers running a process now
 * @param queued processes runnable and waiting for a carrier
 * @param preemptions processes preempted at a yield point so far
 * @param compensations spare carriers added so far for carriers held without a yield point
 * @param longSchedules watchdog reports so far
 */
public record SchedulerStats(
    Scheduler.Mode mode,
    int parallelism,
    int carriers,
    int busy,
    int queued,
    long preemptions,
    long compensations,
    long longSchedules) {}
