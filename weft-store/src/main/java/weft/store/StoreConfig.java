package weft.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where the data lives and how it is reached. One setting picks the engine: a SQLite file (the
 * default; zero set-up) or a PostgreSQL URL (several nodes share it).
 *
 * {@snippet :
 * Store store = Store.open(StoreConfig.sqlite(Path.of("data", "app.db")));
 * Store shared = Store.open(StoreConfig.url("jdbc:postgresql://db:5432/app?user=app"));
 * }
 *
 * @param jdbcUrl {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://...}
 * @param poolSize connections in the pool (default 4 for SQLite, 10 for PostgreSQL)
 * @param busyTimeout how long a SQLite writer waits for the write lock (default 5 s)
 * @param connectTimeout how long to wait for a connection from the pool (default 10 s)
 * @param migrations where versioned SQL migrations are found (default {@code
 *     classpath:db/migration}; files {@code V1__name.sql}, {@code V2__...})
 * @param schema the PostgreSQL schema to use (created if missing), or null for the default
 */
public record StoreConfig(
    String jdbcUrl,
    int poolSize,
    Duration busyTimeout,
    Duration connectTimeout,
    List<String> migrations,
    String schema) {

  /** The engines Weft supports. */
  public enum Kind {
    /** Embedded SQLite, one file, WAL mode. */
    SQLITE,
    /** PostgreSQL server. */
    POSTGRES
  }

  /**
   * Validates the configuration.
   *
   * @param jdbcUrl a SQLite or PostgreSQL JDBC URL
   * @param poolSize positive
   * @param busyTimeout positive
   * @param connectTimeout positive
   * @param migrations locations
   * @param schema or null
   */
  public StoreConfig {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    migrations = List.copyOf(migrations);
    kindOf(jdbcUrl);
    if (poolSize <= 0) {
      throw new IllegalArgumentException("poolSize must be positive, got " + poolSize);
    }
    if (schema != null && !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException(
          "schema must be a lower-case SQL identifier, got " + schema);
    }
  }

  /**
   * A SQLite file (its directory is created if missing).
   *
   * @param file the database file
   * @return the configuration
   */
  public static StoreConfig sqlite(Path file) {
    return url("jdbc:sqlite:" + file);
  }

  /**
   * A JDBC URL, SQLite or PostgreSQL, with the defaults for its engine.
   *
   * @param jdbcUrl the URL
   * @return the configuration
   * @throws IllegalArgumentException for any other kind of URL
   */
  public static StoreConfig url(String jdbcUrl) {
    int pool = kindOf(jdbcUrl) == Kind.SQLITE ? 4 : 10;
    return new StoreConfig(
        jdbcUrl,
        pool,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        List.of("classpath:db/migration"),
        null);
  }

  static Kind kindOf(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return Kind.SQLITE;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return Kind.POSTGRES;
    }
    throw new IllegalArgumentException(
        "unsupported database URL "
            + jdbcUrl
            + ": use jdbc:sqlite:<file> or jdbc:postgresql://host/db");
  }

  /**
   * The engine.
   *
   * @return SQLite or PostgreSQL
   */
  public Kind kind() {
    return kindOf(jdbcUrl);
  }

  /**
   * With other migration locations ({@code classpath:...} or {@code filesystem:...}).
   *
   * @param locations the locations
   * @return the configuration
   */
  public StoreConfig withMigrations(String... locations) {
    return new StoreConfig(
        jdbcUrl, poolSize, busyTimeout, connectTimeout, List.of(locations), schema);
  }

  /**
   * With a PostgreSQL schema.
   *
   * @param schema the schema
   * @return the configuration
   */
  public StoreConfig withSchema(String schema) {
    return new StoreConfig(jdbcUrl, poolSize, busyTimeout, connectTimeout, migrations, schema);
  }

  /**
   * With another pool size.
   *
   * @param poolSize connections
   * @return the configuration
   */
  public StoreConfig withPoolSize(int poolSize) {
    return new StoreConfig(jdbcUrl, poolSize, busyTimeout, connectTimeout, migrations, schema);
  }

  /**
   * With another connection wait.
   *
   * @param connectTimeout how long to wait for a pooled connection
   * @return the configuration
   */
  public StoreConfig withConnectTimeout(Duration connectTimeout) {
    return new StoreConfig(jdbcUrl, poolSize, busyTimeout, connectTimeout, migrations, schema);
  }
}
