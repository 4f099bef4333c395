package weft.application;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Weft application, as an OTP application: one supervision tree, built from its {@link Config
 * configuration}, started in order and stopped in reverse.
 *
 * {@snippet :
 * public final class Shop implements Application {
 *   static final Setting<Integer> PORT = Setting.integer("http.port", 4000, 0, 65535).withEnv("PORT");
 *   public String name() { return "shop"; }
 *   public List<Setting<?>> settings() { return List.of(PORT); }
 *   public void build(Config config, Assembly app) {
 *     Store store = app.closeAfterStop(Store.open(StoreConfig.sqlite(Path.of("data/shop.db"))));
 *     app.add(store);                           // its keeper, first to start, last to stop
 *     app.add(Endpoint.create(HttpConfig.port(config.get(PORT)), routes, Duration.ofSeconds(10)));
 *   }
 *   public static void main(String[] args) { Application.run(new Shop(), args); }
 * }
 * }
 *
 * <h2>Configuration</h2>
 *
 * {@link #run} reads each setting's default, then a properties file ({@code --config=<file>} or the
 * {@code WEFT_CONFIG} environment variable; none by default), then environment variables; a value
 * that does not fit stops start-up before anything starts, with a {@link ConfigException} naming
 * each problem and where the value came from. {@code --help} prints the settings.
 */
public interface Application {

  /**
   * The application's name: the node's and the root supervisor's registered name.
   *
   * @return the name
   */
  String name();

  /**
   * The settings it reads.
   *
   * @return the settings, unique names
   */
  List<Setting<?>> settings();

  /**
   * Builds the application's parts from its configuration and adds them to the tree, in the order
   * they start. Runs on a platform thread before any part starts; resources opened here (a store)
   * are given to {@link Assembly#closeAfterStop} so they are closed after the tree stops, or at
   * once if building fails.
   *
   * @param config the configuration
   * @param app what the tree is built into
   * @throws Exception if a part cannot be built (start-up stops, what was opened is closed)
   */
  void build(Config config, Assembly app) throws Exception;

  /**
   * Builds and starts an application.
   *
   * @param application the application
   * @param config its configuration
   * @return the running application
   * @throws Exception what {@link #build} threw, or a part that failed to start ({@link
   *     weft.supervisor.StartException})
   */
  static Running start(Application application, Config config) throws Exception {
    return Running.start(application, config);
  }

  /**
   * The configuration {@link #run} would use: defaults, then the file named by {@code
   * --config=<file>} (or {@code WEFT_CONFIG}), then the environment.
   *
   * @param application the application
   * @param args the command line
   * @param env the environment
   * @return the configuration
   * @throws ConfigException if a value does not fit, or an argument is not understood
   */
  static Config configure(Application application, String[] args, Map<String, String> env) {
    Optional<Path> file = Optional.ofNullable(env.get("WEFT_CONFIG")).map(Path::of);
    List<String> problems = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--config=")) {
        file = Optional.of(Path.of(arg.substring("--config=".length())));
      } else {
        problems.add("unknown argument " + arg + " (known: --config=<file>, --help)");
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return Config.load(application.settings(), file, env);
  }

  /**
   * Runs an application from {@code main}: reads its configuration ({@link #configure}), starts it,
   * logs its settings, stops it in reverse start order on {@code SIGTERM} or {@code Ctrl-C} (a JVM
   * shutdown hook), and returns once it is running. {@code --help} prints the settings and exits; a
   * configuration that does not fit prints its problems and exits with status 2.
   *
   * @param application the application
   * @param args the command line
   * @return the running application
   * @throws Exception if it cannot start
   */
  static Running run(Application application, String[] args) throws Exception {
    if (List.of(args).contains("--help")) {
      System.out.println(help(application));
      System.exit(0);
    }
    Config config;
    try {
      config = configure(application, args, System.getenv());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      throw e;
    }
    Running running = start(application, config);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(running::close, application.name() + "-shutdown"));
    return running;
  }

  /**
   * What {@code --help} prints: each setting with its variables and default.
   *
   * @param application the application
   * @return the text
   */
  static String help(Application application) {
    StringBuilder out =
        new StringBuilder(application.name())
            .append(
                " settings (a properties file with --config=<file> or WEFT_CONFIG, then the environment):\n");
    for (Setting<?> s : application.settings()) {
      Object d = s.defaultValue();
      out.append("  ")
          .append(s.name())
          .append("  ")
          .append(String.join(" or ", s.env()))
          .append("  default ")
          .append(d instanceof Optional<?> o && o.isEmpty() ? "none" : d)
          .append("  ")
          .append(s.description())
          .append('\n');
    }
    return out.toString();
  }
}
