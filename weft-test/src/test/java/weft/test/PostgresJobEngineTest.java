package weft.test;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import weft.jobs.engine.JobEngine;
import weft.store.Store;
import weft.store.StoreConfig;
import weft.store.testing.TestPostgres;

/** The job engine contract on PostgreSQL, in a schema of its own; skipped when unreachable. */
class PostgresJobEngineTest extends JobEngineContract {
  private StoreConfig config;
  private Store store;

  @Override
  protected JobEngine newEngine() {
    assumeTrue(TestPostgres.reachable(), TestPostgres.skipMessage("the PostgreSQL job engine run"));
    config = TestPostgres.freshSchema("weft_je_");
    store = Store.open(config);
    return JobEngine.postgres(store);
  }

  @Override
  protected void discardEngine() {
    if (store != null) {
      store.close();
      TestPostgres.dropSchema(config.schema());
    }
  }
}
