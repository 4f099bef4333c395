package weft.supervisor;

/**
 * A part of an application that runs processes and gives them to the application's supervision tree
 * the one way every part does: a {@link ChildSpec}. Weft's parts (the store's keeper, presence,
 * jobs, the HTTP endpoint, the dashboard) are {@code Supervised}; so can an application's own be,
 * and an {@code Assembly} adds any of them in start order.
 */
@FunctionalInterface
public interface Supervised {

  /**
   * The child spec that starts this part's processes under a supervisor. Calling it twice gives
   * specs for the same part (one tree holds it once).
   *
   * @return the spec
   */
  ChildSpec childSpec();
}
