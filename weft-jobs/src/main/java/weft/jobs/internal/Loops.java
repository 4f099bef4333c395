package weft.jobs.internal;

import java.time.Duration;
import java.util.Optional;
import weft.process.Exit;
import weft.process.Process;

/** What the jobs' long-running loops (cron, lifeline, pruner, notifier) share. */
final class Loops {

  private Loops() {}

  /**
   * For a loop that traps exits: waits up to {@code wait} for an exit signal from its supervisor;
   * when one comes, ends the process with its reason (the loop's resources released by the
   * unwinding) before the supervisor stops the next child or the application closes the store.
   *
   * @param wait how long to wait; zero only looks
   * @return false when no exit signal came within {@code wait}
   */
  static boolean stopping(Duration wait) {
    return stoppingWithin(wait);
  }

  /**
   * The body of a periodic loop's process: labels it, traps exits, then runs {@code step} and waits
   * {@code next} (asked after each step) until its supervisor stops it. A step that throws is
   * logged and the loop goes on.
   *
   * @param label the process's label
   * @param step one round
   * @param next how long to wait after a round
   * @param log where failures are logged
   */
  static void periodic(
      String label,
      Runnable step,
      java.util.function.Supplier<Duration> next,
      org.slf4j.Logger log) {
    Process.label(label);
    Process.trapExit(true);
    while (true) {
      try {
        step.run();
      } catch (RuntimeException e) {
        log.warn("{} failed: {}", label, e.toString());
      }
      if (stoppingWithin(next.get())) {
        return;
      }
    }
  }

  private static boolean stoppingWithin(Duration wait) {
    Optional<Exit> exit = Process.receive(Exit.class, wait);
    if (exit.isPresent()) {
      throw Process.exit(exit.get().reason()); // ends with the supervisor's reason (shutdown)
    }
    return false;
  }
}
