package weft.examples.quickstart;

import weft.genserver.CallResult;
import weft.genserver.From;
import weft.genserver.GenServer;
import weft.genserver.InitResult;
import weft.genserver.Result;
import weft.process.Process;

/**
 * A cook: a GenServer whose state is how many pancakes it has made. It takes orders as calls and
 * can be told to burn the kitchen down, which crashes it; its supervisor starts a fresh cook.
 */
public final class Cook implements GenServer<Integer, Cook.Request> {

  /** What a cook understands: a sealed type, so the switch below is checked to be complete. */
  public sealed interface Request {
    /** Cook one pancake and reply with it. */
    record Order() implements Request {}

    /** Crash the cook (a cast: nobody waits for the answer). */
    record CatchFire() implements Request {}
  }

  @Override
  public InitResult<Integer> init() {
    System.out.println("cook " + Process.self() + " is at the stove");
    return InitResult.ok(0);
  }

  @Override
  public CallResult<Integer> handleCall(Request request, From from, Integer cooked) {
    return switch (request) {
      case Request.Order() -> CallResult.reply(new Pancake(cooked + 1, true), cooked + 1);
      case Request.CatchFire() -> CallResult.reply("not now", cooked);
    };
  }

  @Override
  public Result<Integer> handleCast(Request request, Integer cooked) {
    return switch (request) {
      case Request.CatchFire() -> throw new IllegalStateException("the pan caught fire");
      case Request.Order() -> Result.noreply(cooked);
    };
  }
}
