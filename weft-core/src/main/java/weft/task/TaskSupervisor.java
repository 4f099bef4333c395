package weft.task;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import weft.process.Address;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.process.ProcessBody;
import weft.supervisor.ChildSpec;
import weft.supervisor.DynamicSupervisor;
import weft.supervisor.DynamicSupervisorOptions;
import weft.supervisor.Restart;
import weft.supervisor.Shutdown;

/**
 * A supervisor for tasks, as Elixir's {@code Task.Supervisor}: a {@link DynamicSupervisor} whose
 * children are temporary tasks. Put one in your tree and start tasks under it, so that they are
 * stopped with the application and their crashes are logged without taking the caller down.
 *
 * {@snippet :
 * Pid tasks = TaskSupervisor.start(node, "tasks");
 * TaskSupervisor.startChild(tasks, () -> sendWelcomeMail(user));      // fire and forget
 * Task<Price> price = TaskSupervisor.asyncNolink(tasks, () -> quote(item));
 * price.await(Duration.ofSeconds(2));                                 // TaskException if it crashed
 * }
 */
public final class TaskSupervisor {

  private TaskSupervisor() {}

  /**
   * Starts an unnamed task supervisor from outside any process.
   *
   * @param node the node
   * @return the supervisor
   */
  public static Pid start(Node node) {
    return DynamicSupervisor.start(node, DynamicSupervisorOptions.defaults());
  }

  /**
   * Starts a task supervisor from outside any process, registered under a name.
   *
   * @param node the node
   * @param name a unique name
   * @return the supervisor
   */
  public static Pid start(Node node, String name) {
    return DynamicSupervisor.start(node, DynamicSupervisorOptions.defaults().withName(name));
  }

  /**
   * Starts an unnamed task supervisor linked to the calling process.
   *
   * @return the supervisor
   */
  public static Pid startLink() {
    return DynamicSupervisor.startLink(DynamicSupervisorOptions.defaults());
  }

  /**
   * Starts a task supervisor linked to the calling process (as a child of another supervisor),
   * registered under a name.
   *
   * @param name a unique name
   * @return the supervisor
   */
  public static Pid startLink(String name) {
    return DynamicSupervisor.startLink(DynamicSupervisorOptions.defaults().withName(name));
  }

  /**
   * A child spec for a task supervisor, to put it in a supervision tree.
   *
   * @param name the name to register it under
   * @return the spec
   */
  public static ChildSpec childSpec(String name) {
    return ChildSpec.supervisor(name, () -> startLink(name));
  }

  /**
   * Starts a task that nobody awaits, under the supervisor.
   *
   * @param supervisor the task supervisor
   * @param work what to run
   * @return the task's pid
   */
  public static Pid startChild(Address supervisor, ProcessBody work) {
    Objects.requireNonNull(work, "work");
    return DynamicSupervisor.startChild(supervisor, taskSpec(work));
  }

  /**
   * Starts a task under the supervisor, not linked to the caller: its crash does not reach the
   * caller but shows in {@link Task#await} as a {@link TaskException}.
   *
   * @param <T> the value type
   * @param supervisor the task supervisor
   * @param work what to compute
   * @return the task
   */
  public static <T> Task<T> asyncNolink(Address supervisor, Callable<T> work) {
    Objects.requireNonNull(work, "work");
    CompletableFuture<T> result = new CompletableFuture<>();
    Pid pid = DynamicSupervisor.startChild(supervisor, taskSpec(Task.body(work, result)));
    return Task.attach(pid, result);
  }

  private static ChildSpec taskSpec(ProcessBody body) {
    return ChildSpec.worker("task", () -> Process.spawnLink(body))
        .withRestart(Restart.TEMPORARY)
        .withShutdown(Shutdown.DEFAULT_WORKER);
  }
}
