package weft.genserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.process.Down;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.registry.Registry;
import weft.testing.InProcess;

class GenServerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final Node node = Node.start("gs");

  @AfterEach
  void stop() {
    node.close();
  }

  sealed interface Msg {
    record Add(int n) implements Msg {}

    record Get() implements Msg {}

    record Crash() implements Msg {}

    record Later() implements Msg {}

    record Slow(Duration d) implements Msg {}

    record StopWith(ExitReason r) implements Msg {}
  }

  /** A counter; records terminate calls in a shared list for the test to see. */
  static final class Counter implements GenServer<Integer, Msg> {
    final List<String> log;
    final boolean trap;
    final int start;

    Counter(List<String> log) {
      this(log, false, 0);
    }

    Counter(List<String> log, boolean trap, int start) {
      this.log = log;
      this.trap = trap;
      this.start = start;
    }

    @Override
    public InitResult<Integer> init() {
      Process.trapExit(trap);
      return InitResult.ok(start);
    }

    @Override
    public CallResult<Integer> handleCall(Msg msg, From from, Integer n) {
      return switch (msg) {
        case Msg.Add(int k) -> CallResult.reply(n + k, n + k);
        case Msg.Get() -> CallResult.reply(n, n);
        case Msg.Crash() -> throw new IllegalStateException("crash on purpose");
        case Msg.Later() -> {
          Process.spawn(() -> GenServer.reply(from, "from elsewhere"));
          yield Result.noreply(n);
        }
        case Msg.Slow(Duration d) -> {
          Process.sleep(d);
          yield CallResult.reply("slow", n);
        }
        case Msg.StopWith(ExitReason r) -> CallResult.stopReply(r, "bye", n);
      };
    }

    @Override
    public Result<Integer> handleCast(Msg msg, Integer n) {
      return msg instanceof Msg.Add(int k) ? Result.noreply(n + k) : Result.noreply(n);
    }

    @Override
    public Result<Integer> handleInfo(Object message, Integer n) {
      return message instanceof Integer k ? Result.noreply(n + k) : Result.noreply(n);
    }

    @Override
    public void terminate(ExitReason reason, Integer n) {
      log.add("terminate " + reason + " at " + n);
    }
  }

  private final List<String> log = new CopyOnWriteArrayList<>();

  @Test
  void callsCastsAndInfoAreHandledInOrder() {
    Pid pid = GenServer.start(node, new Counter(log), StartOptions.defaults());
    GenServer.cast(pid, new Msg.Add(2));
    node.send(pid, 5);
    assertThat((Integer) GenServer.call(pid, new Msg.Add(1))).isEqualTo(8);
    assertThat((Integer) GenServer.call(pid, new Msg.Get(), WAIT)).isEqualTo(8);
  }

  @Test
  void namedServerIsAddressedByNameAndNameIsUnique() {
    Pid pid = GenServer.start(node, new Counter(log), StartOptions.named("counter"));
    assertThat((Integer) GenServer.call(node.named("counter"), new Msg.Add(3))).isEqualTo(3);
    assertThatThrownBy(() -> GenServer.start(node, new Counter(log), StartOptions.named("counter")))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.alreadyStartedPid()).contains(pid));
  }

  @Test
  void serverRegisteredViaRegistryIsFoundByKey() {
    Registry registry = Registry.unique();
    Pid pid = GenServer.start(node, new Counter(log), StartOptions.via(registry, "c1"));
    assertThat(registry.whereis("c1")).contains(pid);
    assertThat((Integer) GenServer.call(registry.via("c1"), new Msg.Add(4))).isEqualTo(4);
    GenServer.stop(registry.via("c1"));
    assertThat(registry.whereis("c1")).isEmpty();
  }

  @Test
  void callToADeadServerFailsWithNoproc() throws Exception {
    Pid pid = GenServer.start(node, new Counter(log), StartOptions.defaults());
    GenServer.stop(pid);
    assertThatThrownBy(() -> GenServer.call(pid, new Msg.Get()))
        .isInstanceOfSatisfying(
            CallException.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.NOPROC));
    assertThatThrownBy(() -> GenServer.call(node.named("nobody"), new Msg.Get()))
        .isInstanceOfSatisfying(
            CallException.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.NOPROC));
  }

  @Test
  void timedOutCallsLateReplyNeverReachesTheCallersMailbox() {
    Pid pid = GenServer.start(node, new Counter(log), StartOptions.defaults());
    InProcess.run(
        node,
        () -> {
          assertThatThrownBy(() ->
                  GenServer.call(pid, new Msg.Slow(Duration.ofMillis(200)), Duration.ofMillis(10)))
              .isInstanceOfSatisfying(
                  CallException.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.TIMEOUT));
          // The next call returns after the slow one was handled, so its reply was produced.
          assertThat((Integer) GenServer.call(pid, new Msg.Get(), WAIT)).isZero();
          assertThat(Process.receive(Duration.ZERO)).isEmpty();
        });
  }

  @Test
  void replyCanComeLaterFromAnotherProcess() {
    Pid pid = GenServer.start(node, new Counter(log), StartOptions.defaults());
    assertThat((String) GenServer.call(pid, new Msg.Later(), WAIT)).isEqualTo("from elsewhere");
  }

  @Test
  void crashingCallbackRunsTerminateAndFailsTheCallerWithTheReason() throws Exception {
    Pid pid = GenServer.start(node, new Counter(log), StartOptions.defaults());
    assertThatThrownBy(() -> GenServer.call(pid, new Msg.Crash(), WAIT))
        .isInstanceOfSatisfying(
            CallException.class, e -> assertThat(e.reason()).isInstanceOf(ExitReason.Error.class));
    assertThat(node.awaitExit(pid, WAIT)).isInstanceOf(ExitReason.Error.class);
    assertThat(log).singleElement().asString().startsWith("terminate error");
  }

  @Test
  void stopReplyRunsTerminateThenReplies() throws Exception {
    Pid pid = GenServer.start(node, new Counter(log), StartOptions.defaults());
    assertThat((String) GenServer.call(pid, new Msg.StopWith(ExitReason.NORMAL))).isEqualTo("bye");
    assertThat(log).containsExactly("terminate normal at 0");
    assertThat(node.awaitExit(pid, WAIT)).isEqualTo(ExitReason.NORMAL);
  }

  @Test
  void stopRunsTerminateWithTheReason() throws Exception {
    Pid pid = GenServer.start(node, new Counter(log), StartOptions.defaults());
    GenServer.stop(pid, ExitReason.SHUTDOWN, WAIT);
    assertThat(log).containsExactly("terminate shutdown at 0");
    assertThat(node.isAlive(pid)).isFalse();
  }

  @Test
  void initStopFailsStartAndReleasesTheName() {
    GenServer<Integer, Msg> failing = () -> InitResult.stop(ExitReason.of("no_db"));
    assertThatThrownBy(() -> GenServer.start(node, failing, StartOptions.named("db")))
        .isInstanceOfSatisfying(
            StartException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ExitReason.of("no_db"));
              assertThat(e.ignored()).isFalse();
            });
    assertThat(node.whereis("db")).isEmpty();
  }

  @Test
  void initIgnoreIsReportedAsIgnored() {
    GenServer<Integer, Msg> ignoring = InitResult::ignore;
    assertThatThrownBy(() -> GenServer.start(node, ignoring, StartOptions.defaults()))
        .isInstanceOfSatisfying(StartException.class, e -> assertThat(e.ignored()).isTrue());
  }

  @Test
  void initThatThrowsFailsStartWithTheError() {
    GenServer<Integer, Msg> throwing =
        () -> {
          throw new IllegalArgumentException("bad config");
        };
    assertThatThrownBy(() -> GenServer.start(node, throwing, StartOptions.defaults()))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.reason()).isInstanceOf(ExitReason.Error.class));
  }

  @Test
  @org.junit.jupiter.api.Timeout(30)
  void initThatThrowsAnErrorFailsStartInsteadOfHangingTheStarter() {
    // A class that cannot load during init (seen: a supervisor waited for ever for its child).
    GenServer<Integer, Msg> broken =
        () -> {
          throw new NoClassDefFoundError("io/netty/channel/EventLoopGroup");
        };
    assertThatThrownBy(() -> GenServer.start(node, broken, StartOptions.defaults()))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.reason()).isInstanceOf(ExitReason.Error.class));
    InProcess.run(
        node,
        () -> {
          Process.trapExit(true);
          assertThatThrownBy(() -> GenServer.startLink(broken)).isInstanceOf(StartException.class);
        });
  }

  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aServerKilledDuringInitFailsItsStart() throws Exception {
    java.util.concurrent.CountDownLatch inInit = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<Pid> self =
        new java.util.concurrent.atomic.AtomicReference<>();
    GenServer<Integer, Msg> stuck =
        () -> {
          self.set(Process.self());
          inInit.countDown();
          // Blocked outside any receive: only the start guard can tell the starter.
          never.await();
          return InitResult.ok(0);
        };
    Thread killer =
        Thread.ofPlatform()
            .start(() -> {
              try {
                inInit.await();
              } catch (InterruptedException e) {
                return;
              }
              node.exit(self.get(), ExitReason.KILL);
            });
    assertThatThrownBy(() -> GenServer.start(node, stuck, StartOptions.defaults()))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.KILLED));
    never.countDown();
    killer.join();
  }

  @Test
  void failedStartLinkDoesNotKillTheStarter() {
    InProcess.run(
        node,
        () -> {
          GenServer<Integer, Msg> failing = () -> InitResult.stop(ExitReason.of("nope"));
          assertThatThrownBy(() -> GenServer.startLink(failing)).isInstanceOf(StartException.class);
          assertThat(Process.isAlive(Process.self())).isTrue();
        });
  }

  @Test
  void initTimeoutKillsTheServer() {
    GenServer<Integer, Msg> slow =
        () -> {
          Process.sleep(Duration.ofHours(1));
          return InitResult.ok(0);
        };
    assertThatThrownBy(() ->
            GenServer.start(
                node, slow, StartOptions.named("slow").withTimeout(Duration.ofMillis(20))))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.TIMEOUT));
  }

  record Step(String name) {}

  @Test
  void continueRunsBeforeTheNextMessage() {
    GenServer<List<String>, Msg> server =
        new GenServer<>() {
          @Override
          public InitResult<List<String>> init() {
            return InitResult.okContinue(List.of("init"), new Step("load"));
          }

          @Override
          public Result<List<String>> handleContinue(Object c, List<String> s) {
            return Result.noreply(
                java.util.stream.Stream.concat(
                        s.stream(), java.util.stream.Stream.of(((Step) c).name()))
                    .toList());
          }

          @Override
          public CallResult<List<String>> handleCall(Msg msg, From from, List<String> s) {
            return CallResult.reply(s, s);
          }
        };
    Pid pid = GenServer.start(node, server, StartOptions.defaults());
    List<String> steps = GenServer.call(pid, new Msg.Get());
    assertThat(steps).containsExactly("init", "load");
  }

  @Test
  void trappingServerRunsTerminateWhenItsParentExits() {
    InProcess.run(
        node,
        () -> {
          Pid test = Process.self();
          Pid parent =
              Process.spawn(() -> {
                Process.send(test, GenServer.startLink(new Counter(log, true, 7)));
                Process.receive(String.class);
                throw Process.exit(ExitReason.SHUTDOWN);
              });
          Pid child = Process.receive(Pid.class);
          var ref = Process.monitor(child);
          Process.send(parent, "go");
          assertThat(Process.receive(Down.class, d -> d.ref() == ref, WAIT))
              .map(Down::reason)
              .contains(ExitReason.SHUTDOWN);
          assertThat(log).containsExactly("terminate shutdown at 7");
        });
  }

  @Test
  void nonTrappingServerIsKilledWithItsParentWithoutTerminate() {
    InProcess.run(
        node,
        () -> {
          Pid test = Process.self();
          Pid parent =
              Process.spawn(() -> {
                Process.send(test, GenServer.startLink(new Counter(log)));
                Process.receive(String.class);
                throw Process.exit(ExitReason.of("boom"));
              });
          var ref = Process.monitor(parent);
          Pid child = Process.receive(Pid.class);
          var childRef = Process.monitor(child);
          Process.send(parent, "go");
          assertThat(Process.receive(Down.class, d -> d.ref() == childRef, WAIT))
              .map(Down::reason)
              .contains(ExitReason.of("boom"));
          assertThat(Process.receive(Down.class, d -> d.ref() == ref, WAIT)).isPresent();
          assertThat(log).isEmpty();
        });
  }
}
