package weft.table;

import java.util.Comparator;
import java.util.Objects;
import weft.process.Pid;

/**
 * How a {@link Table} is made.
 *
 * @param type set, ordered set, bag or duplicate bag (default set)
 * @param access who may read and write (default protected: everyone reads, the owner writes)
 * @param name a name unique on the node, to find the table with {@link Table#named}, or null
 * @param heir a process that inherits the table when the owner ends, or null (then the table is
 *     deleted with its owner)
 * @param heirData sent to the heir in the {@link TableTransfer} message
 * @param comparator key order for an ordered set, or null for the keys' natural order
 */
public record TableOptions(
    Table.Type type,
    Table.Access access,
    String name,
    Pid heir,
    Object heirData,
    Comparator<Object> comparator) {

  /**
   * Validates the options.
   *
   * @param type not null
   * @param access not null
   * @param name or null
   * @param heir or null
   * @param heirData or null
   * @param comparator or null
   */
  public TableOptions {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(access, "access");
    if (comparator != null && type != Table.Type.ORDERED_SET) {
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
    return new TableOptions(type, Table.Access.PROTECTED, null, null, null, null);
  }

  /**
   * With another access.
   *
   * @param access the access
   * @return the options
   */
  public TableOptions withAccess(Table.Access access) {
    return new TableOptions(type, access, name, heir, heirData, comparator);
  }

  /**
   * With a name.
   *
   * @param name the name
   * @return the options
   */
  public TableOptions withName(String name) {
    return new TableOptions(type, access, name, heir, heirData, comparator);
  }

  /**
   * With an heir.
   *
   * @param heir the process that inherits the table
   * @param heirData what it is told in {@link TableTransfer}
   * @return the options
   */
  public TableOptions withHeir(Pid heir, Object heirData) {
    return new TableOptions(type, access, name, heir, heirData, comparator);
  }

  /**
   * With a key order (ordered sets only).
   *
   * @param comparator the order
   * @return the options
   */
  @SuppressWarnings("unchecked")
  public TableOptions withComparator(Comparator<?> comparator) {
    return new TableOptions(type, access, name, heir, heirData, (Comparator<Object>) comparator);
  }
}
