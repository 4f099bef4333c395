/**
 * Weft's runtime: processes that talk only by messages ({@link weft.process}), the OTP behaviours
 * ({@link weft.genserver}, {@link weft.supervisor}, {@link weft.task}, {@link weft.agent}), the
 * scheduler's options and statistics ({@link weft.scheduler}), the registry and tables, and the
 * test kit's core ({@link weft.testing}).
 *
 * <p>{@code weft.process.internal} is not exported. The one outside caller is code instrumented by
 * weft-agent, whose yield points call {@code weft.process.internal.YieldPoint}: the agent exports
 * that package at run time (Instrumentation.redefineModule) to each module it instruments, so no
 * module can compile against it.
 */
module weft.core {
  requires org.slf4j;
  requires jdk.management;

  exports weft.application;
  exports weft.process;
  exports weft.genserver;
  exports weft.supervisor;
  exports weft.task;
  exports weft.agent;
  exports weft.scheduler;
  exports weft.registry;
  exports weft.table;
  exports weft.testing;
}
