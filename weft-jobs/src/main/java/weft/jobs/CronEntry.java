package weft.jobs;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * A job to insert on a schedule: a standard five-field cron expression (UTC) and the job. Each tick
 * inserts the job once across all nodes sharing the database; ticks missed while no node ran are
 * not made up.
 *
 * {@snippet :
 * new CronEntry("retention", "0 3 * * *", JobSpec.of(new DeleteOldMessages(), Map.of()))
 * }
 *
 * @param name unique among the entries (it keys the once-per-tick record)
 * @param expression the cron expression, such as {@code "*&#47;5 * * * *"}
 * @param spec the job to insert
 */
public record CronEntry(String name, String expression, JobSpec spec) {

  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  /**
   * Validates the entry.
   *
   * @param name not empty
   * @param expression a valid five-field cron expression
   * @param spec not null
   * @throws IllegalArgumentException for an invalid expression, naming it
   */
  public CronEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(spec, "spec");
    try {
      PARSER.parse(Objects.requireNonNull(expression, "expression")).validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid cron expression for " + name + ": " + expression + " (" + e.getMessage() + ")",
          e);
    }
  }

  /**
   * The latest tick at or before {@code now}.
   *
   * @param now the time
   * @return the tick, if the expression has one
   */
  public Optional<Instant> lastTick(Instant now) {
    var time = ExecutionTime.forCron(PARSER.parse(expression));
    var at = now.atZone(ZoneOffset.UTC);
    if (time.isMatch(at.withSecond(0).withNano(0))) {
      return Optional.of(at.withSecond(0).withNano(0).toInstant());
    }
    return time.lastExecution(at).map(z -> z.toInstant());
  }
}
