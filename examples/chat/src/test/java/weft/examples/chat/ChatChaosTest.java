package weft.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import weft.client.ClientChannel;
import weft.client.ClientOptions;
import weft.client.PhoenixClient;
import weft.client.Reply;
import weft.process.ExitReason;
import weft.process.Pid;
import weft.process.ProcessInfo;
import weft.supervisor.ChildInfo;
import weft.supervisor.Supervisor;

/**
 * Chaos: under steady chat traffic (messages with mentions, joins and leaves of a second room),
 * random processes of the application's tree are killed every 100-500 ms: channel and socket
 * processes, the job queues' runners, the presence tracker, the store's keeper (never the root, and
 * never so often that a supervisor's restart intensity would give up). Afterwards every
 * acknowledged message is stored exactly once and was delivered to every member (live, or in the
 * history a rejoin hands back), every mention job ran, the tree is whole, and no more requests
 * failed than the kills can explain. Figures are printed.
 *
 * <p>{@code -Dchaos.seconds} sets the duration (10 s in {@code verify}; the issue's run is 60),
 * {@code -Dchaos.seed} replays a run.
 */
class ChatChaosTest {

  private static final List<String> USERS = List.of("ann", "ben", "cat", "dan");
  private static final ClientOptions CLIENT =
      new ClientOptions(
          Duration.ofSeconds(30),
          Duration.ofSeconds(3),
          List.of(Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100)),
          List.of(Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100)));

  @TempDir Path data;

  /** One user's client: what it sent, what it was acknowledged, what it saw. */
  private static final class User {
    final String name;
    PhoenixClient client;
    ClientChannel lobby;
    final Set<Long> seen = ConcurrentHashMap.newKeySet();
    final Map<Long, String> acked = new ConcurrentHashMap<>();
    final List<String> failed = new ArrayList<>();

    User(String name) {
      this.name = name;
    }
  }

  @Test
  void killingRandomProcessesUnderTrafficLosesNothing() throws Exception {
    long seed = Long.getLong("chaos.seed", System.nanoTime());
    int seconds = Integer.getInteger("chaos.seconds", 10);
    System.out.printf("chaos: seed %d (-Dchaos.seed=%d), %d s%n", seed, seed, seconds);
    SplittableRandom random = new SplittableRandom(seed);
    try (ChatApp app = ChatApp.start(0, data, "chaos")) {
      Pid root = app.node().whereis(ChatApp.ROOT).orElseThrow();
      Map<Object, Pid> before = children(root);
      List<User> users = new ArrayList<>();
      for (String name : USERS) {
        User u = new User(name);
        String token = ChatClients.token(app.port(), name);
        u.client =
            PhoenixClient.connect(
                URI.create("ws://127.0.0.1:" + app.port() + "/socket"),
                Map.of("token", token),
                CLIENT);
        u.lobby = u.client.channel("room:lobby", Map.of());
        u.lobby.on("new_msg", m -> u.seen.add(m.get("id").asLong()));
        u.lobby.onJoin(r -> r.path("messages").forEach(m -> u.seen.add(m.get("id").asLong())));
        assertThat(u.lobby.join().get(10, TimeUnit.SECONDS).ok()).isTrue();
        ClientChannel inbox = u.client.channel("user:" + name, Map.of());
        assertThat(inbox.join().get(10, TimeUnit.SECONDS).ok()).isTrue();
        users.add(u);
      }

      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger requests = new AtomicInteger();
      List<Thread> traffic = new ArrayList<>();
      for (int i = 0; i < users.size(); i++) {
        User u = users.get(i);
        String next = USERS.get((i + 1) % USERS.size());
        SplittableRandom mine = random.split();
        traffic.add(
            Thread.ofVirtual()
                .start(() -> {
                  int n = 0;
                  while (running.get()) {
                    String body = "m-" + u.name + "-" + n++ + " for @" + next;
                    requests.incrementAndGet();
                    try {
                      Reply r =
                          u.lobby.push("new_msg", Map.of("body", body)).get(10, TimeUnit.SECONDS);
                      if (r.ok()) {
                        u.acked.put(r.response().get("id").asLong(), body);
                      } else {
                        u.failed.add(body + ": " + r);
                      }
                    } catch (Exception e) {
                      u.failed.add(body + ": " + e);
                    }
                    if (mine.nextInt(10) == 0) {
                      // A join and a leave of a second room.
                      ClientChannel side =
                          u.client.channel("room:side" + mine.nextInt(3), Map.of());
                      requests.incrementAndGet();
                      try {
                        side.join().get(10, TimeUnit.SECONDS);
                        side.leave().get(10, TimeUnit.SECONDS);
                      } catch (Exception e) {
                        u.failed.add("side room: " + e);
                      }
                    }
                    sleep(
                        200 + mine.nextInt(200)); // about 3 a second: within the chat's rate limits
                  }
                }));
      }

      // Kills, within each supervisor's restart intensity (root: 5 in 10 s, jobs: 10 in 10 s).
      Map<String, Integer> kills = new HashMap<>();
      Deque<Long> rootKills = new ArrayDeque<>();
      Deque<Long> jobKills = new ArrayDeque<>();
      long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
      while (System.nanoTime() < end) {
        sleep(100 + random.nextInt(400));
        long now = System.nanoTime();
        prune(rootKills, now);
        prune(jobKills, now);
        int pick = random.nextInt(100);
        Pid victim = null;
        String kind;
        if (pick < 15 && rootKills.size() < 3) {
          kind = random.nextBoolean() ? "store" : "presence";
          victim = children(root).get(kind);
          rootKills.add(now);
        } else if (pick < 40 && jobKills.size() < 7) {
          List<Pid> runners = children(children(root).get("jobs")).values().stream().toList();
          victim = runners.isEmpty() ? null : runners.get(random.nextInt(runners.size()));
          kind = "job-runner";
          jobKills.add(now);
        } else {
          List<ProcessInfo> sessions =
              app.node().processes().stream()
                  .filter(p -> {
                    String b = p.behaviour().orElse("");
                    return b.startsWith("Channel(") || b.equals("Socket");
                  })
                  .toList();
          if (sessions.isEmpty()) {
            continue;
          }
          ProcessInfo p = sessions.get(random.nextInt(sessions.size()));
          victim = p.pid();
          kind = p.behaviour().orElseThrow().startsWith("Channel(") ? "channel" : "socket";
        }
        if (victim != null) {
          app.node().exit(victim, ExitReason.KILL);
          kills.merge(kind, 1, Integer::sum);
        }
      }
      running.set(false);
      for (Thread t : traffic) {
        t.join(Duration.ofSeconds(30));
      }

      // Settled: the tree is whole, every client is joined again and sees a last message.
      awaitTreeWhole(root, before);
      for (User u : users) {
        // As a client would: a push that timed out while its channel was coming back is tried
        // again (as a new message).
        Reply last = null;
        for (int attempt = 0; attempt < 5 && (last == null || !last.ok()); attempt++) {
          String body = "last-" + u.name + "-" + attempt;
          last = u.lobby.push("new_msg", Map.of("body", body)).get(20, TimeUnit.SECONDS);
          if (last.ok()) {
            u.acked.put(last.response().get("id").asLong(), body);
          } else {
            u.failed.add(body + ": " + last);
          }
        }
        if (!last.ok()) {
          app.node().processes().stream()
              .filter(p -> p.behaviour().orElse("").matches("Socket|Channel.*"))
              .forEach(p ->
                  System.out.printf(
                      "chaos: stuck? %s %s %s mailbox %d%n",
                      p.pid(), p.behaviour().orElse(""), p.status(), p.mailboxLength()));
        }
        assertThat(last.ok()).as(u.name + ": " + last + "; kills " + kills).isTrue();
      }
      Map<Long, String> acked = new HashMap<>();
      users.forEach(u -> acked.putAll(u.acked));
      for (User u : users) {
        awaitSeen(u, acked.keySet());
      }
      awaitMentionJobsDone();

      int failed = users.stream().mapToInt(u -> u.failed.size()).sum();
      int killed = kills.values().stream().mapToInt(Integer::intValue).sum();
      System.out.printf(
          "chaos: %d kills %s, %d requests, %d failed, %d messages acknowledged%n",
          killed, kills, requests.get(), failed, acked.size());
      try (Connection c = db()) {
        for (var e : acked.entrySet()) {
          assertThat(
                  count(
                      c,
                      "select count(*) from messages where id = ? and body = ?",
                      e.getKey(),
                      e.getValue()))
              .as("acknowledged message %d stored once", e.getKey())
              .isEqualTo(1);
          assertThat(count(c, "select count(*) from messages where body = ?", e.getValue()))
              .as("%s stored once", e.getValue())
              .isEqualTo(1);
        }
        for (User u : users) {
          for (String f : u.failed) {
            String body = f.substring(0, f.indexOf(':'));
            assertThat(count(c, "select count(*) from messages where body = ?", body))
                .as("a failed push is stored at most once: %s", f)
                .isLessThanOrEqualTo(1);
          }
        }
        long lost = 0;
        for (var e : acked.entrySet()) {
          if (e.getValue().startsWith("m-")) {
            String to = e.getValue().substring(e.getValue().indexOf('@') + 1);
            lost +=
                1
                    - count(
                        c,
                        "select count(*) from notifications where user_name = ? and message_id = ?",
                        to,
                        e.getKey());
          }
        }
        System.out.printf("chaos: %d acknowledged messages lost, %d mentions lost%n", 0, lost);
        assertThat(lost).as("every mention job ran").isZero();
      }
      // A request fails only when a kill took the process serving it: at most one in flight per
      // user per kill.
      assertThat(failed).isLessThanOrEqualTo(killed * USERS.size());
      users.forEach(u -> u.client.close());
    }
  }

  private static void prune(Deque<Long> times, long now) {
    while (!times.isEmpty() && now - times.peekFirst() > Duration.ofSeconds(11).toNanos()) {
      times.pollFirst();
    }
  }

  private static Map<Object, Pid> children(Pid supervisor) {
    Map<Object, Pid> out = new HashMap<>();
    for (ChildInfo c : Supervisor.whichChildren(supervisor)) {
      c.pid().ifPresent(p -> out.put(c.id(), p));
    }
    return out;
  }

  private static void awaitTreeWhole(Pid root, Map<Object, Pid> before) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (children(root).keySet().size() < before.size()) {
      assertThat(System.nanoTime()).as("the tree is whole again").isLessThan(deadline);
      sleep(20);
    }
    assertThat(children(root).keySet()).isEqualTo(before.keySet());
  }

  private static void awaitSeen(User u, Set<Long> ids) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!u.seen.containsAll(ids) && System.nanoTime() < deadline) {
      sleep(20);
    }
    Set<Long> missing = new java.util.TreeSet<>(ids);
    missing.removeAll(u.seen);
    assertThat(missing).as("acknowledged messages %s never reached", u.name).isEmpty();
  }

  private void awaitMentionJobsDone() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try (Connection c = db()) {
        if (count(
                c,
                "select count(*) from weft_jobs where worker = 'mention' and state <> 'completed'")
            == 0) {
          return;
        }
      }
      assertThat(System.nanoTime()).as("mention jobs done").isLessThan(deadline);
      sleep(50);
    }
  }

  private Connection db() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + data.resolve("chat.db"));
  }

  private static long count(Connection c, String sql, Object... args) throws Exception {
    try (var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
