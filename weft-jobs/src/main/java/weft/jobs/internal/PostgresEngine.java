package weft.jobs.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import weft.jobs.JobSpec;
import weft.jobs.engine.JobNotifier;
import weft.store.Sql;
import weft.store.Store;
import weft.store.StoreConfig;

/**
 * Jobs in PostgreSQL: nodes sharing the database share the queues ({@code FOR UPDATE SKIP LOCKED}
 * picks), every insert notifies channel {@value PostgresNotifier#CHANNEL} in its own transaction
 * (so a notification exists only for a committed job), and inserts without uniqueness go as one
 * JDBC batch.
 */
public final class PostgresEngine extends SqlEngine {

  private final PostgresNotifier notifier;

  /**
   * The engine over a PostgreSQL store.
   *
   * @param store the store
   * @throws IllegalArgumentException if it is not PostgreSQL
   */
  public PostgresEngine(Store store) {
    super(store, StoreConfig.Kind.POSTGRES);
    this.notifier = new PostgresNotifier(store);
  }

  @Override
  public JobNotifier notifier() {
    return notifier;
  }

  @Override
  String idType() {
    return "bigserial primary key";
  }

  @Override
  String pickLock() {
    return " for update skip locked";
  }

  @Override
  void inserted(Connection c, String queue) throws SQLException {
    // Delivered at commit to every node listening, so a new job starts without a poll.
    Sql.query(c, "select pg_notify('" + PostgresNotifier.CHANNEL + "', ?)", rs -> 1, queue);
  }

  @Override
  void lockUnique(Connection c, String uniqueKey) throws SQLException {
    Sql.query(c, "select pg_advisory_xact_lock(?)", rs -> 1, (long) uniqueKey.hashCode());
  }

  @Override
  List<Long> insertPlain(Connection c, List<JobSpec> specs, long now) throws SQLException {
    List<Long> ids = new ArrayList<>(specs.size());
    try (PreparedStatement ps =
        c.prepareStatement(insertStatement(), Statement.RETURN_GENERATED_KEYS)) {
      for (JobSpec spec : specs) {
        bind(ps, spec, now, null);
        ps.addBatch();
      }
      ps.executeBatch();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        while (keys.next()) {
          ids.add(keys.getLong(1));
        }
      }
    }
    return ids;
  }
}
