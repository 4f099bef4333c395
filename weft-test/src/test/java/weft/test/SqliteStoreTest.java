package weft.test;

import java.nio.file.Path;
import weft.store.StoreConfig;

/** The store contract on SQLite files. */
class SqliteStoreTest extends StoreContract {
  private int n;

  @Override
  protected StoreConfig config(Path dir) {
    return StoreConfig.sqlite(dir.resolve("db-" + n++).resolve("test.db"));
  }
}
