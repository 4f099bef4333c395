/**
 * Weft's database access ({@link weft.store}): a pooled SQLite or PostgreSQL store with Flyway
 * migrations, transactions on platform threads so a blocking driver cannot pin a scheduler.
 *
 * <p>The JDBC drivers (sqlite-jdbc, PostgreSQL) are not required here: {@code java.sql} finds them
 * as services on the module path.
 */
module weft.store {
  requires transitive weft.core;
  // Tx and Sql hand out JDBC types.
  requires transitive java.sql;
  requires org.slf4j;
  requires com.zaxxer.hikari;
  requires flyway.core;

  exports weft.store;
  // The PostgreSQL that tests and benchmarks share (one URL, one schema per run).
  exports weft.store.testing;
}
