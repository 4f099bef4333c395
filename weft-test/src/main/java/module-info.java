/**
 * The kit users test Weft applications with: {@link weft.test.ChannelTester} for channels, the
 * contract suites a seam's implementations must pass ({@link weft.test.PubSubAdapterContract},
 * {@link weft.test.JobEngineContract}, {@link weft.test.StoreContract}), and, through weft.core,
 * the probes, {@code InProcess} and seeded property runs of {@code weft.testing}.
 */
module weft.test {
  requires transitive weft.core;
  requires transitive weft.web;
  requires transitive weft.jobs;
  requires transitive org.junit.jupiter.api;

  exports weft.test;

  // The store contract's migrations are resources: Flyway (another module) reads them.
  opens weft.test.store.migration;
  opens weft.test.store.broken;

  // JUnit runs the contract suites' test methods by reflection; Jackson writes their records.
  opens weft.test to
      org.junit.platform.commons,
      tools.jackson.databind;
}
