package weft.supervisor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Design: Elixir's DynamicSupervisor: one-for-one only, children started on demand, identified
 * by pid, kept in start order. Shares the restart-intensity rule and the child-stopping protocol
 * with Supervisor.
 */
final class DynamicSupervisorServer
    implements GenServer<DynamicSupervisorServer, DynamicSupervisorServer.Request> {

  private static final Logger LOG = LoggerFactory.getLogger(DynamicSupervisor.class);

  sealed interface Request {}

  record StartChild(ChildSpec spec) implements Request {}

  record TerminateChild(Pid pid) implements Request {}

  record WhichChildren() implements Request {}

  record CountChildren() implements Request {}

  private final DynamicSupervisorOptions options;
  private final RestartIntensity intensity;
  private final Map<Pid, ChildSpec> children = new LinkedHashMap<>();

  DynamicSupervisorServer(DynamicSupervisorOptions options) {
    this.options = options;
    this.intensity = new RestartIntensity(options.maxRestarts(), options.period());
  }

  @Override
  public String behaviour() {
    return "DynamicSupervisor";
  }

  @Override
  public InitResult<DynamicSupervisorServer> init() {
    Process.trapExit(true);
    return InitResult.ok(this);
  }

  @Override
  public CallResult<DynamicSupervisorServer> handleCall(
      Request request, From from, DynamicSupervisorServer s) {
    Object reply =
        switch (request) {
          case StartChild(ChildSpec spec) -> start(spec);
          case TerminateChild(Pid pid) -> {
            ChildSpec spec = children.remove(pid);
            if (spec == null) {
              yield new SupervisorServer.Refused(true, "no child " + pid);
            }
            ChildTermination.stop(pid, spec.shutdown(), pid);
            yield "ok";
          }
          case WhichChildren w ->
              children.entrySet().stream()
                  .map(e ->
                      new ChildInfo(
                          e.getKey(),
                          Optional.of(e.getKey()),
                          e.getValue().type(),
                          e.getValue().restart()))
                  .toList();
          case CountChildren c -> {
            int sups =
                (int)
                    children.values().stream()
                        .filter(x -> x.type() == ChildType.SUPERVISOR)
                        .count();
            yield new ChildCounts(children.size(), children.size(), sups, children.size() - sups);
          }
        };
    return CallResult.reply(reply, this);
  }

  private Object start(ChildSpec spec) {
    if (children.size() >= options.maxChildren()) {
      return new SupervisorServer.Refused(
          false, "max_children: " + options.maxChildren() + " children are running");
    }
    try {
      Pid pid = spec.start().start();
      if (pid == null) {
        throw new IllegalStateException("start function returned null");
      }
      Process.link(pid);
      children.put(pid, spec);
      return pid;
    } catch (StartException e) {
      return e;
    } catch (Exception e) {
      return StartException.failed(ExitReason.error(e));
    }
  }

  @Override
  public Result<DynamicSupervisorServer> handleInfo(Object message, DynamicSupervisorServer s) {
    if (message instanceof Exit(Pid from, ExitReason reason)) {
      ChildSpec spec = children.remove(from);
      if (spec != null && spec.restart().restarts(reason)) {
        return restart(spec, reason);
      }
    } else if (message instanceof Retry(ChildSpec spec)) {
      return restart(spec, ExitReason.of("restart_failed"));
    } else {
      LOG.warn("dynamic supervisor {} got unexpected message {}", Process.self(), message);
    }
    return Result.noreply(this);
  }

  private record Retry(ChildSpec spec) {}

  private Result<DynamicSupervisorServer> restart(ChildSpec spec, ExitReason reason) {
    if (!intensity.restart(System.nanoTime())) {
      LOG.error(
          "dynamic supervisor {} reached maximum restart intensity ({} in {}); shutting down",
          Process.self(),
          options.maxRestarts(),
          options.period());
      return Result.stop(ExitReason.SHUTDOWN, this);
    }
    LOG.warn("dynamic supervisor {} restarting a child after exit: {}", Process.self(), reason);
    Object started = start(spec);
    if (!(started instanceof Pid)) {
      LOG.error("dynamic supervisor {} failed to restart a child: {}", Process.self(), started);
      Process.send(Process.self(), new Retry(spec));
    }
    return Result.noreply(this);
  }

  @Override
  public void terminate(ExitReason reason, DynamicSupervisorServer s) {
    for (Map.Entry<Pid, ChildSpec> e : List.copyOf(children.entrySet()).reversed()) {
      ChildTermination.stop(e.getKey(), e.getValue().shutdown(), e.getKey());
    }
    children.clear();
  }
}
