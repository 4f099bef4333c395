package weft.genserver;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import weft.process.Pid;

/**
 * Where the reply to one call goes. Passed to {@link GenServer#handleCall}; keep it to reply later,
 * from any process or thread, with {@link GenServer#reply(From, Object)}. Only the first reply
 * counts; a reply after the caller has timed out is discarded.
 */
public final class From {

  private final CompletableFuture<Object> reply;
  private final Pid caller;

  From(CompletableFuture<Object> reply, Pid caller) {
    this.reply = reply;
    this.caller = caller;
  }

  /**
   * The calling process, when the call came from one.
   *
   * @return the caller, or empty for a call from a thread that is not a process
   */
  public Optional<Pid> caller() {
    return Optional.ofNullable(caller);
  }

  boolean complete(Object value) {
    return reply.complete(value);
  }

  @Override
  public String toString() {
    return "From[" + (caller == null ? "outside" : caller) + "]";
  }
}
