package weft.instrument;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * What the agent instruments. Given as agent arguments ({@code
 * -javaagent:weft-agent.jar=app=com.example;exclude=com.example.gen}) or as system properties
 * ({@code -Dweft.agent.app=com.example}); arguments win.
 *
 * <table>
 *   <caption>Agent options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code app}</td><td>none</td>
 *       <td>package prefixes (comma-separated) of application code: its yield points also end a
 *       killed process. Classes loaded from a directory, and the classes of the jar or directory
 *       that holds the main class, are application code without being listed.</td></tr>
 *   <tr><td>{@code exclude}</td><td>{@value #DEFAULT_EXCLUDE}</td>
 *       <td>package prefixes left without yield points; giving it replaces the default list (an
 *       empty value instruments everything). The defaults are libraries that Weft runs only on
 *       threads it does not schedule: Netty on its event loops, the JDBC drivers and HikariCP on
 *       the store's dirty pool, Flyway and Logback's set-up at start. Leaving them alone saves
 *       start-up time and costs no fairness.</td></tr>
 *   <tr><td>{@code verbose}</td><td>{@code false}</td>
 *       <td>print what was instrumented when the JVM exits</td></tr>
 * </table>
 *
 * @param app package prefixes of application code, in the dotted form
 * @param exclude package prefixes not instrumented, in the dotted form
 * @param verbose whether to print counts at exit
 */
public record AgentOptions(List<String> app, List<String> exclude, boolean verbose) {

  /** The packages left without yield points unless {@code exclude} says otherwise. */
  public static final String DEFAULT_EXCLUDE =
      "io.netty,org.flywaydb,com.zaxxer.hikari,org.sqlite,org.postgresql,ch.qos.logback";

  /** Copies the lists. */
  public AgentOptions {
    app = List.copyOf(app);
    exclude = List.copyOf(exclude);
  }

  /**
   * Reads the options.
   *
   * @param args the agent's argument string, or null
   * @param properties the system properties ({@code weft.agent.*})
   * @return the options
   * @throws IllegalArgumentException for an unknown option or a malformed one
   */
  public static AgentOptions parse(String args, Properties properties) {
    String app = properties.getProperty("weft.agent.app", "");
    String exclude = properties.getProperty("weft.agent.exclude", DEFAULT_EXCLUDE);
    String verbose = properties.getProperty("weft.agent.verbose", "false");
    if (args != null && !args.isBlank()) {
      for (String option : args.split(";")) {
        String o = option.trim();
        if (o.isEmpty()) {
          continue;
        }
        int eq = o.indexOf('=');
        String key = (eq < 0 ? o : o.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String value = eq < 0 ? "true" : o.substring(eq + 1).trim();
        switch (key) {
          case "app" -> app = value;
          case "exclude" -> exclude = value;
          case "verbose" -> verbose = value;
          default ->
              throw new IllegalArgumentException(
                  "unknown weft-agent option '" + key + "' (known: app, exclude, verbose)");
        }
      }
    }
    if (!verbose.equals("true") && !verbose.equals("false")) {
      throw new IllegalArgumentException(
          "weft-agent option verbose is true or false, not " + verbose);
    }
    return new AgentOptions(prefixes(app), prefixes(exclude), verbose.equals("true"));
  }

  private static List<String> prefixes(String list) {
    List<String> out = new ArrayList<>();
    for (String p : list.split(",")) {
      String s = p.trim();
      if (!s.isEmpty()) {
        if (!s.matches("[\\p{javaJavaIdentifierPart}.$]+")) {
          throw new IllegalArgumentException("not a package prefix: '" + s + "'");
        }
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Whether a class (internal name, with slashes) is in one of the packages (or their subpackages),
   * or is one of the classes, that the prefixes name.
   *
   * @param internalName the class's internal name
   * @param prefixes dotted prefixes
   * @return true if it matches one
   */
  static boolean matches(String internalName, List<String> prefixes) {
    if (prefixes.isEmpty()) {
      return false;
    }
    String dotted = internalName.replace('/', '.');
    for (String p : prefixes) {
      if (dotted.equals(p) || dotted.startsWith(p.endsWith(".") ? p : p + ".")) {
        return true;
      }
    }
    return false;
  }
}
