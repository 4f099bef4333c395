package weft.process;

/**
 * The message a monitor delivers, exactly once, when the monitored process ends (or at once, with
 * {@link ExitReason#NOPROC}, when it did not exist): Erlang's {@code {'DOWN', Ref, process, Pid,
 * Reason}}.
 *
 * @param ref the monitor's reference, as returned by {@link Process#monitor(Pid)}
 * @param pid the process that ended
 * @param reason why it ended
 */
public record Down(Ref ref, Pid pid, ExitReason reason) {}
