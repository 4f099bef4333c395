package weft.instrument;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * The Weft agent: {@code java -javaagent:weft-agent.jar ...}. It makes Weft's scheduling fair:
 *
 * <ul>
 *   <li>it opens {@code java.lang} to weft-core, whose scheduler installs itself as the executor of
 *       processes' virtual threads;
 *   <li>it inserts yield points (see {@link YieldPoints}) into every class loaded afterwards that
 *       can see weft-core, except the JDK's and Weft's runtime, so that a process in a CPU-bound
 *       loop gives up its carrier when others wait, and a killed process stops even in {@code while
 *       (true) {}}.
 * </ul>
 *
 * Options are in {@link AgentOptions}. If weft-core is not on the class path the agent does nothing
 * and says so. As {@code Launcher-Agent-Class} in an executable jar's manifest it starts with
 * {@code java -jar} and needs no flag.
 */
public final class WeftAgent {

  /** The system property the agent sets once it is installed; weft-core reads it. */
  public static final String ACTIVE_PROPERTY = "weft.agent.active";

  private WeftAgent() {}

  /**
   * Entry point for {@code -javaagent}.
   *
   * @param args the agent's options (see {@link AgentOptions})
   * @param inst the instrumentation
   */
  public static void premain(String args, Instrumentation inst) {
    install(args, inst);
  }

  /**
   * Entry point as {@code Launcher-Agent-Class} of an executable jar.
   *
   * @param args the agent's options
   * @param inst the instrumentation
   */
  public static void agentmain(String args, Instrumentation inst) {
    install(args, inst);
  }

  private static void install(String args, Instrumentation inst) {
    if (Boolean.getBoolean(ACTIVE_PROPERTY)) {
      return; // installed twice (-javaagent and Launcher-Agent-Class): once is enough
    }
    AgentOptions options = AgentOptions.parse(args, System.getProperties());
    ClassLoader app = ClassLoader.getSystemClassLoader();
    String target = YieldPoints.TARGET_CLASS.replace('.', '/') + ".class";
    if (app.getResource(target) == null) {
      System.err.println("weft-agent: weft-core is not on the class path; nothing is instrumented");
      return;
    }
    Module weft = ModuleLayer.boot().findModule("weft.core").orElse(app.getUnnamedModule());
    inst.redefineModule(
        Object.class.getModule(),
        Set.of(),
        Map.of(),
        Map.of("java.lang", Set.of(weft)),
        Set.of(),
        Map.of());
    WeftTransformer transformer =
        new WeftTransformer(options, inst, weft, System.getProperty("sun.java.command"));
    inst.addTransformer(transformer, false);
    System.setProperty(ACTIVE_PROPERTY, "true");
    if (options.verbose()) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () ->
                      System.err.printf(
                          "weft-agent: yield points in %d application and %d library classes;"
                              + " %d left as they were%n",
                          transformer.applicationClasses.get(),
                          transformer.libraryClasses.get(),
                          transformer.failures.get()),
                  "weft-agent-report"));
    }
  }
}
