package weft.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import weft.client.ClientChannel;
import weft.client.ClientOptions;
import weft.client.PhoenixClient;
import weft.client.Reply;
import weft.process.ExitReason;
import weft.process.Pid;
import weft.supervisor.ChildInfo;
import weft.supervisor.Supervisor;

/**
 * The chat's supervision tree: each part killed in turn is restarted by the root supervisor, the
 * other parts keep their processes, and the clients go on: connected and joined throughout, except
 * for the endpoint, whose clients reconnect and rejoin by themselves.
 */
class ChatSupervisionTest {

  private static final long WAIT = 10;

  @TempDir Path data;

  private static Map<Object, Pid> children(ChatApp app) {
    Pid root = app.node().whereis(ChatApp.ROOT).orElseThrow();
    Map<Object, Pid> out = new HashMap<>();
    for (ChildInfo c : Supervisor.whichChildren(root)) {
      out.put(c.id(), c.pid().orElseThrow());
    }
    return out;
  }

  /** The socket and channel processes: new pids would mean a reconnect or a rejoin. */
  private static java.util.Set<Pid> sessions(ChatApp app) {
    java.util.Set<Pid> out = new java.util.HashSet<>();
    for (var p : app.node().processes()) {
      String b = p.behaviour().orElse("");
      if (b.equals("Socket") || b.startsWith("Channel(")) {
        out.add(p.pid());
      }
    }
    return out;
  }

  /** The next event of a kind, skipping others. */
  private static JsonNode next(LinkedBlockingQueue<JsonNode> q, String what, String bodyPart)
      throws Exception {
    while (true) {
      JsonNode n = q.poll(WAIT, TimeUnit.SECONDS);
      assertThat(n).as("no " + what + " containing " + bodyPart).isNotNull();
      if (n.path("body").asString("").contains(bodyPart)) {
        return n;
      }
    }
  }

  @Test
  void eachPartIsRestartedAloneAndTheClientsGoOn() throws Exception {
    try (ChatApp app = ChatApp.start(0, data, "supervision-test")) {
      int port = app.port();
      URI socket = URI.create("ws://127.0.0.1:" + port + "/socket");
      AtomicInteger aliceOpens = new AtomicInteger();
      try (PhoenixClient alice =
              PhoenixClient.connect(
                  socket,
                  Map.of("token", ChatClients.token(port, "alice")),
                  ClientOptions.defaults());
          PhoenixClient bob =
              PhoenixClient.connect(
                  socket,
                  Map.of("token", ChatClients.token(port, "bob")),
                  ClientOptions.defaults())) {
        alice.onOpen(aliceOpens::incrementAndGet);
        ClientChannel aliceRoom = alice.channel("room:lobby", Map.of());
        assertThat(aliceRoom.join().get(WAIT, TimeUnit.SECONDS).ok()).isTrue();
        var roomMessages = new LinkedBlockingQueue<JsonNode>();
        var mentions = new LinkedBlockingQueue<JsonNode>();
        ClientChannel bobRoom = bob.channel("room:lobby", Map.of());
        bobRoom.on("new_msg", roomMessages::add);
        ClientChannel bobInbox = bob.channel("user:bob", Map.of());
        bobInbox.on("mention", mentions::add);
        assertThat(bobRoom.join().get(WAIT, TimeUnit.SECONDS).ok()).isTrue();
        assertThat(bobInbox.join().get(WAIT, TimeUnit.SECONDS).ok()).isTrue();

        java.util.Set<Pid> sessions = sessions(app);
        assertThat(sessions).hasSize(5); // two sockets, three channels
        Map<Object, Pid> before = children(app);
        assertThat(before.keySet())
            .containsExactlyInAnyOrder("store", "presence", "jobs", "dashboard", "endpoint");

        for (String part : List.of("store", "presence", "jobs", "dashboard")) {
          Pid victim = before.get(part);
          app.node().exit(victim, ExitReason.KILL);
          app.node().awaitExit(victim, Duration.ofSeconds(WAIT));
          Map<Object, Pid> after = children(app);
          assertThat(after.get(part)).as(part + " restarted").isNotEqualTo(victim);
          for (var e : before.entrySet()) {
            if (!e.getKey().equals(part)) {
              assertThat(after.get(e.getKey()))
                  .as(e.getKey() + " untouched")
                  .isEqualTo(e.getValue());
            }
          }
          before = after;

          String body = "@bob after killing " + part;
          Reply sent = aliceRoom.push("new_msg", Map.of("body", body)).get(WAIT, TimeUnit.SECONDS);
          assertThat(sent.ok()).as(part + ": " + sent).isTrue();
          assertThat(next(roomMessages, "new_msg", body).get("user").asString()).isEqualTo("alice");
          assertThat(next(mentions, "mention", body).get("from").asString()).isEqualTo("alice");
        }
        assertThat(sessions(app))
            .as("no socket dropped and no channel rejoined while the parts restarted")
            .isEqualTo(sessions);
        assertThat(aliceOpens.get()).isEqualTo(1);
        // Presence survived its restart: a newcomer sees alice and bob.
        try (PhoenixClient carol =
            PhoenixClient.connect(
                socket,
                Map.of("token", ChatClients.token(port, "carol")),
                ClientOptions.defaults())) {
          var state = new LinkedBlockingQueue<JsonNode>();
          ClientChannel room = carol.channel("room:lobby", Map.of());
          room.on("presence_state", state::add);
          assertThat(room.join().get(WAIT, TimeUnit.SECONDS).ok()).isTrue();
          JsonNode present = state.poll(WAIT, TimeUnit.SECONDS);
          assertThat(present.propertyNames()).contains("alice", "bob");
        }

        // The endpoint: connections drop, the clients reconnect and rejoin by themselves.
        Pid web = before.get("endpoint");
        app.node().exit(web, ExitReason.KILL);
        app.node().awaitExit(web, Duration.ofSeconds(WAIT));
        assertThat(children(app).get("endpoint")).isNotEqualTo(web);
        assertThat(app.port()).isEqualTo(port);
        alice.opened(2).get(WAIT * 3, TimeUnit.SECONDS);
        aliceRoom.joined(2).get(WAIT * 3, TimeUnit.SECONDS);
        bobRoom.joined(2).get(WAIT * 3, TimeUnit.SECONDS);
        bobInbox.joined(2).get(WAIT * 3, TimeUnit.SECONDS);
        Reply sent =
            aliceRoom.push("new_msg", Map.of("body", "@bob back")).get(WAIT, TimeUnit.SECONDS);
        assertThat(sent.ok()).as(sent.toString()).isTrue();
        next(roomMessages, "new_msg", "@bob back");
        next(mentions, "mention", "@bob back");
      }
    }
  }
}
