package weft.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import weft.client.ClientChannel;
import weft.client.ClientOptions;
import weft.client.PhoenixClient;

/**
 * Soak: the chat under steady load with connection churn for {@code -Dsoak.minutes} minutes (the
 * documented run is 10): 20 connected users each sending a message with a mention about twice a
 * second, and every second one of them disconnects and another connects and joins. Each minute it
 * prints heap after GC, RSS, threads and open files of the JVM (server and clients); at the end
 * they must be flat: no more than the first minute's plus a margin. Skipped unless {@code
 * soak.minutes} is set (it is not part of {@code verify}).
 */
class ChatSoakTest {

  private static final int USERS = 20;

  @TempDir Path data;

  record Reading(int minute, long heapMb, long rssMb, int threads, long files, long messages) {}

  @Test
  void resourcesStayFlatUnderChurn() throws Exception {
    int minutes = Integer.getInteger("soak.minutes", 0);
    assumeTrue(minutes > 0, "soak.minutes is not set: skipping the soak (-Dsoak.minutes=10)");
    SplittableRandom random = new SplittableRandom(42);
    try (ChatApp app = ChatApp.start(0, data, "soak")) {
      List<PhoenixClient> clients = new ArrayList<>();
      List<ClientChannel> rooms = new ArrayList<>();
      for (int i = 0; i < USERS; i++) {
        connect(app, "u" + i, clients, rooms);
      }
      AtomicLong sent = new AtomicLong();
      AtomicInteger churned = new AtomicInteger();
      List<Reading> readings = new ArrayList<>();
      long start = System.nanoTime();
      long nextReading = start + TimeUnit.MINUTES.toNanos(1);
      int generation = USERS;
      while (readings.size() < minutes) {
        for (int i = 0; i < rooms.size(); i++) {
          String to = "u" + random.nextInt(USERS);
          rooms
              .get(i)
              .push("new_msg", Map.of("body", "soak " + sent.incrementAndGet() + " @" + to));
        }
        // Churn: one user leaves, a new one signs in, connects and joins.
        int gone = random.nextInt(clients.size());
        clients.remove(gone).close();
        rooms.remove(gone);
        connect(app, "n" + generation++, clients, rooms);
        churned.incrementAndGet();
        Thread.sleep(500);
        if (System.nanoTime() >= nextReading) {
          readings.add(read(readings.size() + 1, sent.get()));
          Reading r = readings.getLast();
          System.out.printf(
              "soak: minute %d: heap after GC %d MB, RSS %d MB, %d threads, %d open files,"
                  + " %d messages sent, %d connections churned%n",
              r.minute(),
              r.heapMb(),
              r.rssMb(),
              r.threads(),
              r.files(),
              r.messages(),
              churned.get());
          nextReading += TimeUnit.MINUTES.toNanos(1);
        }
      }
      clients.forEach(PhoenixClient::close);
      Reading first = readings.getFirst();
      Reading last = readings.getLast();
      assertThat(last.heapMb())
          .as("heap after GC")
          .isLessThanOrEqualTo(first.heapMb() * 3 / 2 + 32);
      assertThat(last.threads()).as("threads").isLessThanOrEqualTo(first.threads() + 16);
      assertThat(last.files()).as("open files").isLessThanOrEqualTo(first.files() + 64);
    }
  }

  private static void connect(
      ChatApp app, String name, List<PhoenixClient> clients, List<ClientChannel> rooms)
      throws Exception {
    String token = ChatClients.token(app.port(), name);
    PhoenixClient c =
        PhoenixClient.connect(
            URI.create("ws://127.0.0.1:" + app.port() + "/socket"),
            Map.of("token", token),
            ClientOptions.defaults());
    ClientChannel room = c.channel("room:soak", Map.of());
    room.join().get(10, TimeUnit.SECONDS);
    c.channel("user:" + name, Map.of()).join().get(10, TimeUnit.SECONDS);
    clients.add(c);
    rooms.add(room);
  }

  private static Reading read(int minute, long messages) throws Exception {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    long rss = 0;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("\\D", "")) >> 10;
      }
    }
    long files;
    try (var s = Files.list(Path.of("/proc/self/fd"))) {
      files = s.count();
    }
    return new Reading(
        minute, heap, rss, ManagementFactory.getThreadMXBean().getThreadCount(), files, messages);
  }
}
