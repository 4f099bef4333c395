package weft.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.process.Exit;
import weft.process.Pid;
import weft.process.Process;
import weft.scheduler.DirtyPool;
import weft.supervisor.ChildSpec;
import weft.supervisor.Supervised;

/**
 * The application's database: a connection pool (HikariCP) over SQLite or PostgreSQL, migrated at
 * start-up (Flyway), with transactions that retry when the engine asks for it.
 *
 * {@snippet :
 * try (Store store = Store.open(StoreConfig.sqlite(Path.of("data", "app.db")))) {
 *   long id = store.transaction(c -> {
 *     Sql.update(c, "insert into rooms(name) values (?)", "lobby");
 *     return Sql.one(c, "select id from rooms where name = ?", rs -> rs.getLong(1), "lobby").orElseThrow();
 *   });
 * }
 * }
 *
 * <h2>SQLite</h2>
 *
 * The file runs in WAL mode (readers never wait for the writer), with foreign keys on, {@code
 * synchronous=NORMAL} and a busy timeout; transactions begin {@code IMMEDIATE}, so writers queue
 * for the write lock at the start instead of failing half-way.
 *
 * <h2>Migrations</h2>
 *
 * Versioned SQL files ({@code V1__create_rooms.sql}, ...) from {@link StoreConfig#migrations()} are
 * applied at {@link #open}, each once, in order, each in a transaction, and recorded in the {@code
 * flyway_schema_history} table. A migration that fails stops {@code open} with a {@link
 * StoreException} naming it; nothing after it runs.
 *
 * <h2>Off the carriers</h2>
 *
 * Every transaction, and the keeper's check, runs on the store's own {@link DirtyPool} of platform
 * threads, one per connection of the pool, while the calling process parks: JDBC drivers block the
 * thread they run on, and SQLite's runs native code, which would pin a process's carrier thread
 * (two busy clients could then hold every carrier, and nothing else would run). Inside the body,
 * {@code Process.self()}, {@code send} and {@code spawn} act for the calling process; {@code
 * receive} and {@code GenServer.call} are refused. If the calling process is killed meanwhile, it
 * ends at once; the body runs to its end on the pool thread and the transaction is rolled back
 * instead of committed. Called from a platform thread (a {@code main} method, start-up), a
 * transaction runs on that thread.
 *
 * <h2>Retries</h2>
 *
 * {@link #transaction} runs its body again (up to {@value #MAX_ATTEMPTS} times, with a short random
 * back-off) when SQLite reports the database busy or locked, or PostgreSQL reports a serialization
 * failure or deadlock. The body must therefore be safe to run again: it should only touch the
 * database through its connection.
 *
 * <p>Thread-safe.
 */
public final class Store implements AutoCloseable, Supervised {

  /** How many times a transaction is tried before its last error is thrown. */
  public static final int MAX_ATTEMPTS = 5;

  private static final Logger LOG = LoggerFactory.getLogger(Store.class);

  private final StoreConfig config;
  private final HikariDataSource pool;
  private final DirtyPool dirty;

  private Store(StoreConfig config, HikariDataSource pool) {
    this.config = config;
    this.pool = pool;
    this.dirty = DirtyPool.create("weft-store", config.poolSize());
  }

