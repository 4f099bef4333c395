package weft.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Thin helpers over JDBC prepared statements: parameters are bound in order, results mapped row by
 * row. Not an ORM: SQL stays SQL.
 *
 * {@snippet :
 * store.transaction(c -> Sql.update(c, "insert into messages(room, body) values (?, ?)", room, body));
 * List<String> bodies = store.transaction(c ->
 *     Sql.query(c, "select body from messages where room = ? order by id", rs -> rs.getString(1), room));
 * }
 */
public final class Sql {

  /** Maps the current row. */
  @FunctionalInterface
  public interface RowMapper<T> {
    /**
     * Maps the row.
     *
     * @param row the result set, on the row
     * @return the value
     * @throws SQLException on a read error
     */
    T map(ResultSet row) throws SQLException;
  }

  private Sql() {}

  /**
   * Runs an insert, update or delete.
   *
   * @param c the connection
   * @param sql the statement, with {@code ?} placeholders
   * @param args the parameters, in order
   * @return rows affected
   * @throws SQLException on failure
   */
  public static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  /**
   * Runs a query.
   *
   * @param <T> the row type
   * @param c the connection
   * @param sql the query
   * @param mapper maps each row
   * @param args the parameters
   * @return the rows, in order
   * @throws SQLException on failure
   */
  public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    }
  }

  /**
   * Runs a query expected to return at most one row.
   *
   * @param <T> the row type
   * @param c the connection
   * @param sql the query
   * @param mapper maps the row
   * @param args the parameters
   * @return the row, or empty
   * @throws SQLException on failure, or if more than one row came back
   */
  public static <T> Optional<T> one(Connection c, String sql, RowMapper<T> mapper, Object... args)
      throws SQLException {
    List<T> rows = query(c, sql, mapper, args);
    if (rows.size() > 1) {
      throw new SQLException("expected at most one row, got " + rows.size() + " for " + sql);
    }
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
  }

  private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof java.time.Instant t) {
        ps.setTimestamp(i + 1, java.sql.Timestamp.from(t));
      } else {
        ps.setObject(i + 1, a);
      }
    }
  }
}
