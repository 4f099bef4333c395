package weft.test;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import weft.store.StoreConfig;
import weft.store.testing.TestPostgres;

/** The store contract on PostgreSQL, a schema per database; skipped when unreachable. */
class PostgresStoreTest extends StoreContract {
  @Override
  protected StoreConfig config(Path dir) {
    assumeTrue(TestPostgres.reachable(), TestPostgres.skipMessage("the PostgreSQL store run"));
    return TestPostgres.freshSchema("weft_st_");
  }

  @Override
  protected void discard(StoreConfig config) {
    TestPostgres.dropSchema(config.schema());
  }
}
