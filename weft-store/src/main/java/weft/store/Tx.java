package weft.store;

import java.sql.Connection;

/**
 * The body of a transaction: runs on a connection with auto-commit off; returning commits, throwing
 * rolls back.
 *
 * @param <T> what it returns
 */
@FunctionalInterface
public interface Tx<T> {

  /**
   * Runs the body.
   *
   * @param connection the transaction's connection; do not commit, roll back or close it
   * @return the result
   * @throws Exception rolls the transaction back
   */
  T run(Connection connection) throws Exception;
}
