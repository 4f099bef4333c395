package weft.process;

/**
 * What {@link Process#spawnMonitor(ProcessBody)} returns: the new process and the monitor on it.
 *
 * @param pid the new process
 * @param ref the monitor's reference, found again in the {@link Down} message
 */
public record SpawnedMonitor(Pid pid, Ref ref) {}
