package weft.scheduler;

/**
 * Work handed to a {@link DirtyPool}: blocking or native code that must not hold a process's
 * carrier thread.
 *
 * @param <T> what it returns
 * @param <X> what it may throw
 */
@FunctionalInterface
public interface DirtyWork<T, X extends Exception> {

  /**
   * Does the work, on one of the pool's platform threads.
   *
   * @return the result
   * @throws X when the work fails
   */
  T run() throws X;
}
