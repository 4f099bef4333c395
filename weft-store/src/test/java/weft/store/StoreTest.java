package weft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is particular to one database or to the configuration. What every database must do is the
 * store contract ({@code weft.test.StoreContract}), run in weft-test against SQLite and PostgreSQL.
 */
class StoreTest {

  @TempDir Path dir;

  @Test
  void sqliteRunsInWalModeWithForeignKeysAndMakesItsFolder() {
    try (Store store = Store.open(StoreConfig.sqlite(dir.resolve("data").resolve("test.db")))) {
      String mode =
          store.transaction(
              c -> Sql.one(c, "pragma journal_mode", rs -> rs.getString(1)).orElseThrow());
      int fk =
          store.transaction(
              c -> Sql.one(c, "pragma foreign_keys", rs -> rs.getInt(1)).orElseThrow());
      assertThat(mode).isEqualToIgnoringCase("wal");
      assertThat(fk).isEqualTo(1);
    }
    assertThat(dir.resolve("data/test.db")).exists();
  }

  @Test
  void unsupportedUrlsAreRejectedWithTheReason() {
    assertThatThrownBy(() -> StoreConfig.url("jdbc:mysql://x/y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use jdbc:sqlite:<file> or jdbc:postgresql://");
  }
}
