package weft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every test runs on SQLite and on PostgreSQL. */
class StoreTest {

  @TempDir Path dir;
  private final List<Runnable> cleanup = new ArrayList<>();

  @AfterEach
  void clean() {
    cleanup.forEach(Runnable::run);
  }

  private Store open(String backend) {
    StoreConfig config = Backends.config(backend, dir);
    Store store = Store.open(config);
    cleanup.add(() -> {
      store.close();
      Backends.dropSchema(config);
    });
    return store;
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void migrationsRunOnceInOrderAndAreRecorded(String backend) {
    StoreConfig config = Backends.config(backend, dir);
    try (Store store = Store.open(config)) {
      List<String> applied =
          store.transaction(c ->
              Sql.query(
                  c,
                  "select version from flyway_schema_history where success and version is not null order by installed_rank",
                  rs -> rs.getString(1)));
      assertThat(applied).containsExactly("1", "2");
    }
    try (Store again = Store.open(config)) {
      int rows =
          again.transaction(c ->
              Sql.one(
                      c,
                      "select count(*) from flyway_schema_history where version is not null",
                      rs -> rs.getInt(1))
                  .orElseThrow());
      assertThat(rows).isEqualTo(2);
    } finally {
      Backends.dropSchema(config);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aFailedMigrationStopsStartUpWithItsName(String backend) {
    StoreConfig config = Backends.config(backend, dir).withMigrations("classpath:db/broken");
    try {
      assertThatThrownBy(() -> Store.open(config))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("migration failed")
          .hasMessageContaining("V2__broken.sql");
    } finally {
      Backends.dropSchema(config);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void transactionsCommitOrRollBack(String backend) {
    Store store = open(backend);
    store.transaction(c -> Sql.update(c, "insert into rooms(id, name) values (?, ?)", 1, "lobby"));
    assertThatThrownBy(() ->
            store.transaction(c -> {
              Sql.update(c, "insert into rooms(id, name) values (?, ?)", 2, "kitchen");
              throw new IllegalStateException("changed my mind");
            }))
        .isInstanceOf(IllegalStateException.class);
    List<String> names =
        store.transaction(
            c -> Sql.query(c, "select name from rooms order by id", rs -> rs.getString(1)));
    assertThat(names).containsExactly("lobby");
    assertThatThrownBy(() ->
            store.transaction(
                c -> Sql.update(c, "insert into messages(id, room_id, body) values (1, 99, 'x')")))
        .as("foreign keys are enforced")
        .isInstanceOf(StoreException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void conflictsAreRetriedUntilTheyPass(String backend) {
    Store store = open(backend);
    AtomicInteger attempts = new AtomicInteger();
    String result =
        store.transaction(c -> {
          if (attempts.incrementAndGet() < 3) {
            throw backend.equals("sqlite")
                ? new SQLException("[SQLITE_BUSY] database is locked", null, 5)
                : new SQLException("could not serialize access", "40001");
          }
          return "done";
        });
    assertThat(result).isEqualTo("done");
    assertThat(attempts).hasValue(3);
    AtomicInteger hopeless = new AtomicInteger();
    assertThatThrownBy(() ->
            store.transaction(c -> {
              hopeless.incrementAndGet();
              throw new SQLException("busy", null, 5);
            }))
        .isInstanceOf(StoreException.class);
    assertThat(hopeless).hasValue(Store.MAX_ATTEMPTS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void concurrentWritersLoseNoUpdate(String backend) throws Exception {
    Store store = open(backend);
    store.transaction(c -> Sql.update(c, "insert into counters(name, n) values ('hits', 0)"));
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      writers.add(
          Thread.ofVirtual()
              .start(() -> {
                for (int i = 0; i < 25; i++) {
                  store.transaction(
                      c -> Sql.update(c, "update counters set n = n + 1 where name = 'hits'"));
                }
              }));
    }
    for (Thread t : writers) {
      t.join();
    }
    int n =
        store.transaction(c ->
            Sql.one(c, "select n from counters where name = 'hits'", rs -> rs.getInt(1))
                .orElseThrow());
    assertThat(n).isEqualTo(200);
  }

  @Test
  void sqliteRunsInWalModeWithForeignKeys() {
    Store store = open("sqlite");
    String mode =
        store.transaction(
            c -> Sql.one(c, "pragma journal_mode", rs -> rs.getString(1)).orElseThrow());
    int fk =
        store.transaction(c -> Sql.one(c, "pragma foreign_keys", rs -> rs.getInt(1)).orElseThrow());
    assertThat(mode).isEqualToIgnoringCase("wal");
    assertThat(fk).isEqualTo(1);
    assertThat(dir.resolve("data/test.db")).exists();
  }

  @Test
  void unsupportedUrlsAreRejectedWithTheReason() {
    assertThatThrownBy(() -> StoreConfig.url("jdbc:mysql://x/y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use jdbc:sqlite:<file> or jdbc:postgresql://");
  }
}
