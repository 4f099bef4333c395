package weft.table;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import weft.process.Pid;

/**
 * How a {@link Table} is made.
 *
 * @param type set, ordered set, bag or duplicate bag (default set)
 * @param access who may read and write (default protected: everyone reads, the owner writes)
 * @param name a name unique on the node, to find the table with {@link Table#named}, or empty
 * @param heir the process that inherits the table when the owner ends, or empty (then the table is
 *     deleted with its owner)
 * @param comparator key order for an ordered set, or empty for the keys' natural order
 */
public record TableOptions(
    Table.Type type,
    Table.Access access,
    Optional<String> name,
    Optional<Heir> heir,
    Optional<Comparator<Object>> comparator) {

  /**
   * Who inherits a table when its owner ends ({@code {heir, Pid, HeirData}} in ETS).
   *
   * @param pid the heir
   * @param data sent to it in the {@link TableTransfer} message (may be null)
   */
  public record Heir(Pid pid, Object data) {
    /**
     * Checks the heir.
     *
     * @param pid not null
     * @param data anything
     */
    public Heir {
      Objects.requireNonNull(pid, "pid");
    }
  }

  /**
   * Validates the options.
   *
   * @param type not null
   * @param access not null
   * @param name not null (empty for none)
   * @param heir not null (empty for none)
   * @param comparator not null (empty for natural order)
   */
  public TableOptions {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(name, "name (Optional.empty() for none)");
    Objects.requireNonNull(heir, "heir (Optional.empty() for none)");
    Objects.requireNonNull(comparator, "comparator (Optional.empty() for natural order)");
    if (comparator.isPresent() && type != Table.Type.ORDERED_SET) {
      throw new IllegalArgumentException("a comparator applies only to an ORDERED_SET table");
    }
  }

  /**
   * A protected table of a type.
   *
   * @param type the type
   * @return the options
   */
  public static TableOptions of(Table.Type type) {
    return new TableOptions(
        type, Table.Access.PROTECTED, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * With another access.
   *
   * @param access the access
   * @return the options
   */
  public TableOptions withAccess(Table.Access access) {
    return new TableOptions(type, access, name, heir, comparator);
  }

  /**
   * With a name.
   *
   * @param name the name
   * @return the options
   */
  public TableOptions withName(String name) {
    return new TableOptions(type, access, Optional.of(name), heir, comparator);
  }

  /**
   * With an heir.
   *
   * @param heir the process that inherits the table
   * @param heirData what it is told in {@link TableTransfer} (may be null)
   * @return the options
   */
  public TableOptions withHeir(Pid heir, Object heirData) {
    return new TableOptions(type, access, name, Optional.of(new Heir(heir, heirData)), comparator);
  }

  /**
   * With a key order (ordered sets only).
   *
   * @param comparator the order
   * @return the options
   */
  @SuppressWarnings("unchecked")
  public TableOptions withComparator(Comparator<?> comparator) {
    return new TableOptions(type, access, name, heir, Optional.of((Comparator<Object>) comparator));
  }
}
