package weft.jobs;

/**
 * Does the work of one kind of job, as an Oban worker. Each attempt runs in its own process with
 * the worker's timeout.
 *
 * {@snippet :
 * final class SendWelcome implements Worker {
 *   record Args(String email) {}
 *
 *   public JobResult perform(Job job) {
 *     mailer.send(job.args(Args.class).email(), "Welcome!");
 *     return JobResult.ok();
 *   }
 *
 *   public WorkerOptions options() {
 *     return WorkerOptions.defaults().withQueue("mail").withMaxAttempts(5);
 *   }
 * }
 * }
 *
 * <p>Jobs run at least once: an attempt cut short by a crash of the node runs again, so {@code
 * perform} should be idempotent.
 */
public interface Worker {

  /**
   * Performs one attempt.
   *
   * @param job the job
   * @return ok, error, snooze or cancel
   * @throws Exception counts as an error (retried while attempts remain); {@link BadArgsException}
   *     discards the job
   */
  JobResult perform(Job job) throws Exception;

  /**
   * The worker's settings.
   *
   * @return by default {@link WorkerOptions#defaults()}
   */
  default WorkerOptions options() {
    return WorkerOptions.defaults();
  }

  /**
   * The name jobs refer to this worker by.
   *
   * @return by default the class name
   */
  default String name() {
    return getClass().getName();
  }
}
