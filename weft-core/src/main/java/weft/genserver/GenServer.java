package weft.genserver;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.LoggerFactory;
import weft.process.Address;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.internal.Kernel;
import weft.process.internal.ProcessCore;

/**
 * A generic server, as OTP's {@code gen_server}: a process that holds a state and handles calls,
 * casts and other messages one at a time, through callbacks.
 *
 * <table>
 *   <caption>What drives each callback</caption>
 *   <tr><th>client side</th><th>callback</th></tr>
 *   <tr><td>{@link #start}, {@link #startLink}</td><td>{@link #init()}</td></tr>
 *   <tr><td>{@link #call(Address, Object, Duration)}</td><td>{@link #handleCall}</td></tr>
 *   <tr><td>{@link #cast(Address, Object)}</td><td>{@link #handleCast}</td></tr>
 *   <tr><td>{@code Process.send}, timers, {@code Down}, {@code Exit}</td><td>{@link
 *       #handleInfo}</td></tr>
 *   <tr><td>a result with {@code continueWith}</td><td>{@link #handleContinue}</td></tr>
 *   <tr><td>{@link #stop}, a {@code Stop} result, a crash, the parent's exit</td><td>{@link
 *       #terminate}</td></tr>
 * </table>
 *
 * {@snippet :
 * sealed interface Msg {
 *   record Push(int value) implements Msg {}
 *   record Pop() implements Msg {}
 * }
 *
 * final class Stack implements GenServer<List<Integer>, Msg> {
 *   public InitResult<List<Integer>> init() {
 *     return InitResult.ok(List.of());
 *   }
 *
 *   public CallResult<List<Integer>> handleCall(Msg msg, From from, List<Integer> s) {
 *     return switch (msg) {
 *       case Msg.Pop() when s.isEmpty() -> CallResult.reply(null, s);
 *       case Msg.Pop() -> CallResult.reply(s.getFirst(), s.subList(1, s.size()));
 *       case Msg.Push p -> CallResult.reply("ok", Stream.concat(Stream.of(p.value()), s.stream()).toList());
 *     };
 *   }
 * }
 *
 * Pid stack = GenServer.start(node, new Stack(), StartOptions.named("stack"));
 * GenServer.call(stack, new Msg.Push(1), Duration.ofSeconds(5));
 * }
 *
 * <h2>Failure</h2>
 *
 * A callback that throws ends the server with {@link ExitReason.Error}: {@link #terminate} runs, a
 * crash report is logged once, linked processes receive the exit and pending callers get a {@link
 * CallException} with that reason. A server that does not {@linkplain
 * weft.process.Process#trapExit(boolean) trap exits} is killed by its parent's exit signal without
 * {@code terminate}; one that traps exits runs {@code terminate} when its parent (the process that
 * started it) sends an exit, and ends with the same reason.
 *
 * <h2>Threads</h2>
 *
 * Callbacks run on the server's own process, one at a time, so the state needs no locks. The state
 * should still be immutable: it may be read by {@code terminate} after a crash.
 *
 * @param <S> the state
 * @param <M> the type of call and cast requests
 */
public interface GenServer<S, M> {

