package weft.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import weft.store.Sql;
import weft.store.Store;
import weft.store.StoreConfig;
import weft.store.StoreException;

/**
 * What every database a {@link Store} opens must do, as a JUnit 5 test class to extend: one
 * subclass per database ({@code class MyPostgresTest extends StoreContract}) gives {@link
 * #config(Path)} a configuration for a fresh, empty database or schema. Weft runs it against SQLite
 * and PostgreSQL. The suite applies its own migrations ({@code classpath:weft/test/store/...}),
 * creating tables named {@code contract_*}.
 */
public abstract class StoreContract {

  /** A folder of the test's own, for file databases. */
  @TempDir protected Path dir;

  private final List<Runnable> cleanup = new ArrayList<>();

  /** For subclasses. */
  protected StoreContract() {}

  /**
   * A configuration for a fresh, empty database, a new one on each call (a test may open two);
   * migrations are set by the suite.
   *
   * @param dir a folder of the test's own
   * @return the configuration
   */
  protected abstract StoreConfig config(Path dir);

  /**
   * Removes what {@link #config(Path)} made, after each test (a PostgreSQL schema, for example).
   * The default does nothing (the folder goes by itself).
   *
   * @param config the configuration
   */
  protected void discard(StoreConfig config) {}

  private StoreConfig fresh(String location) {
    StoreConfig config = config(dir).withMigrations(location);
    cleanup.add(() -> discard(config));
    return config;
  }

  private Store open() {
    Store store = Store.open(fresh("classpath:weft/test/store/migration"));
    cleanup.add(0, store::close);
    return store;
  }

  @AfterEach
  void cleanUp() {
    cleanup.forEach(Runnable::run);
    cleanup.clear();
  }

  @Test
  void migrationsRunOnceInOrderAndAreRecorded() {
    StoreConfig config = fresh("classpath:weft/test/store/migration");
    try (Store store = Store.open(config)) {
      List<String> applied =
          store.transaction(c ->
              Sql.query(
                  c,
                  "select version from flyway_schema_history where success and version is not null"
                      + " order by installed_rank",
                  rs -> rs.getString(1)));
      assertEquals(List.of("1", "2"), applied);
    }
    try (Store again = Store.open(config)) {
      int rows =
          again.transaction(c ->
              Sql.one(
                      c,
                      "select count(*) from flyway_schema_history where version is not null",
                      rs -> rs.getInt(1))
                  .orElseThrow());
      assertEquals(2, rows, "opening again applies nothing twice");
    }
  }

  @Test
  void aFailedMigrationStopsStartUpWithItsName() {
    StoreConfig config = fresh("classpath:weft/test/store/broken");
    StoreException e = assertThrows(StoreException.class, () -> Store.open(config).close());
    assertTrue(e.getMessage().contains("migration failed"), e.getMessage());
    assertTrue(e.getMessage().contains("V2__broken.sql"), e.getMessage());
  }

  @Test
  void transactionsCommitOrRollBackAndForeignKeysHold() {
    Store store = open();
    store.transaction(
        c -> Sql.update(c, "insert into contract_rooms(id, name) values (?, ?)", 1, "lobby"));
    assertThrows(
        IllegalStateException.class,
        () ->
            store.transaction(c -> {
              Sql.update(c, "insert into contract_rooms(id, name) values (?, ?)", 2, "kitchen");
              throw new IllegalStateException("changed my mind");
            }));
    List<String> names =
        store.transaction(c ->
            Sql.query(c, "select name from contract_rooms order by id", rs -> rs.getString(1)));
    assertEquals(List.of("lobby"), names, "the failed transaction left nothing");
    assertThrows(
        StoreException.class,
        () ->
            store.transaction(c ->
                Sql.update(
                    c, "insert into contract_messages(id, room_id, body) values (1, 99, 'x')")),
        "foreign keys are enforced");
    assertTrue(store.healthy());
  }

  @Test
  void conflictsAreRetriedUntilTheyPassThenReported() {
    Store store = open();
    AtomicInteger attempts = new AtomicInteger();
    String result =
        store.transaction(c -> {
          if (attempts.incrementAndGet() < 3) {
            throw conflict(store);
          }
          return "done";
        });
    assertEquals("done", result);
    assertEquals(3, attempts.get());
    AtomicInteger hopeless = new AtomicInteger();
    assertThrows(
        StoreException.class,
        () ->
            store.transaction(c -> {
              hopeless.incrementAndGet();
              throw conflict(store);
            }));
    assertEquals(Store.MAX_ATTEMPTS, hopeless.get(), "retried up to the limit, then reported");
  }

  private static SQLException conflict(Store store) {
    return store.kind() == StoreConfig.Kind.SQLITE
        ? new SQLException("[SQLITE_BUSY] database is locked", null, 5)
        : new SQLException("could not serialize access", "40001");
  }

  @Test
  void concurrentWritersLoseNoUpdate() throws Exception {
    Store store = open();
    store.transaction(
        c -> Sql.update(c, "insert into contract_counters(name, n) values ('hits', 0)"));
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      writers.add(
          Thread.ofVirtual()
              .start(() -> {
                for (int i = 0; i < 25; i++) {
                  store.transaction(c ->
                      Sql.update(c, "update contract_counters set n = n + 1 where name = 'hits'"));
                }
              }));
    }
    for (Thread t : writers) {
      t.join();
    }
    int n =
        store.transaction(c ->
            Sql.one(c, "select n from contract_counters where name = 'hits'", rs -> rs.getInt(1))
                .orElseThrow());
    assertEquals(200, n);
  }
}
