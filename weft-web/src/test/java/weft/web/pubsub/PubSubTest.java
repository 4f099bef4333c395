package weft.web.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.process.Down;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.testing.InProcess;

class PubSubTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final Node node = Node.start("pubsub");

  @AfterEach
  void stop() {
    node.close();
  }

  /** A subscriber that forwards what it receives to the test process. */
  private static Pid subscriber(PubSub pubsub, String topic, Pid report) {
    Pid p =
        Process.spawn(() -> {
          pubsub.subscribe(topic);
          Process.send(report, "subscribed");
          while (true) {
            Object m = Process.receive();
            if (m.equals("stop")) {
              return;
            }
            Process.send(report, new Got(Process.self(), m));
          }
        });
    assertThat(Process.receive(String.class, WAIT)).contains("subscribed");
    return p;
  }

  record Got(Pid who, Object message) {}

  @Test
  void broadcastReachesEverySubscriberOfTheTopicOnly() {
    PubSub pubsub = PubSub.start("n1");
    InProcess.run(
        node,
        () -> {
          Pid me = Process.self();
          Pid a = subscriber(pubsub, "room:1", me);
          Pid b = subscriber(pubsub, "room:1", me);
          subscriber(pubsub, "room:2", me);
          pubsub.broadcast("room:1", "hello");
          List<Pid> got =
              List.of(
                  Process.receive(Got.class, WAIT).orElseThrow().who(),
                  Process.receive(Got.class, WAIT).orElseThrow().who());
          assertThat(got).containsExactlyInAnyOrder(a, b);
          assertThat(Process.receive(Got.class, Duration.ofMillis(30))).isEmpty();
          assertThat(pubsub.subscriberCount("room:1")).isEqualTo(2);
          assertThat(pubsub.topics()).containsEntry("room:1", 2).containsEntry("room:2", 1);
        });
  }

  @Test
  void broadcastFromSkipsTheSenderAndSubscriptionsEndWithTheProcess() {
    PubSub pubsub = PubSub.start("n1");
    InProcess.run(
        node,
        () -> {
          Pid me = Process.self();
          Pid a = subscriber(pubsub, "t", me);
          Pid b = subscriber(pubsub, "t", me);
          pubsub.broadcastFrom(a, "t", "x");
          assertThat(Process.receive(Got.class, WAIT).orElseThrow().who()).isEqualTo(b);
          assertThat(Process.receive(Got.class, Duration.ofMillis(30))).isEmpty();
          var ref = Process.monitor(b);
          Process.send(b, "stop");
          Process.receive(Down.class, d -> d.ref() == ref, WAIT).orElseThrow();
          assertThat(pubsub.subscriberCount("t")).isEqualTo(1);
          pubsub.unsubscribe(a, "t");
          assertThat(pubsub.topics()).isEmpty();
        });
  }

  @Test
  void fastlaneDeliversWithoutAMessage() {
    PubSub pubsub = PubSub.start("n1");
    List<String> lane = new CopyOnWriteArrayList<>();
    InProcess.run(
        node,
        () -> {
          pubsub.subscribe(Process.self(), "fast", (topic, m) -> lane.add(topic + ":" + m));
          pubsub.broadcast("fast", "one");
          pubsub.broadcast("fast", "two");
          assertThat(lane).containsExactly("fast:one", "fast:two");
          assertThat(Process.receive(Duration.ZERO)).isEmpty();
        });
  }

  @Test
  void nodesJoinedByABusShareBroadcastsButLocalBroadcastStaysHome() {
    InMemoryBus bus = new InMemoryBus();
    PubSub one = PubSub.start("one", bus.adapter());
    PubSub two = PubSub.start("two", bus.adapter());
    InProcess.run(
        node,
        () -> {
          Pid me = Process.self();
          Pid onOne = subscriber(one, "news", me);
          Pid onTwo = subscriber(two, "news", me);
          one.broadcast("news", "global");
          assertThat(
                  List.of(
                      Process.receive(Got.class, WAIT).orElseThrow().who(),
                      Process.receive(Got.class, WAIT).orElseThrow().who()))
              .containsExactlyInAnyOrder(onOne, onTwo);
          two.localBroadcast("news", "local");
          assertThat(Process.receive(Got.class, WAIT).orElseThrow().who()).isEqualTo(onTwo);
          assertThat(Process.receive(Got.class, Duration.ofMillis(30))).isEmpty();
        });
    one.stop();
    two.stop();
  }
}
