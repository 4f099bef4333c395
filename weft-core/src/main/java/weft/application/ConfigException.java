package weft.application;

import java.io.Serial;
import java.util.List;

/** Configuration that does not fit: start-up stops, naming every problem and its source. */
public final class ConfigException extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  private final transient List<String> problems;

  /**
   * An exception listing problems.
   *
   * @param problems one line each
   */
  public ConfigException(List<String> problems) {
    super(
        problems.size() == 1
            ? "configuration: " + problems.getFirst()
            : "configuration:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * The problems, one line each.
   *
   * @return the problems
   */
  public List<String> problems() {
    return problems;
  }
}
