package weft.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import weft.testing.Seeds;

/**
 * Concurrent senders and a receiver that picks messages with random patterns: nothing is lost or
 * duplicated, and messages from one sender that a pattern accepts arrive in the order sent, as in
 * Erlang. Senders run as processes and as outside threads, while CPU-bound processes keep the
 * scheduler preempting.
 */
class MailboxOrderPropertyTest {

  record Msg(int sender, int seq) {}

  @Test
  void selectiveReceiveKeepsEachSendersOrderAndLosesNothing() {
    Seeds.forEach(
        0x3a11_b0c5L,
        15,
        random -> {
          try (Node node = Node.start("mailbox")) {
            int senders = 1 + random.nextInt(6);
            int perSender = 1 + random.nextInt(1000);
            int hogs = random.nextInt(5);
            List<Pid> hogPids = new ArrayList<>();
            for (int h = 0; h < hogs; h++) {
              hogPids.add(node.spawn(MailboxOrderPropertyTest::spin));
            }
            long patternSeed = random.nextLong();
            List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            Pid receiver =
                node.spawn(() -> {
                  java.util.Random r = new java.util.Random(patternSeed);
                  Map<Integer, Integer> next = new HashMap<>();
                  int total = senders * perSender;
                  int got = 0;
                  while (got < total) {
                    int wanted = r.nextInt(senders + 2);
                    Object m;
                    if (wanted >= senders) {
                      m = Process.receive(Msg.class, Duration.ofSeconds(30)).orElse(null);
                    } else {
                      // Only this sender's messages, if there are any now; others stay in order.
                      m =
                          Process.receive(
                                  Msg.class, x -> x.sender() == wanted, Duration.ofMillis(1))
                              .orElse(null);
                      if (m == null) {
                        continue;
                      }
                    }
                    if (m == null) {
                      problems.add("lost messages: got " + got + " of " + total);
                      break;
                    }
                    Msg msg = (Msg) m;
                    int expected = next.getOrDefault(msg.sender(), 0);
                    if (msg.seq() != expected) {
                      problems.add(
                          "sender " + msg.sender() + ": " + msg.seq() + " for " + expected);
                    }
                    next.put(msg.sender(), msg.seq() + 1);
                    got++;
                  }
                  if (Process.receive(Msg.class, Duration.ZERO).isPresent()) {
                    problems.add("a message more than was sent");
                  }
                  done.countDown();
                });
            for (int s = 0; s < senders; s++) {
              int sender = s;
              Runnable send =
                  () -> {
                    for (int i = 0; i < perSender; i++) {
                      Process.send(receiver, new Msg(sender, i));
                    }
                  };
              if (random.nextBoolean()) {
                node.spawn(send::run);
              } else {
                Thread.ofPlatform().start(send);
              }
            }
            try {
              assertThat(done.await(60, TimeUnit.SECONDS)).as("the receiver finished").isTrue();
            } catch (InterruptedException e) {
              throw new AssertionError(e);
            }
            hogPids.forEach(p -> node.exit(p, ExitReason.KILL));
            assertThat(problems).isEmpty();
          }
        });
  }

  static volatile long sink;

  static void spin() {
    long n = 1;
    while (true) {
      n = n * 6364136223846793005L + 1;
      if (n == 0) {
        sink = n;
      }
    }
  }
}
