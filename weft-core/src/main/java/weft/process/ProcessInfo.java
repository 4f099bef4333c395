package weft.process;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of one process, like Erlang's {@code process_info/1}. Taken without stopping the
 * process, so the fields may already be out of date when read.
 *
 * @param pid the process
 * @param name its registered name, if any
 * @param status running, waiting in receive, or exited
 * @param mailboxLength messages waiting in its mailbox
 * @param links processes linked to it
 * @param monitors processes it monitors
 * @param monitoredBy processes monitoring it
 * @param trapExit whether it traps exits
 * @param behaviour what it runs ({@code "GenServer"}, {@code "Supervisor"}, ...), or empty for a
 *     plain process
 * @param parent the process that spawned it, if it was spawned by a process
 * @param startedAt when it was spawned
 * @param preemptions how often the scheduler preempted it at a yield point (it had held its carrier
 *     for a time slice while others waited)
 * @param longSchedules how often the scheduler's watchdog reported it for holding its carrier
 *     without reaching a yield point (see {@link weft.scheduler.Scheduler})
 */
public record ProcessInfo(
    Pid pid,
    Optional<String> name,
    ProcessStatus status,
    int mailboxLength,
    List<Pid> links,
    List<Pid> monitors,
    List<Pid> monitoredBy,
    boolean trapExit,
    Optional<String> behaviour,
    Optional<Pid> parent,
    Instant startedAt,
    int preemptions,
    int longSchedules) {}
