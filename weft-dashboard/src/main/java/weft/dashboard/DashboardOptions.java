package weft.dashboard;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import weft.jobs.Jobs;

/**
 * What the dashboard shows and how it is protected.
 *
 * @param secret at least 32 characters, signs the dashboard's session cookie and socket token
 * @param password the password, or empty to generate one at start (see {@link
 *     Dashboard#password()}); never blank
 * @param rootSupervisor the registered name of the application's root supervisor, whose tree is
 *     shown, or empty for none
 * @param jobs the jobs to show and act on, or empty for none
 * @param interval how often a sample is taken and pushed (at most 1 s)
 * @param history how many samples the charts keep
 */
public record DashboardOptions(
    String secret,
    Optional<String> password,
    Optional<String> rootSupervisor,
    Optional<Jobs> jobs,
    Duration interval,
    int history) {

  /** Validates. */
  public DashboardOptions {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(password, "password (Optional.empty() to generate one)");
    Objects.requireNonNull(rootSupervisor, "rootSupervisor (Optional.empty() for none)");
    Objects.requireNonNull(jobs, "jobs (Optional.empty() for none)");
    if (secret.length() < 32) {
      throw new IllegalArgumentException("the dashboard's secret must be at least 32 characters");
    }
    if (password.isPresent() && password.get().isBlank()) {
      throw new IllegalArgumentException("the dashboard's password must not be blank");
    }
    if (interval.isNegative()
        || interval.isZero()
        || interval.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new IllegalArgumentException(
          "interval must be positive and at most 1 s, got " + interval);
    }
    if (history < 1) {
      throw new IllegalArgumentException("history must be positive, got " + history);
    }
  }

  /**
   * Defaults: a generated password, no tree, no jobs, a sample every second, 5 minutes of charts.
   *
   * @param secret signs the session
   * @return the options
   */
  public static DashboardOptions of(String secret) {
    return new DashboardOptions(
        secret, Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(1), 300);
  }

  /**
   * With a password.
   *
   * @param password the password, not blank
   * @return the new options
   */
  public DashboardOptions withPassword(String password) {
    return new DashboardOptions(
        secret, Optional.of(password), rootSupervisor, jobs, interval, history);
  }

  /**
   * Showing the tree under a registered supervisor.
   *
   * @param name the supervisor's registered name
   * @return the new options
   */
  public DashboardOptions withRootSupervisor(String name) {
    return new DashboardOptions(secret, password, Optional.of(name), jobs, interval, history);
  }

  /**
   * Showing jobs, with retry and cancel.
   *
   * @param jobs the jobs
   * @return the new options
   */
  public DashboardOptions withJobs(Jobs jobs) {
    return new DashboardOptions(
        secret, password, rootSupervisor, Optional.of(jobs), interval, history);
  }

  /**
   * Sampling at another interval.
   *
   * @param interval at most 1 s
   * @return the new options
   */
  public DashboardOptions withInterval(Duration interval) {
    return new DashboardOptions(secret, password, rootSupervisor, jobs, interval, history);
  }
}