  /** OTP's default call timeout: 5 seconds. */
  Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Initialises the server, on its own process, before {@link #start} returns.
   *
   * @return ok with the initial state, ignore, or stop
   * @throws Exception the start fails with {@link ExitReason.Error}
   */
  InitResult<S> init() throws Exception;

  /**
   * Handles a call. The default crashes the server, as OTP does for an unexpected call.
   *
   * @param request the request
   * @param from where the reply goes, for {@link #reply(From, Object)}
   * @param state the current state
   * @return reply, noreply or stop
   * @throws Exception the server crashes
   */
  default CallResult<S> handleCall(M request, From from, S state) throws Exception {
    throw new UnsupportedOperationException(
        getClass().getName() + " received a call it does not handle: " + request);
  }

  /**
   * Handles a cast. The default crashes the server.
   *
   * @param request the request
   * @param state the current state
   * @return noreply or stop
   * @throws Exception the server crashes
   */
  default Result<S> handleCast(M request, S state) throws Exception {
    throw new UnsupportedOperationException(
        getClass().getName() + " received a cast it does not handle: " + request);
  }

  /**
   * Handles any other message. The default logs it and goes on, as Elixir's does.
   *
   * @param message the message
   * @param state the current state
   * @return noreply or stop
   * @throws Exception the server crashes
   */
  default Result<S> handleInfo(Object message, S state) throws Exception {
    LoggerFactory.getLogger(getClass()).warn("{} received unexpected message {}", this, message);
    return Result.noreply(state);
  }

  /**
   * Continues work asked for by a result's {@code continueWith}, before the next message.
   *
   * @param continueWith the value given
   * @param state the current state
   * @return noreply or stop
   * @throws Exception the server crashes
   */
  default Result<S> handleContinue(Object continueWith, S state) throws Exception {
    throw new UnsupportedOperationException(
        getClass().getName() + " asked to continue but does not implement handleContinue");
  }

  /**
   * Cleans up before the server ends (see the class documentation for when it runs). Exceptions are
   * logged and otherwise ignored.
   *
   * @param reason why the server ends
   * @param state the last state
   * @throws Exception logged
   */
  default void terminate(ExitReason reason, S state) throws Exception {}

  /**
   * The label shown for this server in process info and crash reports.
   *
   * @return by default {@code GenServer(ClassName)}
   */
  default String behaviour() {
    return "GenServer(" + getClass().getSimpleName() + ")";
  }

  // ---------------------------------------------------------------- client API

  /**
   * Starts a server from outside any process (not linked), and waits for its {@code init}.
   *
   * @param <S> the state
   * @param <M> the requests
   * @param node the node to run on
   * @param server the callbacks
   * @param options name and start timeout
   * @return the server's pid
   * @throws StartException if init returned stop or ignore, threw, timed out, or the name was taken
   */
  static <S, M> Pid start(Node node, GenServer<S, M> server, StartOptions options) {
    return ServerLoop.start(node, Objects.requireNonNull(server, "server"), options);
  }

  /**
   * Starts a server from inside a process, not linked, and waits for its {@code init}.
   *
   * @param <S> the state
   * @param <M> the requests
   * @param server the callbacks
   * @param options name and start timeout
   * @return the server's pid
   * @throws StartException if it did not start
   * @throws IllegalStateException outside a process
   */
  static <S, M> Pid start(GenServer<S, M> server, StartOptions options) {
    return ServerLoop.start(Objects.requireNonNull(server, "server"), options, false);
  }

  /**
   * Starts a server linked to the calling process, and waits for its {@code init}. This is what a
   * supervisor's child spec calls. If init fails the link is removed first, so the caller gets the
   * {@link StartException} rather than an exit signal.
   *
   * @param <S> the state
   * @param <M> the requests
   * @param server the callbacks
   * @param options name and start timeout
   * @return the server's pid
   * @throws StartException if it did not start
   * @throws IllegalStateException outside a process
   */
  static <S, M> Pid startLink(GenServer<S, M> server, StartOptions options) {
    return ServerLoop.start(Objects.requireNonNull(server, "server"), options, true);
  }

  /**
   * {@link #startLink(GenServer, StartOptions)} with no name and no start timeout.
   *
   * @param <S> the state
   * @param <M> the requests
   * @param server the callbacks
   * @return the server's pid
   */
  static <S, M> Pid startLink(GenServer<S, M> server) {
    return startLink(server, StartOptions.defaults());
  }

  /**
   * Calls a server and waits for the reply. May be called from any thread.
   *
   * @param <R> the reply type expected; a wrong guess fails with {@link ClassCastException} at the
   *     caller
   * @param server the server
   * @param request the request
   * @param timeout how long to wait; when it runs out the call fails and any later reply is
   *     discarded (it never reaches the caller's mailbox)
   * @return the reply
   * @throws CallException with {@code noproc} if no such server, {@code timeout} if no reply in
   *     time, or the server's exit reason if it ended before replying
   */
  @SuppressWarnings("unchecked")
  static <R> R call(Address server, Object request, Duration timeout) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(timeout, "timeout");
    Optional<Pid> pid = server.resolve();
    if (pid.isEmpty()) {
      throw new CallException(ExitReason.NOPROC, "call to " + server + " with " + request);
    }
    return (R) ServerLoop.call(pid.get(), request, timeout);
  }

  /**
   * {@link #call(Address, Object, Duration)} with the default timeout of 5 seconds.
   *
   * @param <R> the reply type
   * @param server the server
   * @param request the request
   * @return the reply
   */
  static <R> R call(Address server, Object request) {
    return call(server, request, DEFAULT_CALL_TIMEOUT);
  }

  /**
   * Sends a request without waiting. Never fails: a cast to a server that does not exist is
   * dropped.
   *
   * @param server the server
   * @param request the request
   */
  static void cast(Address server, Object request) {
    Objects.requireNonNull(request, "request");
    server
        .resolve()
        .ifPresent(pid -> Kernel.core(pid).deliver(new ServerLoop.CastRequest(request)));
  }

  /**
   * Replies to a call whose {@code handleCall} returned noreply. Only the first reply counts; a
   * reply to a caller that has timed out is discarded.
   *
   * @param from the caller
   * @param reply the reply
   * @return whether this reply was the one delivered
   */
  static boolean reply(From from, Object reply) {
    return from.complete(reply);
  }

  /**
   * Stops a server: it runs {@link #terminate} with the reason and ends. Waits until it has ended.
   *
   * @param server the server
   * @param reason the reason
   * @param timeout how long to wait; then the server is killed
   * @throws CallException with {@code noproc} if no such server, {@code timeout} if it had to be
   *     killed
   */
  static void stop(Address server, ExitReason reason, Duration timeout) {
    Pid pid =
        server.resolve().orElseThrow(() -> new CallException(ExitReason.NOPROC, "stop " + server));
    ProcessCore p = Kernel.core(pid);
    if (p.isDead()) {
      throw new CallException(ExitReason.NOPROC, "stop " + server);
    }
    p.deliver(new ServerLoop.StopRequest(Objects.requireNonNull(reason, "reason")));
    try {
      p.node().awaitExit(pid, timeout);
    } catch (TimeoutException e) {
      p.exitSignal(p.kernel().outside(), ExitReason.KILL, false);
      throw new CallException(ExitReason.TIMEOUT, "stop " + server);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CallException(ExitReason.SHUTDOWN, "interrupted while stopping " + server);
    }
  }

  /**
   * Stops a server with {@code normal}, waiting for ever, as OTP's {@code stop/1}.
   *
   * @param server the server
   */
  static void stop(Address server) {
    stop(server, ExitReason.NORMAL, StartOptions.INFINITE);
  }
}
