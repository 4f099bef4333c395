package weft.genserver;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.process.Exit;
import weft.process.ExitReason;
import weft.process.ExitUnwind;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.process.ProcessBody;
import weft.process.internal.Kernel;
import weft.process.internal.ProcessCore;
import weft.process.internal.Timeouts;
import weft.registry.Registry;

/*
 * Design: the generic server engine, written once (gen_server.erl's loop). The process:
 *   1. registers its name (failing start if taken),
 *   2. runs init and acknowledges the starter (startLink returns only after init),
 *   3. loops: pending continue first, then one message: call, cast, stop request, the parent's
 *      Exit (when trapping exits), or anything else as info.
 * A callback that throws, or returns Stop, makes the loop run terminate and end the process
 * with the reason; the process runner logs the crash report for abnormal reasons.
 *
 * If init fails, the process unlinks from its starter before acknowledging, so the starter gets
 * a StartException rather than an exit signal (Erlang would also send the linked caller the
 * exit; an exception is the Java way to report a failed start, and the supervisor needs it).
 */
final class ServerLoop<S, M> {

  private static final Logger LOG = LoggerFactory.getLogger(GenServer.class);

  /** A synchronous request. */
  record CallRequest(Object request, From from) {}

  /** An asynchronous request. */
  record CastRequest(Object request) {}

  /** An orderly stop asked with {@code GenServer.stop}. */
  record StopRequest(ExitReason reason) {}

  private sealed interface Ack {}

  private record Started() implements Ack {}

  private record Failed(StartException error) implements Ack {}

  private final GenServer<S, M> server;
  private ProcessCore parent;
  private S state;
  private Object continueWith;
  private boolean terminated;

  private ServerLoop(GenServer<S, M> server) {
    this.server = server;
  }

  static <S, M> Pid start(GenServer<S, M> server, StartOptions options, boolean link) {
    ProcessCore caller = ProcessCore.current();
    if (caller == null) {
      throw new IllegalStateException(
          "not inside a Weft process: use GenServer.start(node, server, options) from outside");
    }
    return start(
        body -> caller.kernel().spawn(caller, body, link, null), caller, server, options, link);
  }

  /** Starts from outside any process. */
  static <S, M> Pid start(Node node, GenServer<S, M> server, StartOptions options) {
    ProcessCore caller = ProcessCore.current();
    return start(body -> Kernel.core(node.spawn(body)), caller, server, options, false);
  }

