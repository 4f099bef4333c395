/**
 * The Weft agent ({@code -javaagent:weft-agent.jar}): fair scheduling for Weft processes. It opens
 * {@code java.lang} to weft.core and inserts yield points into application classes; see {@link
 * weft.instrument.WeftAgent}. Loaded by the JVM as an agent, it exports nothing for code to call.
 */
module weft.agent {
  requires java.instrument;

  // When the agent's jar is also on the module path (an application launched as modules lists
  // its dependencies there), the JVM calls premain in this named module: java.instrument must see
  // the entry point.
  exports weft.instrument to
      java.instrument;
}