  /**
   * Opens the pool and applies the migrations.
   *
   * @param config where and how
   * @return the store
   * @throws StoreException if the database cannot be reached or a migration fails
   */
  public static Store open(StoreConfig config) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(config.jdbcUrl());
    hc.setMaximumPoolSize(config.poolSize());
    hc.setConnectionTimeout(config.connectTimeout().toMillis());
    hc.setPoolName("weft-store");
    if (config.kind() == StoreConfig.Kind.SQLITE) {
      prepareSqliteFile(config.jdbcUrl());
      hc.addDataSourceProperty("journal_mode", "WAL");
      hc.addDataSourceProperty("foreign_keys", "true");
      hc.addDataSourceProperty("synchronous", "NORMAL");
      hc.addDataSourceProperty("busy_timeout", String.valueOf(config.busyTimeout().toMillis()));
      hc.addDataSourceProperty("transaction_mode", "IMMEDIATE");
    } else {
      // Batches of inserts become multi-row inserts: one round trip instead of one per row.
      hc.addDataSourceProperty("reWriteBatchedInserts", "true");
      if (config.schema() != null) {
        hc.setSchema(config.schema());
      }
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new StoreException(
          "cannot connect to " + redact(config.jdbcUrl()) + ": " + rootMessage(e), e);
    }
    try {
      var flyway =
          Flyway.configure()
              .dataSource(pool)
              .locations(config.migrations().toArray(String[]::new))
              .failOnMissingLocations(false);
      if (config.schema() != null) {
        flyway.schemas(config.schema()).defaultSchema(config.schema()).createSchemas(true);
      }
      var result = flyway.load().migrate();
      if (result.migrationsExecuted > 0) {
        LOG.info(
            "applied {} migration(s) to {}", result.migrationsExecuted, redact(config.jdbcUrl()));
      }
    } catch (FlywayException e) {
      pool.close();
      throw new StoreException("database migration failed, start-up stopped: " + rootMessage(e), e);
    }
    return new Store(config, pool);
  }

  private static void prepareSqliteFile(String url) {
    String file = url.substring("jdbc:sqlite:".length());
    int q = file.indexOf('?');
    if (q >= 0) {
      file = file.substring(0, q);
    }
    if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
      return;
    }
    Path parent = Path.of(file).toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (java.io.IOException e) {
      throw new StoreException("cannot create the data directory " + parent, e);
    }
  }

  private static String redact(String url) {
    return url.replaceAll("password=[^&]*", "password=***");
  }

  private static String rootMessage(Throwable t) {
    String message = t.getMessage();
    Throwable c = t.getCause();
    while (c != null) {
      if (c.getMessage() != null) {
        message = message + " (" + c.getMessage() + ")";
      }
      c = c.getCause();
    }
    return message;
  }

  /**
   * The engine in use.
   *
   * @return SQLite or PostgreSQL
   */
  public StoreConfig.Kind kind() {
    return config.kind();
  }

  /** How often {@link #childSpec()}'s keeper checks the database. */
  public static final Duration KEEPER_PERIOD = Duration.ofSeconds(5);

  /**
   * {@link #childSpec(Duration)} checking every {@link #KEEPER_PERIOD}.
   *
   * @return the spec
   */
  @Override
  public ChildSpec childSpec() {
    return childSpec(KEEPER_PERIOD);
  }

  /**
   * The store's keeper as a supervised worker (id {@code "store"}), for an application's tree:
   * every {@code every} it checks out a connection and runs a validation query. When the database
   * stops answering it logs that once, evicts the pool's connections (so none broken is handed out
   * again) and logs again when the database is back. The pool itself is opened before the tree
   * starts and closed after it stops; if the keeper crashes, its supervisor starts it again and
   * checking goes on. {@link #healthy()} tells the last result.
   *
   * @param every how often to check
   * @return the spec
   */
  public ChildSpec childSpec(Duration every) {
    Objects.requireNonNull(every, "every");
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("the keeper's period must be positive, got " + every);
    }
    return ChildSpec.worker("store", () -> Process.spawnLink(() -> keep(every)));
  }

  private volatile boolean healthy = true;

  /**
   * Whether the last check of the keeper ({@link #childSpec}) reached the database (true before the
   * first check).
   *
   * @return the last result
   */
  public boolean healthy() {
    return healthy;
  }

  private void keep(Duration every) {
    Process.label("Store(" + kind() + ")");
    Process.trapExit(true); // stops between checks, never while holding a connection
    while (true) {
      boolean ok;
      try {
        ok = dirty.call(this::check);
      } catch (IllegalStateException closed) {
        ok = false; // the store was closed
      }
      if (ok != healthy) {
        if (ok) {
          LOG.info("the database answers again");
        } else {
          LOG.error("the database does not answer; evicting the pool's connections");
          pool.getHikariPoolMXBean().softEvictConnections();
        }
        healthy = ok;
      }
      var exit = Process.receive(Exit.class, every);
      if (exit.isPresent()) {
        throw Process.exit(exit.get().reason()); // with the supervisor's reason (shutdown)
      }
    }
  }

  private boolean check() {
    try (Connection c = pool.getConnection()) {
      return c.isValid(5);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The pool, for code that wants plain JDBC or a query library. Calls made on it directly run on
   * the calling thread: from a process, hand blocking work to {@link #dirtyPool()}.
   *
   * @return the data source
   */
  public DataSource dataSource() {
    return pool;
  }

  /**
   * Runs a body in a transaction: commits when it returns, rolls back when it throws, retries it on
   * busy/serialization failures (see the class documentation).
   *
   * @param <T> what the body returns
   * @param body the body
   * @return what the body returned
   * @throws StoreException wrapping a checked exception ({@link SQLException} included) from the
   *     body or the database, after the retries; a body's unchecked exception passes unchanged
   */
  public <T> T transaction(Tx<T> body) {
    Optional<Pid> caller = Process.current();
    return dirty.call(() -> attempts(body, caller));
  }

  /**
   * The store's pool of platform threads for JDBC work, one per connection (see the class
   * documentation); for code that uses {@link #dataSource()} directly from a process.
   *
   * @return the pool
   */
  public DirtyPool dirtyPool() {
    return dirty;
  }

  private <T> T attempts(Tx<T> body, Optional<Pid> caller) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try {
          T result = body.run(c);
          if (caller.isPresent() && !Process.isAlive(caller.get())) {
            throw new StoreException(
                "the process " + caller.get() + " ended while its transaction ran: rolled back",
                null);
          }
          c.commit();
          return result;
        } catch (Throwable t) {
          // Errors too (a process's exit unwinding through the body): turning auto-commit back
          // on below would otherwise commit the half-done work (JDBC commits on that switch).
          rollback(c);
          throw t;
        } finally {
          c.setAutoCommit(true);
        }
      } catch (Exception e) {
        if (attempt < MAX_ATTEMPTS && retryable(e)) {
          LOG.debug("transaction attempt {} conflicted ({}); retrying", attempt, e.toString());
          backOff(attempt);
          continue;
        }
        if (e instanceof RuntimeException r) {
          throw r;
        }
        throw new StoreException("transaction failed: " + e.getMessage(), e);
      }
    }
  }

  private static void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.warn("rollback failed: {}", e.toString());
    }
  }

  /**
   * Whether the database asked for the transaction to be run again: SQLite busy/locked (codes 5 and
   * 6, extended codes included), PostgreSQL serialization failure (40001) or deadlock (40P01).
   *
   * @param e the failure
   * @return true to retry
   */
  static boolean retryable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        int primary = s.getErrorCode() & 0xff;
        if (primary == 5 || primary == 6) {
          return true;
        }
        if ("40001".equals(s.getSQLState()) || "40P01".equals(s.getSQLState())) {
          return true;
        }
      }
    }
    return false;
  }

  private static void backOff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt + 6));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while retrying a transaction", ie);
    }
  }

  /** Closes the pool; transactions that run already finish first (their threads end after). */
  @Override
  public void close() {
    dirty.close();
    pool.close();
  }
}
