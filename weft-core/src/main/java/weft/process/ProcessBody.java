package weft.process;

/**
 * The code a process runs. When it returns the process ends with {@link ExitReason#NORMAL}; when it
 * throws, the process ends with {@link ExitReason.Error} and a crash report is logged.
 */
@FunctionalInterface
public interface ProcessBody {

  /**
   * Runs the process.
   *
   * @throws Exception anything; it becomes the exit reason
   */
  void run() throws Exception;
}
