package weft.jobs.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import weft.jobs.JobSpec;
import weft.store.Store;

/**
 * An engine whose jobs live in a {@link Store}'s database, so that a job can be inserted inside the
 * caller's transaction and exist only if the data it refers to was committed.
 */
public interface SqlJobEngine extends JobEngine {

  /**
   * Inserts a job on the caller's connection, inside its transaction (as {@link
   * JobEngine#insert(weft.jobs.JobSpec, Instant)}).
   *
   * @param connection the caller's connection
   * @param spec the job
   * @param now the insertion time
   * @return the job's id
   * @throws SQLException if the insert fails
   */
  long insert(Connection connection, JobSpec spec, Instant now) throws SQLException;

  /**
   * The store the jobs are in.
   *
   * @return the store
   */
  Store store();
}
