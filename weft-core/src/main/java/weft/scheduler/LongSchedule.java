package weft.scheduler;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import weft.process.Pid;

/**
 * A report of the scheduler's watchdog, like the BEAM's {@code long_schedule} system monitor: a
 * process held its carrier thread for {@link #held()} without reaching a yield point, so it could
 * not be preempted. Typical causes are native calls (JNI, such as SQLite's), long loops inside JDK
 * code, and classes the agent does not instrument. Such work belongs in a {@link DirtyPool}.
 *
 * @param pid the process, when the holder is a Weft process
 * @param name its registered name, if any
 * @param behaviour what it runs, if labelled
 * @param carrier the carrier thread's name
 * @param held how long it has held the carrier so far
 * @param stack where it was when reported (empty if it could not be found)
 */
public record LongSchedule(
    Optional<Pid> pid,
    Optional<String> name,
    Optional<String> behaviour,
    String carrier,
    Duration held,
    List<StackTraceElement> stack) {

  /** Copies the stack. */
  public LongSchedule {
    stack = List.copyOf(stack);
  }

  /**
   * Whether the holder was in a native method when reported.
   *
   * @return true for a native top frame
   */
  public boolean inNativeCode() {
    return !stack.isEmpty() && stack.getFirst().isNativeMethod();
  }
}
