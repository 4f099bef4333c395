/**
 * Weft's background jobs ({@link weft.jobs}), as Oban: queues in the database, retries with
 * backoff, cron, uniqueness, rescue of orphaned jobs.
 */
module weft.jobs {
  requires transitive weft.core;
  requires transitive weft.store;
  // Job arguments are Jackson trees in the public API.
  requires transitive tools.jackson.databind;
  requires org.slf4j;
  requires com.cronutils;
  requires flyway.core;
  requires org.postgresql.jdbc;

  exports weft.jobs;
  exports weft.jobs.engine;

  // The migrations are resources: Flyway (another module) reads them through the class loader.
  opens weft.jobs.migration;
}
