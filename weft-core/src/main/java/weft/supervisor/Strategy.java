package weft.supervisor;

/** What a supervisor restarts when one child ends and must be restarted. */
public enum Strategy {
  /** Only that child. */
  ONE_FOR_ONE,
  /** Every child: the others are stopped (in reverse start order), then all start in order. */
  ONE_FOR_ALL,
  /** That child and the ones started after it, stopped in reverse and started in order. */
  REST_FOR_ONE
}
