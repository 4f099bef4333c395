package weft.jobs.internal;

import java.sql.Connection;
import weft.store.Store;
import weft.store.StoreConfig;

/** Jobs in SQLite: one node owns the queues; the write lock serialises fetches and inserts. */
public final class SqliteEngine extends SqlEngine {

  /**
   * The engine over a SQLite store.
   *
   * @param store the store
   * @throws IllegalArgumentException if it is not SQLite
   */
  public SqliteEngine(Store store) {
    super(store, StoreConfig.Kind.SQLITE);
  }

  @Override
  String idType() {
    return "integer primary key autoincrement";
  }

  @Override
  String pickLock() {
    return "";
  }

  @Override
  void inserted(Connection c, String queue) {}

  @Override
  void lockUnique(Connection c, String uniqueKey) {
    // Transactions begin IMMEDIATE: the write lock already serialises them.
  }
}
