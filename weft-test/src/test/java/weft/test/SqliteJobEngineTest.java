package weft.test;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import weft.jobs.engine.JobEngine;
import weft.store.Store;
import weft.store.StoreConfig;

/** The job engine contract on SQLite. */
class SqliteJobEngineTest extends JobEngineContract {
  @TempDir Path dir;
  private Store store;

  @Override
  protected JobEngine newEngine() {
    store = Store.open(StoreConfig.sqlite(dir.resolve("jobs.db")));
    return JobEngine.sqlite(store);
  }

  @Override
  protected void discardEngine() {
    store.close();
  }
}
