package weft.supervisor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.genserver.CallResult;
import weft.genserver.From;
import weft.genserver.GenServer;
import weft.genserver.InitResult;
import weft.genserver.Result;
import weft.genserver.StartException;
import weft.process.Exit;
import weft.process.ExitReason;
import weft.process.Pid;
import weft.process.Process;

/*
 * Design: supervisor.erl's engine as a GenServer that traps exits. Its state (the ordered child
 * list and the restart history) is mutable but touched only by its own process. A child's Exit
 * message drives restarts: the restart type decides whether to restart, the intensity whether
 * the supervisor may, and the strategy which siblings are stopped (in reverse order) and started
 * again (in order). A restart that fails is retried through a message to itself, counting
 * against the intensity like any other restart, as OTP does.
 */
final class SupervisorServer implements GenServer<SupervisorServer, SupervisorServer.Request> {

  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

  sealed interface Request {}

  record WhichChildren() implements Request {}

  record CountChildren() implements Request {}

  record StartChild(ChildSpec spec) implements Request {}

  record TerminateChild(Object id) implements Request {}

  record RestartChild(Object id) implements Request {}

  record DeleteChild(Object id) implements Request {}

  /** A refused request; the client turns it into an exception. */
  record Refused(boolean notFound, String message) {}

  /** A restart to try again after a failed start. */
  private record TryAgain(Object id) {}

  /** Why a supervisor failed to start. */
  record FailedToStartChild(Object id, ExitReason reason) {}

  private static final class Child {
    ChildSpec spec;
    Pid pid;

    Child(ChildSpec spec) {
      this.spec = spec;
    }
  }

  private final SupervisorOptions options;
  private final List<ChildSpec> initial;
  private final List<Child> children = new ArrayList<>();
  private final RestartIntensity intensity;

  SupervisorServer(SupervisorOptions options, List<ChildSpec> initial) {
    this.options = options;
    this.initial = List.copyOf(initial);
    this.intensity = new RestartIntensity(options.maxRestarts(), options.period());
    Set<Object> ids = new HashSet<>();
    for (ChildSpec spec : initial) {
      if (!ids.add(spec.id())) {
        throw new IllegalArgumentException("duplicate child id " + spec.id() + " in " + initial);
      }
    }
  }

  @Override
  public String behaviour() {
    return "Supervisor";
  }

  @Override
  public InitResult<SupervisorServer> init() {
    Process.trapExit(true);
    for (ChildSpec spec : initial) {
      Child child = new Child(spec);
      try {
        child.pid = startChild(spec);
      } catch (Exception e) {
        ExitReason reason = reasonOf(e);
        LOG.error("supervisor {} failed to start child {}: {}", Process.self(), spec.id(), reason);
        stopAll();
        return InitResult.stop(ExitReason.shutdown(new FailedToStartChild(spec.id(), reason)));
      }
      if (child.pid != null || spec.restart() != Restart.TEMPORARY) {
        children.add(child);
      }
    }
    return InitResult.ok(this);
  }

  /** Starts a child; returns null if it answered ignore. */
  private static Pid startChild(ChildSpec spec) throws Exception {
    Pid pid;
    try {
      pid = spec.start().start();
    } catch (StartException e) {
      if (e.ignored()) {
        return null;
      }
      throw e;
    }
    if (pid == null) {
      throw new IllegalStateException("start function of child " + spec.id() + " returned null");
    }
    Process.link(pid);
    return pid;
  }

  private static ExitReason reasonOf(Exception e) {
    return e instanceof StartException s ? s.reason() : ExitReason.error(e);
  }

  @Override
  public CallResult<SupervisorServer> handleCall(Request request, From from, SupervisorServer s) {
    Object reply =
        switch (request) {
          case WhichChildren w ->
              children.stream()
                  .map(c ->
                      new ChildInfo(
                          c.spec.id(), Optional.ofNullable(c.pid), c.spec.type(), c.spec.restart()))
                  .toList();
          case CountChildren c -> counts();
          case StartChild(ChildSpec spec) -> addChild(spec);
          case TerminateChild(Object id) -> terminateChild(id);
          case RestartChild(Object id) -> restartChild(id);
          case DeleteChild(Object id) -> deleteChild(id);
        };
    return CallResult.reply(reply, this);
  }

  private ChildCounts counts() {
    int active = 0;
    int sups = 0;
    for (Child c : children) {
      if (c.pid != null) {
        active++;
      }
      if (c.spec.type() == ChildType.SUPERVISOR) {
        sups++;
      }
    }
    return new ChildCounts(children.size(), active, sups, children.size() - sups);
  }

