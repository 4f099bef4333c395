package weft.application;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import weft.process.Node;
import weft.supervisor.ChildSpec;
import weft.supervisor.Strategy;
import weft.supervisor.Supervised;
import weft.supervisor.SupervisorOptions;

/**
 * What an application's tree is built into (see {@link Application#build}): its parts in start
 * order, the resources to close after the tree stops, and the root supervisor's options
 * (one-for-one, at most 5 restarts in 10 s, unless {@link #supervision} says otherwise).
 */
public final class Assembly {

  private final Node node;
  private final List<ChildSpec> children = new ArrayList<>();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private SupervisorOptions supervision =
      SupervisorOptions.of(Strategy.ONE_FOR_ONE).withIntensity(5, Duration.ofSeconds(10));

  Assembly(Node node) {
    this.node = node;
  }

  /**
   * The node the application runs on.
   *
   * @return the node
   */
  public Node node() {
    return node;
  }

  /**
   * Adds a part: its processes start after those added before it and stop before them.
   *
   * @param <T> the part's type
   * @param part the part
   * @return the part
   */
  public <T extends Supervised> T add(T part) {
    children.add(Objects.requireNonNull(part, "part").childSpec());
    return part;
  }

  /**
   * Adds a child of the application's own.
   *
   * @param child the spec
   */
  public void add(ChildSpec child) {
    children.add(Objects.requireNonNull(child, "child"));
  }

  /**
   * Closes a resource after the tree has stopped (resources in reverse order of this call), or at
   * once when building or starting fails.
   *
   * @param <T> the resource's type
   * @param resource the resource (a store, say)
   * @return the resource
   */
  public <T extends AutoCloseable> T closeAfterStop(T resource) {
    resources.add(Objects.requireNonNull(resource, "resource"));
    return resource;
  }

  /**
   * Other options for the root supervisor (its name is always the application's).
   *
   * @param options strategy and restart intensity
   */
  public void supervision(SupervisorOptions options) {
    this.supervision = Objects.requireNonNull(options, "options");
  }

  List<ChildSpec> children() {
    return List.copyOf(children);
  }

  List<AutoCloseable> resources() {
    return List.copyOf(resources);
  }

  SupervisorOptions options() {
    return supervision;
  }
}
