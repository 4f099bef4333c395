package weft.process;

/**
 * The message a process that {@linkplain Process#trapExit(boolean) traps exits} receives instead of
 * dying when an exit signal reaches it: Erlang's {@code {'EXIT', From, Reason}}.
 *
 * @param from the process that sent the signal (the linked process that ended, or the sender of
 *     {@link Process#exit(Pid, ExitReason)})
 * @param reason the reason carried by the signal
 */
public record Exit(Pid from, ExitReason reason) {}
