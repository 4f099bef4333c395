package weft.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import weft.genserver.CallResult;
import weft.genserver.From;
import weft.genserver.GenServer;
import weft.genserver.InitResult;
import weft.genserver.Result;
import weft.genserver.StartOptions;
import weft.process.Address;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;

/**
 * A process that holds a value, as Elixir's {@code Agent}: the functions passed to {@link #get},
 * {@link #update} and {@link #getAndUpdate} run inside the agent's process, one at a time, so the
 * state needs no lock.
 *
 * {@snippet :
 * Agent<Map<String, Integer>> counts = Agent.start(node, Map::of, StartOptions.named("counts"));
 * counts.update(m -> increment(m, "alice"));
 * int alice = counts.get(m -> m.getOrDefault("alice", 0));
 * }
 *
 * <p>Calls wait at most the given timeout (5 seconds by default) and fail with {@link
 * weft.genserver.CallException} on timeout or when the agent is not alive. A function that throws
 * crashes the agent, like any GenServer callback.
 *
 * @param <S> the state; should be immutable
 */
public final class Agent<S> {

  /**
   * What {@link #getAndUpdate} functions return.
   *
   * @param <R> what the caller gets
   * @param <S> the state
   * @param reply what the caller gets
   * @param state the new state
   */
  public record Change<R, S>(R reply, S state) {}

  private sealed interface Op<S> {}

  private record Get<S>(Function<S, ?> fn) implements Op<S> {}

  private record GetAndUpdate<S>(Function<S, Change<?, S>> fn) implements Op<S> {}

  private record Update<S>(UnaryOperator<S> fn) implements Op<S> {}

  private record Server<S>(Supplier<S> initial) implements GenServer<S, Op<S>> {
    @Override
    public InitResult<S> init() {
      return InitResult.ok(initial.get());
    }

    @Override
    public CallResult<S> handleCall(Op<S> op, From from, S state) {
      return switch (op) {
        case Get<S>(var fn) -> CallResult.reply(fn.apply(state), state);
        case GetAndUpdate<S>(var fn) -> {
          Change<?, S> change =
              Objects.requireNonNull(fn.apply(state), "getAndUpdate returned null");
          yield CallResult.reply(change.reply(), change.state());
        }
        case Update<S>(var fn) -> CallResult.reply("ok", fn.apply(state));
      };
    }

    @Override
    public Result<S> handleCast(Op<S> op, S state) {
      return op instanceof Update<S>(var fn)
          ? Result.noreply(fn.apply(state))
          : Result.noreply(state);
    }

    @Override
    public String behaviour() {
      return "Agent";
    }
  }

  private final Address address;

  private Agent(Address address) {
    this.address = address;
  }

  /**
   * Starts an agent from outside any process.
   *
   * @param <S> the state
   * @param node the node
   * @param initial computes the initial state, in the agent's process
   * @param options name and start timeout
   * @return the agent
   */
  public static <S> Agent<S> start(Node node, Supplier<S> initial, StartOptions options) {
    Pid pid = GenServer.start(node, new Server<>(initial), options);
    return of(address(pid, options));
  }

  /**
   * Starts an agent linked to the calling process.
   *
   * @param <S> the state
   * @param initial computes the initial state, in the agent's process
   * @param options name and start timeout
   * @return the agent
   */
  public static <S> Agent<S> startLink(Supplier<S> initial, StartOptions options) {
    Pid pid = GenServer.startLink(new Server<>(initial), options);
    return of(address(pid, options));
  }

  /** How the agent is addressed: by the name or key it was registered under, else its pid. */
  private static weft.process.Address address(Pid pid, StartOptions options) {
    return switch (options.registration()) {
      case StartOptions.Unregistered u -> pid;
      case StartOptions.Named(String name) -> pid.node().named(name);
      case StartOptions.Via(weft.registry.Registry registry, Object key) -> registry.via(key);
    };
  }

  /**
   * A handle on an agent started elsewhere (by name, for example).
   *
   * @param <S> the state
   * @param address the agent
   * @return the handle
   */
  public static <S> Agent<S> of(Address address) {
    return new Agent<>(Objects.requireNonNull(address, "address"));
  }

  /**
   * The agent's address.
   *
   * @return the address
   */
  public Address address() {
    return address;
  }

  /**
   * Reads from the state.
   *
   * @param <R> what is read
   * @param fn runs in the agent with the state
   * @param timeout how long to wait
   * @return what {@code fn} returned
   */
  public <R> R get(Function<S, R> fn, Duration timeout) {
    return GenServer.call(address, new Get<>(fn), timeout);
  }

  /**
   * {@link #get(Function, Duration)} with the 5-second default.
   *
   * @param <R> what is read
   * @param fn runs in the agent with the state
   * @return what {@code fn} returned
   */
  public <R> R get(Function<S, R> fn) {
    return get(fn, GenServer.DEFAULT_CALL_TIMEOUT);
  }

  /**
   * Replaces the state and waits until done.
   *
   * @param fn computes the new state
   * @param timeout how long to wait
   */
  public void update(UnaryOperator<S> fn, Duration timeout) {
    GenServer.call(address, new Update<>(fn), timeout);
  }

  /**
   * {@link #update(UnaryOperator, Duration)} with the 5-second default.
   *
   * @param fn computes the new state
   */
  public void update(UnaryOperator<S> fn) {
    update(fn, GenServer.DEFAULT_CALL_TIMEOUT);
  }

  /**
   * Replaces the state without waiting.
   *
   * @param fn computes the new state
   */
  public void cast(UnaryOperator<S> fn) {
    GenServer.cast(address, new Update<>(fn));
  }

  /**
   * Reads and replaces the state in one step.
   *
   * @param <R> what is read
   * @param fn returns what the caller gets and the new state
   * @param timeout how long to wait
   * @return the reply part of the change
   */
  @SuppressWarnings("unchecked")
  public <R> R getAndUpdate(Function<S, Change<R, S>> fn, Duration timeout) {
    Function<S, Change<?, S>> widened = s -> fn.apply(s);
    return (R) GenServer.call(address, new GetAndUpdate<>(widened), timeout);
  }

  /**
   * Stops the agent with {@code normal}, waiting until it has ended.
   *
   * @param timeout how long to wait
   */
  public void stop(Duration timeout) {
    GenServer.stop(address, ExitReason.NORMAL, timeout);
  }
}
