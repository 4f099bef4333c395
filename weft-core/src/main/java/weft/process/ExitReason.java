package weft.process;

import java.util.Objects;

/**
 * Why a process ended: the value that travels over links and in {@link Down} and {@link Exit}
 * messages.
 *
 * <p>The variants are Erlang's: {@link Normal} (the function returned), {@link Shutdown} (asked to
 * stop by its supervisor, or stopped on purpose), {@link Kill} (the untrappable signal, sent with
 * {@link Process#exit(Pid, ExitReason)}), {@link Killed} (what a process that received {@code Kill}
 * died with), {@link NoProc} (the process did not exist), {@link Timeout} (a call timed out),
 * {@link Error} (the process threw) and {@link Custom} (any other value given to {@code exit}).
 *
 * {@snippet :
 * switch (down.reason()) {
 *   case ExitReason.Normal n -> log.info("done");
 *   case ExitReason.Error(var cause) -> log.warn("crashed", cause);
 *   default -> log.info("ended: {}", down.reason());
 * }
 * }
 */
public sealed interface ExitReason {

  /** The process function returned. A linked process is not affected unless it traps exits. */
  ExitReason NORMAL = new Normal();

  /**
   * An orderly stop. Not a crash: no crash report, and a {@code TRANSIENT} child is not restarted.
   */
  ExitReason SHUTDOWN = new Shutdown(null);

  /** The untrappable kill signal. */
  ExitReason KILL = new Kill();

  /** The reason of a process that was sent {@link #KILL}. */
  ExitReason KILLED = new Killed();

  /** The process addressed does not exist (or no longer). */
  ExitReason NOPROC = new NoProc();

  /** A call did not get its reply in time. */
  ExitReason TIMEOUT = new Timeout();

  /**
   * Whether this reason counts as an orderly end: {@link Normal} or {@link Shutdown}. Abnormal
   * reasons are logged as crash reports and restart {@code TRANSIENT} children.
   *
   * @return true for {@code Normal} and {@code Shutdown}
   */
  default boolean isNormal() {
    return this instanceof Normal || this instanceof Shutdown;
  }

  /**
   * An abnormal reason carrying any value, like {@code exit(Pid, {some, term})} in Erlang.
   *
   * @param value the reason's value, not null
   * @return the reason
   */
  static ExitReason of(Object value) {
    return new Custom(value);
  }

  /**
   * A shutdown carrying a detail, like Elixir's {@code {:shutdown, detail}}: orderly, not a crash.
   *
   * @param detail what to report, not null
   * @return the reason
   */
  static ExitReason shutdown(Object detail) {
    return new Shutdown(Objects.requireNonNull(detail, "detail"));
  }

  /**
   * The reason for a process that threw.
   *
   * @param cause the exception, not null
   * @return the reason
   */
  static ExitReason error(Throwable cause) {
    return new Error(cause);
  }

  /** The process function returned. */
  record Normal() implements ExitReason {
    @Override
    public String toString() {
      return "normal";
    }
  }

  /**
   * An orderly stop.
   *
   * @param detail an optional detail ({@code {:shutdown, detail}}), or null for plain shutdown
   */
  record Shutdown(Object detail) implements ExitReason {
    @Override
    public String toString() {
      return detail == null ? "shutdown" : "{shutdown, " + detail + "}";
    }
  }

  /** The untrappable kill signal. */
  record Kill() implements ExitReason {
    @Override
    public String toString() {
      return "kill";
    }
  }

  /** The process was killed with {@link #KILL}. */
  record Killed() implements ExitReason {
    @Override
    public String toString() {
      return "killed";
    }
  }

  /** No such process. */
  record NoProc() implements ExitReason {
    @Override
    public String toString() {
      return "noproc";
    }
  }

  /** A call timed out. */
  record Timeout() implements ExitReason {
    @Override
    public String toString() {
      return "timeout";
    }
  }

  /**
   * The process threw.
   *
   * @param cause what it threw
   */
  record Error(Throwable cause) implements ExitReason {
    /**
     * Checks the cause.
     *
     * @param cause what the process threw, not null
     */
    public Error {
      Objects.requireNonNull(cause, "cause");
    }

    @Override
    public String toString() {
      return "error: " + cause;
    }
  }

  /**
   * Any other value given as an exit reason.
   *
   * @param value the value
   */
  record Custom(Object value) implements ExitReason {
    /**
     * Checks the value.
     *
     * @param value the reason's value, not null
     */
    public Custom {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return String.valueOf(value);
    }
  }
}
