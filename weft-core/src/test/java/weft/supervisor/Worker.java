package weft.supervisor;

import weft.genserver.CallResult;
import weft.genserver.From;
import weft.genserver.GenServer;
import weft.genserver.InitResult;
import weft.genserver.StartOptions;
import weft.process.ExitReason;
import weft.process.Pid;
import weft.process.Process;

/** A test worker that tells an observer when it starts and stops. */
record Worker(String id, Pid observer, boolean trap) implements GenServer<String, Object> {

  record Started(String id, Pid pid) {}

  record Stopped(String id, ExitReason reason) {}

  static ChildSpec spec(String id, Pid observer) {
    return ChildSpec.worker(id, () -> GenServer.startLink(new Worker(id, observer, true)));
  }

  static Pid startLink(String id, Pid observer) {
    return GenServer.startLink(new Worker(id, observer, true), StartOptions.defaults());
  }

  @Override
  public InitResult<String> init() {
    Process.trapExit(trap);
    Process.send(observer, new Started(id, Process.self()));
    return InitResult.ok(id);
  }

  @Override
  public CallResult<String> handleCall(Object request, From from, String state) {
    return CallResult.reply(state, state);
  }

  @Override
  public void terminate(ExitReason reason, String state) {
    Process.send(observer, new Stopped(id, reason));
  }
}
