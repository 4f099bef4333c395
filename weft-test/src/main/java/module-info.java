/**
 * The kit users test Weft applications with: {@link weft.test.ChannelTester} for channels, and,
 * through weft.core, the probes, {@code InProcess} and seeded property runs of {@code
 * weft.testing}.
 */
module weft.test {
  requires transitive weft.core;
  requires transitive weft.web;

  exports weft.test;
}
