package weft.process.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/*
 * Design: the three places where Weft's scheduler reaches into java.lang, all in this class so
 * that a reader sees the whole dependency at once, and so that each has one fallback.
 *
 * 1. java.lang.ThreadBuilders$VirtualThreadBuilder(Executor): the constructor that gives virtual
 *    threads a scheduler of their own. It exists (for the JDK's own tests) from JDK 21 to 25. With
 *    it, Weft's processes run on Weft's carriers; without it, on the JDK's ForkJoinPool.
 * 2. Thread.currentCarrierThread(): an intrinsic (a register load once compiled). Yield points use
 *    it to find the carrier a process runs on, and the carrier's preemption flag.
 * 3. VirtualThread.carrierThread: read by the watchdog only, to find which process holds a
 *    carrier that does not come back.
 *
 * All three need java.lang opened to Weft: the agent (weft-agent) does that at start-up, or
 * `--add-opens java.base/java.lang=ALL-UNNAMED` on the command line. AVAILABLE says whether it
 * worked; nothing here throws when it did not.
 */
/** Access to the JDK internals behind Weft's scheduler. */
final class JdkHooks {

  /** Whether java.lang is open to Weft and every hook was found. */
  static final boolean AVAILABLE;

  /** Why the hooks are missing, or null. */
  static final String UNAVAILABLE_REASON;

  private static final Constructor<?> BUILDER;
  private static final MethodHandle CURRENT_CARRIER;
  private static final VarHandle CARRIER_OF;

  static {
    Constructor<?> builder = null;
    MethodHandle currentCarrier = null;
    VarHandle carrierOf = null;
    String reason = null;
    if (!Thread.class.getModule().isOpen("java.lang", JdkHooks.class.getModule())) {
      reason =
          "java.lang is not open to Weft (start the JVM with -javaagent:weft-agent.jar, or"
              + " --add-opens java.base/java.lang=ALL-UNNAMED)";
    } else {
      try {
        builder =
            Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                .getDeclaredConstructor(Executor.class);
        builder.setAccessible(true);
        MethodHandles.Lookup threads = MethodHandles.privateLookupIn(Thread.class, lookup());
        currentCarrier =
            threads.findStatic(
                Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
        Class<?> virtual = Class.forName("java.lang.VirtualThread");
        carrierOf =
            MethodHandles.privateLookupIn(virtual, lookup())
                .findVarHandle(virtual, "carrierThread", Thread.class);
      } catch (ReflectiveOperationException | RuntimeException e) {
        reason = "this JDK lacks a hook Weft's scheduler needs (" + e + ")";
        builder = null;
        currentCarrier = null;
        carrierOf = null;
      }
    }
    BUILDER = builder;
    CURRENT_CARRIER = currentCarrier;
    CARRIER_OF = carrierOf;
    UNAVAILABLE_REASON = reason;
    AVAILABLE = reason == null;
  }

  private JdkHooks() {}

  private static MethodHandles.Lookup lookup() {
    return MethodHandles.lookup();
  }

  /**
   * A factory of virtual threads scheduled by {@code scheduler}. Only when {@link #AVAILABLE}.
   *
   * @param scheduler where their continuations run
   * @return the factory (safe for concurrent use)
   */
  static ThreadFactory virtualThreads(Executor scheduler) {
    try {
      return ((Thread.Builder.OfVirtual) BUILDER.newInstance(scheduler)).factory();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create Weft's virtual-thread builder", e);
    }
  }

  /**
   * The platform thread the current thread runs on: the carrier for a virtual thread, the thread
   * itself otherwise; null when the hooks are unavailable.
   *
   * @return the carrier
   */
  static Thread currentCarrier() {
    if (CURRENT_CARRIER == null) {
      return null;
    }
    try {
      return (Thread) CURRENT_CARRIER.invokeExact();
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /**
   * The carrier a virtual thread is mounted on, or null when it is not mounted.
   *
   * @param thread a virtual thread
   * @return its carrier
   */
  static Thread carrierOf(Thread thread) {
    return CARRIER_OF == null || !thread.isVirtual() ? null : (Thread) CARRIER_OF.get(thread);
  }
}
