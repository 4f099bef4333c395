package weft.store.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import weft.store.StoreConfig;

/**
 * The PostgreSQL that tests and benchmarks run against: the URL in {@value #URL_ENV} if set, else
 * {@value #DEFAULT_URL} (the local server, trust authentication, database {@code test}). Each run
 * takes a schema of its own ({@link #freshSchema(String)}) and drops it afterwards, so runs never
 * see each other's tables. A test that needs the server skips with {@link #skipMessage(String)}
 * when {@link #reachable()} is false: it must never pass without having run.
 *
 * {@snippet :
 * assumeTrue(TestPostgres.reachable(), TestPostgres.skipMessage("the PostgreSQL run"));
 * StoreConfig config = TestPostgres.freshSchema("app_t_");
 * try (Store store = Store.open(config.withMigrations())) { ... }
 * finally { TestPostgres.dropSchema(config.schema()); }
 * }
 */
public final class TestPostgres {

  /** The environment variable naming another server's JDBC URL. */
  public static final String URL_ENV = "WEFT_TEST_POSTGRES_URL";

  /** The local server's URL. */
  public static final String DEFAULT_URL =
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=2";

  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private static volatile Boolean reachable;

  private TestPostgres() {}

  /**
   * The server's JDBC URL.
   *
   * @return {@value #URL_ENV}'s value, or {@value #DEFAULT_URL}
   */
  public static String url() {
    String env = System.getenv(URL_ENV);
    return env == null || env.isBlank() ? DEFAULT_URL : env.strip();
  }

  /**
   * Whether the server answers (asked once per JVM, waiting at most about 2 s).
   *
   * @return true when a connection could be opened and is valid
   */
  public static boolean reachable() {
    Boolean r = reachable;
    if (r == null) {
      try (Connection c = DriverManager.getConnection(url())) {
        r = c.isValid(2);
      } catch (SQLException e) {
        r = false;
      }
      reachable = r;
    }
    return r;
  }

  /**
   * What a test prints when it skips because the server is not reachable.
   *
   * @param what what is skipped ("the PostgreSQL run")
   * @return the message
   */
  public static String skipMessage(String what) {
    return "PostgreSQL at "
        + url().replaceAll("password=[^&]*", "password=***")
        + " is not reachable (set "
        + URL_ENV
        + " for another): skipping "
        + what;
  }

  /**
   * A configuration for the server in a new schema of its own.
   *
   * @param prefix the schema name's start: lower-case letters, digits and underscores
   * @return the configuration; its {@link StoreConfig#schema()} is the new schema's name
   * @throws IllegalArgumentException if the prefix is not a plain identifier
   */
  public static StoreConfig freshSchema(String prefix) {
    byte[] b = new byte[6];
    ThreadLocalRandom.current().nextBytes(b);
    String schema = prefix + HexFormat.of().formatHex(b);
    if (!SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException("not a plain schema name: " + schema);
    }
    return StoreConfig.url(url()).withSchema(schema);
  }

  /**
   * Drops a schema made by {@link #freshSchema(String)}, with everything in it.
   *
   * @param schema its name
   * @throws IllegalArgumentException if the name is not a plain identifier
   * @throws IllegalStateException if the server refuses
   */
  public static void dropSchema(String schema) {
    if (!SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException("not a plain schema name: " + schema);
    }
    try (Connection c = DriverManager.getConnection(url());
        var st = c.createStatement()) {
      st.execute("drop schema if exists " + schema + " cascade");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop schema " + schema + ": " + e.getMessage(), e);
    }
  }
}
