package weft.supervisor;

import java.util.Optional;
import weft.process.Pid;

/**
 * One child, as {@code whichChildren} reports it.
 *
 * @param id the child's id (for a dynamic supervisor's children, the pid)
 * @param pid its process, or empty when not running (ignored, ended transient, being restarted)
 * @param type worker or supervisor
 * @param restart its restart type
 */
public record ChildInfo(Object id, Optional<Pid> pid, ChildType type, Restart restart) {}
