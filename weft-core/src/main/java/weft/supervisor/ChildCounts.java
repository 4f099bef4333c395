package weft.supervisor;

/**
 * What {@code countChildren} reports.
 *
 * @param specs child specs held
 * @param active children running
 * @param supervisors children that are supervisors, running or not
 * @param workers children that are workers, running or not
 */
public record ChildCounts(int specs, int active, int supervisors, int workers) {}
