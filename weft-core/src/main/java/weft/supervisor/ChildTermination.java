package weft.supervisor;

import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.process.Down;
import weft.process.Exit;
import weft.process.ExitReason;
import weft.process.Pid;
import weft.process.Process;
import weft.process.Ref;

/**
 * Stops one child the OTP way, from the supervisor's process: monitor it, unlink it (dropping an
 * {@link Exit} that may already have arrived), send {@code shutdown} or {@code kill}, and wait for
 * the {@link Down}; after the shutdown timeout, kill.
 */
final class ChildTermination {

  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

  private ChildTermination() {}

  static ExitReason stop(Pid child, Shutdown how, Object id) {
    Ref ref = Process.monitor(child);
    Process.unlink(child);
    Process.flush(m -> m instanceof Exit e && e.from().equals(child));
    ExitReason reason =
        switch (how) {
          case Shutdown.BrutalKill b -> {
            Process.exit(child, ExitReason.KILL);
            yield awaitDown(ref);
          }
          case Shutdown.Infinity i -> {
            Process.exit(child, ExitReason.SHUTDOWN);
            yield awaitDown(ref);
          }
          case Shutdown.Timeout(Duration timeout) -> {
            Process.exit(child, ExitReason.SHUTDOWN);
            Optional<Down> down = Process.receive(Down.class, d -> d.ref() == ref, timeout);
            if (down.isPresent()) {
              yield down.get().reason();
            }
            LOG.warn("child {} ({}) did not stop within {}; killing it", id, child, timeout);
            Process.exit(child, ExitReason.KILL);
            yield awaitDown(ref);
          }
        };
    boolean expected =
        reason instanceof ExitReason.Shutdown
            || reason instanceof ExitReason.Killed
            || reason instanceof ExitReason.NoProc;
    if (!expected) {
      LOG.warn("child {} ({}) shut down with unexpected reason {}", id, child, reason);
    }
    return reason;
  }

  private static ExitReason awaitDown(Ref ref) {
    return Process.receive(Down.class, d -> d.ref() == ref, Process.INFINITY)
        .map(Down::reason)
        .orElseThrow();
  }
}