  private Object addChild(ChildSpec spec) {
    Optional<Child> existing = find(spec.id());
    if (existing.isPresent()) {
      Child c = existing.get();
      return new Refused(
          false,
          c.pid != null
              ? "child " + spec.id() + " is already started as " + c.pid
              : "child " + spec.id() + " is already present");
    }
    Child child = new Child(spec);
    try {
      child.pid = startChild(spec);
    } catch (Exception e) {
      return StartException.failed(reasonOf(e));
    }
    if (child.pid != null || spec.restart() != Restart.TEMPORARY) {
      children.add(child);
    }
    return child.pid == null ? StartException.ignore() : child.pid;
  }

  private Object terminateChild(Object id) {
    Optional<Child> found = find(id);
    if (found.isEmpty()) {
      return new Refused(true, "no child " + id);
    }
    Child c = found.get();
    stop(c);
    if (c.spec.restart() == Restart.TEMPORARY) {
      children.remove(c);
    }
    return "ok";
  }

  private Object restartChild(Object id) {
    Optional<Child> found = find(id);
    if (found.isEmpty()) {
      return new Refused(true, "no child " + id);
    }
    Child c = found.get();
    if (c.pid != null) {
      return new Refused(false, "child " + id + " is running");
    }
    try {
      c.pid = startChild(c.spec);
    } catch (Exception e) {
      return StartException.failed(reasonOf(e));
    }
    return c.pid == null ? StartException.ignore() : c.pid;
  }

  private Object deleteChild(Object id) {
    Optional<Child> found = find(id);
    if (found.isEmpty()) {
      return new Refused(true, "no child " + id);
    }
    if (found.get().pid != null) {
      return new Refused(false, "child " + id + " is running; terminate it first");
    }
    children.remove(found.get());
    return "ok";
  }

  private Optional<Child> find(Object id) {
    return children.stream().filter(c -> c.spec.id().equals(id)).findFirst();
  }

  @Override
  public Result<SupervisorServer> handleInfo(Object message, SupervisorServer s) {
    switch (message) {
      case Exit(Pid from, ExitReason reason) -> {
        Optional<Child> child = children.stream().filter(c -> from.equals(c.pid)).findFirst();
        if (child.isPresent()) {
          return childExited(child.get(), reason);
        }
      }
      case TryAgain(Object id) -> {
        Optional<Child> child = find(id);
        if (child.isPresent() && child.get().pid == null) {
          return restart(child.get());
        }
      }
      default -> LOG.warn("supervisor {} got unexpected message {}", Process.self(), message);
    }
    return Result.noreply(this);
  }

  private Result<SupervisorServer> childExited(Child child, ExitReason reason) {
    child.pid = null;
    if (!child.spec.restart().restarts(reason)) {
      if (child.spec.restart() == Restart.TEMPORARY) {
        children.remove(child);
      }
      return Result.noreply(this);
    }
    LOG.warn(
        "supervisor {} restarting child {} ({}) after exit: {}",
        Process.self(),
        child.spec.id(),
        options.strategy(),
        reason);
    return restart(child);
  }

  private Result<SupervisorServer> restart(Child child) {
    if (!intensity.restart(System.nanoTime())) {
      LOG.error(
          "supervisor {} reached maximum restart intensity ({} in {}); shutting down",
          Process.self(),
          options.maxRestarts(),
          options.period());
      return Result.stop(ExitReason.SHUTDOWN, this);
    }
    List<Child> toStart =
        switch (options.strategy()) {
          case ONE_FOR_ONE -> List.of(child);
          case ONE_FOR_ALL -> List.copyOf(children);
          case REST_FOR_ONE ->
              List.copyOf(children.subList(children.indexOf(child), children.size()));
        };
    for (Child c : toStart.reversed()) {
      if (c != child && c.pid != null) {
        stop(c);
      }
    }
    for (Child c : toStart) {
      if (c != child && c.spec.restart() == Restart.TEMPORARY) {
        children.remove(c);
        continue;
      }
      try {
        c.pid = startChild(c.spec);
      } catch (Exception e) {
        LOG.error(
            "supervisor {} failed to restart child {}: {}",
            Process.self(),
            c.spec.id(),
            reasonOf(e));
        Process.send(Process.self(), new TryAgain(c.spec.id()));
        return Result.noreply(this);
      }
    }
    return Result.noreply(this);
  }

  private void stop(Child c) {
    if (c.pid != null) {
      ChildTermination.stop(c.pid, c.spec.shutdown(), c.spec.id());
      c.pid = null;
    }
  }

  private void stopAll() {
    for (Child c : children.reversed()) {
      stop(c);
    }
  }

  @Override
  public void terminate(ExitReason reason, SupervisorServer s) {
    stopAll();
  }
}