  private static <S, M> Pid start(
      Function<ProcessBody, ProcessCore> spawner,
      ProcessCore caller,
      GenServer<S, M> server,
      StartOptions options,
      boolean link) {
    CompletableFuture<Ack> ack = new CompletableFuture<>();
    ServerLoop<S, M> loop = new ServerLoop<>(server);
    ProcessCore pid = spawner.apply(() -> loop.run(options, ack, link));
    ProcessCore parentOrOutside = caller != null ? caller : pid.kernel().outside();
    // However the new process ends before it has answered (an Error out of init, a kill while
    // its init blocks outside any yield point), the starter hears of it, as from proc_lib.
    weft.process.Ref guard =
        pid.onExit(reason -> {
          // noproc: it had already ended when the guard came; its own reason is known.
          ExitReason real = pid.exitReason() != null ? pid.exitReason() : reason;
          ack.complete(new Failed(StartException.failed(real)));
        });
    Ack result;
    try {
      result = ack.get(Timeouts.nanos(options.timeout()), TimeUnit.NANOSECONDS);
      pid.removeWatcher(guard);
    } catch (TimeoutException e) {
      if (link) {
        caller.unlink(pid);
      }
      pid.exitSignal(parentOrOutside, ExitReason.KILL, false);
      throw StartException.failed(ExitReason.TIMEOUT);
    } catch (InterruptedException e) {
      if (caller != null) {
        caller.checkAlive();
      }
      Thread.currentThread().interrupt();
      pid.exitSignal(parentOrOutside, ExitReason.KILL, false);
      throw StartException.failed(ExitReason.SHUTDOWN);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    return switch (result) {
      case Started s -> pid;
      case Failed(StartException error) -> throw error;
    };
  }

  private void run(StartOptions options, CompletableFuture<Ack> ack, boolean linked)
      throws Exception {
    ProcessCore self = ProcessCore.current();
    parent = self.parent() != null ? self.parent() : self.kernel().outside();
    self.behaviour(server.behaviour());
    try {
      register(self, options);
    } catch (StartException e) {
      fail(self, linked, ack, e, ExitReason.NORMAL);
      return;
    }
    InitResult<S> init;
    try {
      init = server.init();
    } catch (ExitUnwind u) {
      fail(self, linked, ack, StartException.failed(u.reason()), u.reason());
      return;
    } catch (Exception | Error e) {
      // An Error too (a class that cannot load, a stack overflow): the starter must not wait.
      // Already dead (killed while init blocked, which is what interrupted it): that reason.
      ExitReason dead = self.exitReason();
      ExitReason reason = dead != null ? dead : ExitReason.error(e);
      fail(self, linked, ack, StartException.failed(reason), null);
      throw e;
    }
    switch (init) {
      case null -> {
        var e = new IllegalStateException(badReturn("init", null));
        fail(self, linked, ack, StartException.failed(ExitReason.error(e)), null);
        throw e;
      }
      case InitResult.Ok<S>(S s, Object cont) -> {
        state = s;
        continueWith = cont;
        ack.complete(new Started());
      }
      case InitResult.Ignore<S> i -> fail(self, linked, ack, StartException.ignore(), null);
      case InitResult.Stop<S>(ExitReason reason) ->
          fail(self, linked, ack, StartException.failed(reason), reason);
    }
    if (ack.isDone() && ack.join() instanceof Started) {
      loop(self);
    }
  }

  private void register(ProcessCore self, StartOptions options) {
    switch (options.registration()) {
      case StartOptions.Unregistered u -> {}
      case StartOptions.Named(String name) -> {
        try {
          self.kernel().register(name, self);
        } catch (IllegalArgumentException e) {
          Pid holder = self.kernel().whereis(name).orElse(null);
          throw StartException.alreadyStarted(name, holder);
        }
      }
      case StartOptions.Via(Registry registry, Object key) -> {
        try {
          registry.register(self, key, null);
        } catch (IllegalArgumentException e) {
          Pid holder = registry.whereis(key).orElse(null);
          throw StartException.alreadyStarted(String.valueOf(key), holder);
        }
      }
    }
  }

  /** Init did not succeed: release the name, unlink the starter, report, then end. */
  private void fail(
      ProcessCore self,
      boolean linked,
      CompletableFuture<Ack> ack,
      StartException error,
      ExitReason exitWith) {
    if (self.name() != null) {
      self.kernel().unregister(self.name());
    }
    if (linked) {
      self.unlink(parent);
    }
    ack.complete(new Failed(error));
    if (exitWith != null) {
      throw new ExitUnwind(exitWith);
    }
  }

  // ---------------------------------------------------------------- the loop

  @SuppressWarnings("unchecked")
  private void loop(ProcessCore self) throws Exception {
    while (true) {
      Object message = null;
      try {
        if (continueWith != null) {
          Object cont = continueWith;
          continueWith = null;
          apply("handleContinue", server.handleContinue(cont, state));
          continue;
        }
        message = Process.receive();
        switch (message) {
          case CallRequest(Object request, From from) -> call((M) request, from);
          case CastRequest(Object request) ->
              apply("handleCast", server.handleCast((M) request, state));
          case StopRequest(ExitReason reason) -> stop(reason);
          case Exit(Pid from, ExitReason reason) when from == parent -> stop(reason);
          default -> apply("handleInfo", server.handleInfo(message, state));
        }
      } catch (ExitUnwind u) {
        if (!self.isDead()) {
          terminate(u.reason());
        }
        throw u;
      } catch (Exception e) {
        terminate(ExitReason.error(e));
        self.crashContext(
            "last message: "
                + (message == null ? "(continue)" : describe(message))
                + "; state: "
                + abbreviate(String.valueOf(state)));
        throw e;
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500) + "...";
  }

  private static String describe(Object message) {
    return switch (message) {
      case CallRequest(Object request, From from) -> "call " + request + " from " + from;
      case CastRequest(Object request) -> "cast " + request;
      default -> "info " + message;
    };
  }

  private void call(M request, From from) throws Exception {
    CallResult<S> result = server.handleCall(request, from, state);
    switch (result) {
      case null -> throw new IllegalStateException(badReturn("handleCall", null));
      case CallResult.Reply<S>(Object reply, S s, Object cont) -> {
        state = s;
        continueWith = cont;
        from.complete(reply);
      }
      case CallResult.StopReply<S>(ExitReason reason, Object reply, S s) -> {
        state = s;
        terminate(reason);
        from.complete(reply);
        throw new ExitUnwind(reason);
      }
      case Result<S> r -> apply("handleCall", r);
    }
  }

  private void apply(String callback, Result<S> result) {
    switch (result) {
      case null -> throw new IllegalStateException(badReturn(callback, null));
      case Result.NoReply<S>(S s, Object cont) -> {
        state = s;
        continueWith = cont;
      }
      case Result.Stop<S>(ExitReason reason, S s) -> {
        state = s;
        stop(reason);
      }
    }
  }

  private void stop(ExitReason reason) {
    terminate(reason);
    throw new ExitUnwind(reason);
  }

  private void terminate(ExitReason reason) {
    if (terminated) {
      return;
    }
    terminated = true;
    try {
      server.terminate(reason, state);
    } catch (Exception e) {
      LOG.error("{} terminate failed while stopping with {}", server.behaviour(), reason, e);
    }
  }

  private static String badReturn(String callback, Object got) {
    return callback
        + " returned "
        + got
        + "; expected one of: "
        + switch (callback) {
          case "init" -> "InitResult.ok(state), okContinue(state, c), ignore(), stop(reason)";
          case "handleCall" ->
              "CallResult.reply(r, state), replyContinue(r, state, c), stopReply(reason, r, state),"
                  + " Result.noreply(state), noreplyContinue(state, c), stop(reason, state)";
          default -> "Result.noreply(state), noreplyContinue(state, c), stop(reason, state)";
        };
  }

  // ---------------------------------------------------------------- client side

  /** Sends a call and waits for the reply; see {@link GenServer#call}. */
  static Object call(Pid pid, Object request, Duration timeout) {
    ProcessCore target = Kernel.core(pid);
    ProcessCore caller = ProcessCore.current();
    if (caller != null) {
      caller.checkAlive();
      if (caller == target) {
        throw new CallException(ExitReason.of("calling_self"), "call to " + pid);
      }
    }
    From from = new From(caller);
    var watch = target.onExit(from::serverExited);
    try {
      target.deliver(new CallRequest(request, from));
      // The caller's node's time, or the server's for a caller outside any process.
      Kernel time = (caller != null ? caller : target).kernel();
      Object r = from.await(time, time.deadline(Timeouts.nanos(timeout)), caller, pid, request);
      if (r instanceof From.Exited(ExitReason reason)) {
        throw new CallException(reason, "call to " + pid + " with " + request);
      }
      return r;
    } finally {
      target.removeWatcher(watch);
    }
  }
}
