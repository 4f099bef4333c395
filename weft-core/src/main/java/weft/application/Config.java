package weft.application;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;

/**
 * An application's settings as they stand at start-up: each {@link Setting}'s default, then the
 * value in a configuration file (Java properties, {@code http.port=4000}), then the value of its
 * environment variables, the later winning. Every value is read and checked at {@link #load}; what
 * does not fit stops start-up with a {@link ConfigException} that lists every problem and where the
 * value came from.
 *
 * <p>Immutable and thread-safe.
 */
public final class Config {

  private record Value(Object value, String source) {}

  private final Map<String, Setting<?>> settings;
  private final Map<String, Value> values;

  private Config(Map<String, Setting<?>> settings, Map<String, Value> values) {
    this.settings = settings;
    this.values = values;
  }

  /**
   * Reads the settings from their defaults, a file and the environment.
   *
   * @param settings what the application reads (unique names)
   * @param file a properties file, or empty for none
   * @param env the environment ({@code System.getenv()})
   * @return the configuration
   * @throws ConfigException listing every value that does not fit, every key of the file that is no
   *     setting, or a file that cannot be read
   * @throws IllegalArgumentException if two settings share a name
   */
  public static Config load(
      List<Setting<?>> settings, Optional<Path> file, Map<String, String> env) {
    Map<String, Setting<?>> byName = byName(settings);
    Map<String, String> fromFile = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    String fileSource = file.map(p -> "file " + p).orElse("");
    if (file.isPresent()) {
      Properties props = new Properties();
      try (Reader in = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
        props.load(in);
      } catch (IOException | IllegalArgumentException e) {
        throw new ConfigException(
            List.of("cannot read the configuration file " + file.get() + ": " + e.getMessage()));
      }
      for (String key : new TreeSet<>(props.stringPropertyNames())) {
        if (!byName.containsKey(key)) {
          problems.add(
              key + " (" + fileSource + ") is not a setting; the settings are " + byName.keySet());
        } else {
          fromFile.put(key, props.getProperty(key));
        }
      }
    }
    return resolve(byName, fromFile, fileSource, env, problems);
  }

  private static Config resolve(
      Map<String, Setting<?>> byName,
      Map<String, String> fromFile,
      String fileSource,
      Map<String, String> env,
      List<String> problems) {
    Map<String, Value> values = new LinkedHashMap<>();
    for (Setting<?> s : byName.values()) {
      String text = null;
      String source = "default";
      String envText = null;
      String envName = null;
      for (String name : s.env()) {
        String v = env.get(name);
        if (v != null) {
          envText = v;
          envName = name;
          break;
        }
      }
      if (envText != null) {
        text = envText;
        source = "environment variable " + envName;
      } else if (fromFile.containsKey(s.name())) {
        text = fromFile.get(s.name());
        source = fileSource;
      }
      if (text == null) {
        values.put(s.name(), new Value(s.defaultValue(), source));
        continue;
      }
      try {
        Object v = s.parse().apply(text);
        if (v == null) {
          throw new IllegalArgumentException("read as nothing");
        }
        values.put(s.name(), new Value(v, source));
      } catch (IllegalArgumentException e) {
        problems.add(
            s.name()
                + " = "
                + (s.printable() ? "'" + text + "'" : "(hidden)")
                + " ("
                + source
                + "): "
                + e.getMessage()
                + " ["
                + s.description()
                + "]");
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Config(byName, values);
  }

  /**
   * The settings with their defaults, or the values given (by setting name; for tests).
   *
   * @param settings what the application reads
   * @param values texts by setting name, read and checked as a file's would be
   * @return the configuration
   * @throws ConfigException as {@link #load}
   */
  public static Config of(List<Setting<?>> settings, Map<String, String> values) {
    Map<String, Setting<?>> byName = byName(settings);
    List<String> problems = new ArrayList<>();
    for (String name : new TreeSet<>(values.keySet())) {
      if (!byName.containsKey(name)) {
        problems.add(name + " (given) is not a setting; the settings are " + byName.keySet());
      }
    }
    return resolve(byName, values, "given", Map.of(), problems);
  }

  private static Map<String, Setting<?>> byName(List<Setting<?>> settings) {
    Map<String, Setting<?>> byName = new LinkedHashMap<>();
    for (Setting<?> s : settings) {
      if (byName.put(s.name(), s) != null) {
        throw new IllegalArgumentException("two settings are named " + s.name());
      }
    }
    return byName;
  }

  /**
   * A setting's value.
   *
   * @param <T> its type
   * @param setting the setting
   * @return the value
   * @throws IllegalArgumentException if the setting is not one this configuration was loaded with
   */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    Objects.requireNonNull(setting, "setting");
    Value v = values.get(setting.name());
    if (v == null || settings.get(setting.name()) != setting) {
      throw new IllegalArgumentException(
          "setting " + setting.name() + " is not one of this application's " + settings.keySet());
    }
    return (T) v.value();
  }

  /**
   * Where a setting's value came from: {@code default}, {@code file <path>} or {@code environment
   * variable <NAME>}.
   *
   * @param setting the setting
   * @return the source
   */
  public String source(Setting<?> setting) {
    get(setting);
    return values.get(setting.name()).source();
  }

  /**
   * One line per setting, {@code name = value (source)}, with passwords, secrets, keys and tokens
   * hidden: what to log at start-up.
   *
   * @return the lines
   */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    settings.forEach((name, s) -> {
      Value v = values.get(name);
      Object value =
          v.value() instanceof Optional<?> o ? o.map(Object.class::cast).orElse("none") : v.value();
      String shown =
          s.printable() || v.source().equals("default") ? String.valueOf(value) : "(hidden)";
      out.add(name + " = " + shown + " (" + v.source() + ")");
    });
    return out;
  }

  @Override
  public String toString() {
    return "Config" + describe();
  }
}
