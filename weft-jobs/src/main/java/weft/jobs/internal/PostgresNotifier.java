package weft.jobs.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.jobs.engine.JobNotifier;
import weft.process.Process;
import weft.store.Store;
import weft.supervisor.ChildSpec;

/*
 * Design: PostgreSQL LISTEN/NOTIFY. The sending side is the engine's (pg_notify in the inserting
 * transaction, delivered at commit), so announce has nothing left to do. The listener holds one
 * pooled connection that LISTENs, opened before its child counts as started so that no insert
 * after start is missed; when the connection is lost it logs, falls back to polling and listens
 * again every second.
 */
/** New jobs from other nodes, heard through PostgreSQL's {@code LISTEN}. */
public final class PostgresNotifier implements JobNotifier {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresNotifier.class);

  /** The notification channel; its payload is the queue's name. */
  public static final String CHANNEL = "weft_jobs";

  private final Store store;

  /**
   * A notifier over a PostgreSQL store.
   *
   * @param store the store
   */
  public PostgresNotifier(Store store) {
    this.store = store;
  }

  @Override
  public void announce(String queue) {
    // The engine notified in the inserting transaction.
  }

  @Override
  public Optional<ChildSpec> listener(Consumer<String> wake) {
    return Optional.of(
        ChildSpec.worker(
            "notifier",
            () -> {
              Connection c = open();
              return Process.spawnLink(() -> listen(c, wake));
            }));
  }

  private Connection open() {
    try {
      Connection c = store.dataSource().getConnection();
      c.setAutoCommit(true);
      try (var st = c.createStatement()) {
        st.execute("LISTEN " + CHANNEL);
      }
      return c;
    } catch (SQLException e) {
      LOG.warn("cannot listen for new jobs ({}); queues will poll", e.toString());
      return null;
    }
  }

  private void listen(Connection first, Consumer<String> wake) {
    Process.label("JobNotifier");
    Process.trapExit(true);
    Connection next = first;
    while (true) {
      try (Connection c = next != null ? next : open()) {
        next = null;
        if (c == null) {
          throw new SQLException("no connection");
        }
        var pg = c.unwrap(org.postgresql.PGConnection.class);
        while (true) {
          var notes = pg.getNotifications(500);
          if (notes != null) {
            for (var n : notes) {
              wake.accept(n.getParameter());
            }
          }
          if (Loops.stopping(Duration.ZERO)) {
            return; // the connection goes back to the pool before the supervisor goes on
          }
        }
      } catch (SQLException e) {
        if (Loops.stopping(Duration.ZERO)) {
          return;
        }
        LOG.warn(
            "job notifications lost ({}); polling meanwhile, listening again in 1 s", e.toString());
        if (Loops.stopping(Duration.ofSeconds(1))) {
          return;
        }
      }
    }
  }

  @Override
  public String toString() {
    return "PostgresNotifier[" + CHANNEL + "]";
  }
}
