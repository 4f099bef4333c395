package weft.examples.quickstart;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import weft.genserver.GenServer;
import weft.genserver.StartOptions;
import weft.process.Down;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.supervisor.ChildInfo;
import weft.supervisor.ChildSpec;
import weft.supervisor.Strategy;
import weft.supervisor.Supervisor;
import weft.supervisor.SupervisorOptions;

/**
 * The quick-start story: a supervised cook serves pancakes to a customer process, crashes, is
 * restarted by its supervisor, and serves again.
 */
public final class Kitchen {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private Kitchen() {}

  /**
   * Runs the story on a node, telling what happens on {@code out}.
   *
   * @param node the node
   * @param out where to tell the story
   */
  public static void run(Node node, PrintStream out) throws Exception {
    Pid kitchen =
        Supervisor.start(
            node,
            SupervisorOptions.of(Strategy.ONE_FOR_ONE).withName("kitchen"),
            List.of(
                ChildSpec.worker(
                    "cook", () -> GenServer.startLink(new Cook(), StartOptions.named("cook")))));
    out.println("kitchen supervisor " + kitchen + " started " + children(kitchen));

    Pid customer =
        node.spawn(() -> {
          order(out, 2);

          Pid cook = Process.node().whereis("cook").orElseThrow();
          var ref = Process.monitor(cook);
          out.println("customer: the cook catches fire!");
          GenServer.cast(cook, new Cook.Request.CatchFire());
          Down down = Process.receive(Down.class, d -> d.ref() == ref, WAIT).orElseThrow();
          out.println("customer: cook " + down.pid() + " went down: " + down.reason());

          // The supervisor saw the crash before this call reached it: the new cook is up.
          out.println(
              "kitchen now has " + children(Process.node().whereis("kitchen").orElseThrow()));
          order(out, 1);
        });
    node.awaitExit(customer, Duration.ofSeconds(30));
    out.println("customer is full; closing the kitchen");
  }

  private static void order(PrintStream out, int count) {
    for (int i = 0; i < count; i++) {
      Pancake p = GenServer.call(Process.node().named("cook"), new Cook.Request.Order(), WAIT);
      out.println("customer got " + p);
    }
  }

  private static String children(Pid supervisor) {
    return Supervisor.whichChildren(supervisor).stream()
        .map(ChildInfo::toString)
        .reduce((a, b) -> a + ", " + b)
        .orElse("no children");
  }
}
