package weft.jobs;

/** Hears every job state change; must be quick and must not block. */
@FunctionalInterface
public interface JobListener {

  /**
   * A job changed state.
   *
   * @param event what happened
   */
  void on(JobEvent event);
}
