package weft.application;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One setting of an application: its name in a configuration file ({@code http.port}), the
 * environment variables that set it ({@code WEFT_HTTP_PORT} by default, plus aliases such as {@code
 * PORT}), how its text is read and checked, and its default.
 *
 * {@snippet :
 * static final Setting<Integer> PORT = Setting.integer("http.port", 4000, 0, 65535).withEnv("PORT");
 * static final Setting<Duration> RETENTION = Setting.duration("messages.retention", Duration.ofDays(30));
 * static final Setting<Optional<String>> PASSWORD = Setting.optional("dashboard.password");
 * }
 *
 * @param <T> the value's type
 * @param name the name in a configuration file: lower-case words joined by dots
 * @param env the environment variables that set it, the first one found winning
 * @param parse reads the text; throws {@link IllegalArgumentException} with the reason when it does
 *     not fit
 * @param defaultValue the value when nothing sets it
 * @param description what it is, for error messages and {@code --help}
 */
public record Setting<T>(
    String name, List<String> env, Function<String, T> parse, T defaultValue, String description) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*");

  /**
   * Checks the setting.
   *
   * @param name lower-case words joined by dots, dashes or underscores
   * @param env at least one variable name
   * @param parse not null
   * @param defaultValue not null (an optional setting's default is {@code Optional.empty()})
   * @param description not null
   */
  public Setting {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a setting's name is lower-case words joined by dots, got " + name);
    }
    env = List.copyOf(env);
    if (env.isEmpty()) {
      throw new IllegalArgumentException("setting " + name + " needs an environment variable");
    }
    Objects.requireNonNull(parse, "parse");
    Objects.requireNonNull(defaultValue, "defaultValue (use Setting.optional for none)");
    Objects.requireNonNull(description, "description");
  }

  /**
   * The environment variable a name maps to: {@code WEFT_} and the name in upper case, with dots
   * and dashes as underscores ({@code http.port} is {@code WEFT_HTTP_PORT}).
   *
   * @param name the setting's name
   * @return the variable's name
   */
  public static String envName(String name) {
    return "WEFT_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * A setting read by a function of your own.
   *
   * @param <T> the type
   * @param name the name
   * @param defaultValue the default
   * @param parse reads the text, throwing {@link IllegalArgumentException} with the reason
   * @return the setting, set by {@link #envName(String)}
   */
  public static <T> Setting<T> of(String name, T defaultValue, Function<String, T> parse) {
    return new Setting<>(name, List.of(envName(name)), parse, defaultValue, name);
  }

  /**
   * Text.
   *
   * @param name the name
   * @param defaultValue the default
   * @return the setting
   */
  public static Setting<String> string(String name, String defaultValue) {
    return of(name, defaultValue, text -> text);
  }

  /**
   * Text that may be absent.
   *
   * @param name the name
   * @return the setting, empty by default; set to an empty text, it is empty too
   */
  public static Setting<Optional<String>> optional(String name) {
    return of(
        name, Optional.empty(), text -> text.isEmpty() ? Optional.empty() : Optional.of(text));
  }

  /**
   * A whole number within bounds.
   *
   * @param name the name
   * @param defaultValue the default
   * @param min the smallest allowed
   * @param max the largest allowed
   * @return the setting
   */
  public static Setting<Integer> integer(String name, int defaultValue, int min, int max) {
    return of(
        name,
        defaultValue,
        text -> {
          int n;
          try {
            n = Integer.parseInt(text.strip());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
          }
          if (n < min || n > max) {
            throw new IllegalArgumentException("must be " + min + "-" + max);
          }
          return n;
        });
  }

  /**
   * A yes-or-no: {@code true}/{@code false}, {@code yes}/{@code no}, {@code on}/{@code off}, {@code
   * 1}/{@code 0}.
   *
   * @param name the name
   * @param defaultValue the default
   * @return the setting
   */
  public static Setting<Boolean> bool(String name, boolean defaultValue) {
    return of(
        name,
        defaultValue,
        text ->
            switch (text.strip().toLowerCase(Locale.ROOT)) {
              case "true", "yes", "on", "1" -> true;
              case "false", "no", "off", "0" -> false;
              default -> throw new IllegalArgumentException("not true or false");
            });
  }

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  /**
   * A positive duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}, or
   * ISO-8601 ({@code PT30S}).
   *
   * @param name the name
   * @param defaultValue the default
   * @return the setting
   */
  public static Setting<Duration> duration(String name, Duration defaultValue) {
    return of(name, defaultValue, Setting::parseDuration);
  }

  static Duration parseDuration(String text) {
    String t = text.strip();
    Matcher m = SHORT_DURATION.matcher(t);
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
    } else {
      try {
        d = Duration.parse(t);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "not a duration (write 500ms, 30s, 5m, 2h, 7d or ISO-8601 such as PT30S)");
      }
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("must be positive");
    }
    return d;
  }

  /**
   * A file system path.
   *
   * @param name the name
   * @param defaultValue the default
   * @return the setting
   */
  public static Setting<Path> path(String name, Path defaultValue) {
    return of(
        name,
        defaultValue,
        text -> {
          if (text.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
          }
          return Path.of(text);
        });
  }

  /**
   * The same setting, also set by other environment variables (tried after the default one, in
   * order): {@code PORT} beside {@code WEFT_HTTP_PORT}, say.
   *
   * @param aliases variable names
   * @return the setting
   */
  public Setting<T> withEnv(String... aliases) {
    List<String> all = new java.util.ArrayList<>(env);
    all.addAll(List.of(aliases));
    return new Setting<>(name, all, parse, defaultValue, description);
  }

  /**
   * The same setting, described (for error messages and {@code --help}).
   *
   * @param text what it is
   * @return the setting
   */
  public Setting<T> describedAs(String text) {
    return new Setting<>(name, env, parse, defaultValue, text);
  }

  /** Whether a value of this setting may be printed (not a password, secret, key or token). */
  boolean printable() {
    return !name.matches(".*(password|secret|key|token).*");
  }
}
