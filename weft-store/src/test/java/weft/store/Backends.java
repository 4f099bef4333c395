package weft.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The two engines every storage test runs against. PostgreSQL is at 127.0.0.1:5432, database {@code
 * test}; when it cannot be reached the PostgreSQL run is skipped with a message. Each PostgreSQL
 * run gets a schema of its own, dropped afterwards.
 */
final class Backends {

  static final String PG_URL =
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=2";

  private Backends() {}

  static StoreConfig config(String backend, Path dir) {
    return switch (backend) {
      case "sqlite" -> StoreConfig.sqlite(dir.resolve("data").resolve("test.db"));
      case "postgres" -> {
        assumeTrue(
            postgresReachable(),
            "PostgreSQL at 127.0.0.1:5432 (database test) is not reachable: skipping the PostgreSQL run");
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        yield StoreConfig.url(PG_URL).withSchema("weft_t_" + HexFormat.of().formatHex(b));
      }
      default -> throw new IllegalArgumentException(backend);
    };
  }

  static boolean postgresReachable() {
    try (Connection c = DriverManager.getConnection(PG_URL)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  static void dropSchema(StoreConfig config) {
    if (config.schema() == null) {
      return;
    }
    try (Connection c = DriverManager.getConnection(PG_URL)) {
      c.createStatement().execute("drop schema if exists " + config.schema() + " cascade");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
