/**
 * What tests of Weft code need from the runtime, kept beside it so that every module's tests (and
 * users' tests, through weft-test) share one kit: {@link weft.testing.Probe} (a process whose
 * mailbox a test reads: {@code expectMessage}, {@code expectNoMessage}, {@code expectDown}, {@code
 * expectExit}), {@link weft.testing.InProcess} (run a test body as a process) and {@link
 * weft.testing.Seeds} (seeded property tests that print the seed to replay). Nothing here is used
 * by the runtime itself.
 */
package weft.testing;
