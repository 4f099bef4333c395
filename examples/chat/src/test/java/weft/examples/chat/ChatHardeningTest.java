package weft.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import weft.client.ClientChannel;
import weft.client.ClientOptions;
import weft.client.PhoenixClient;
import weft.client.Reply;

/**
 * The chat as the attacker of the hardening issue tried it, over real HTTP and WebSocket: names
 * belong to whoever took them, mentions reach only users and only a few per message, the body of a
 * mention is stored once and goes with its message, bodies are strings counted in characters, and
 * one user cannot fill the database.
 */
class ChatHardeningTest {

  private static final long WAIT = 10;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path data;
  private ChatApp app;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<PhoenixClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    app = ChatApp.start(0, data, "hardening-test");
  }

  @AfterEach
  void stop() {
    clients.forEach(PhoenixClient::close);
    http.close();
    app.close();
  }

  private HttpResponse<String> signIn(String body, String contentType) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/session"))
            .header("content-type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode session(String name) throws Exception {
    HttpResponse<String> r = signIn("{\"name\":\"" + name + "\"}", "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private ClientChannel join(
      String name, String topic, Map<String, LinkedBlockingQueue<JsonNode>> on) throws Exception {
    PhoenixClient c =
        PhoenixClient.connect(
            URI.create("ws://127.0.0.1:" + app.port() + "/socket"),
            Map.of("token", session(name).get("token").asString()),
            ClientOptions.defaults());
    clients.add(c);
    ClientChannel ch = c.channel(topic, Map.of());
    on.forEach((event, q) -> ch.on(event, q::add));
    assertThat(ch.join().get(WAIT, TimeUnit.SECONDS).ok()).isTrue();
    return ch;
  }

  private long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("chat.db"));
        var rs = c.createStatement().executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  @Test
  void aNameBelongsToWhoeverTookItFirst() throws Exception {
    JsonNode first = session("victim");
    String key = first.get("key").asString();
    assertThat(key).hasSizeGreaterThanOrEqualTo(40);
    HttpResponse<String> again = signIn("{\"name\":\"victim\"}", "application/json");
    assertThat(again.statusCode()).isEqualTo(403);
    assertThat(again.body()).contains("the name victim is taken");
    assertThat(signIn("{\"name\":\"victim\",\"key\":\"guess\"}", "application/json").statusCode())
        .isEqualTo(403);
    HttpResponse<String> owner =
        signIn("{\"name\":\"victim\",\"key\":\"" + key + "\"}", "application/json");
    assertThat(owner.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(owner.body()).get("user").asString()).isEqualTo("victim");
    assertThat(count("select count(*) from users where key_hash like '%" + key + "%'"))
        .as("only the key's hash is stored")
        .isZero();
  }

  @Test
  void signInRefusesWhatIsNotAStringNameAndWhatIsNotJson() throws Exception {
    for (String bad : List.of("12345", "true", "1e999999", "{\"a\":1}", "null")) {
      HttpResponse<String> r = signIn("{\"name\":" + bad + "}", "application/json");
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(r.body()).as(bad).doesNotContain("weft.", "$Session", "java.");
    }
    assertThat(signIn("{\"name\":\"ann\"}", "text/plain").statusCode()).isEqualTo(415);
  }

  @Test
  void mentionsReachOnlyUsersAFewPerMessageAndGoWithTheirMessage() throws Exception {
    var mentions = new LinkedBlockingQueue<JsonNode>();
    join("bob", "user:bob", Map.of("mention", mentions));
    List<String> users = IntStream.range(0, 12).mapToObj(i -> "u" + i).toList();
    for (String u : users) {
      session(u);
    }
    ClientChannel room = join("alice", "room:lobby", Map.of());
    // As the attack: many short distinct names back to back (@0a@0b...), nobody's.
    String ghosts =
        IntStream.range(0, 600)
            .mapToObj(i -> "@" + Integer.toString(36 * 36 + i, 36).substring(1))
            .collect(Collectors.joining());
    Reply r = room.push("new_msg", Map.of("body", "@bob " + ghosts)).get(WAIT, TimeUnit.SECONDS);
    assertThat(r.ok()).as(r.toString()).isTrue();
    JsonNode m = mentions.poll(WAIT, TimeUnit.SECONDS);
    assertThat(m).isNotNull();
    assertThat(m.get("from").asString()).isEqualTo("alice");
    assertThat(m.get("body").asString()).startsWith("@bob @00@01");
    assertThat(count("select count(*) from weft_jobs where worker = 'mention'"))
        .as("one job: the other names belong to nobody")
        .isEqualTo(1);

    String many = users.stream().map(u -> "@" + u).collect(Collectors.joining(" "));
    assertThat(room.push("new_msg", Map.of("body", many)).get(WAIT, TimeUnit.SECONDS).ok())
        .isTrue();
    assertThat(count("select count(*) from weft_jobs where worker = 'mention'"))
        .as("the first ten mentioned users")
        .isEqualTo(1 + RoomChannel.MAX_MENTIONS);
    assertThat(count("select count(*) from weft_jobs where worker = 'mention' and args like '%@%'"))
        .as("jobs hold the message's id, not its body")
        .isZero();

    assertThat(count("select count(*) from notifications where user_name = 'bob'")).isEqualTo(1);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("chat.db"))) {
      c.createStatement().execute("pragma foreign_keys = on");
      c.createStatement().execute("delete from messages where body like '@bob%'");
    }
    assertThat(count("select count(*) from notifications where user_name = 'bob'"))
        .as("a notification goes with its message")
        .isZero();
  }

  @Test
  void bodiesAreStringsCountedInCharacters() throws Exception {
    ClientChannel room = join("emoji", "room:lobby", Map.of());
    Reply number = room.push("new_msg", Map.of("body", 12345)).get(WAIT, TimeUnit.SECONDS);
    assertThat(number.ok()).isFalse();
    assertThat(number.response().get("reason").asString()).isEqualTo("body must be a string");
    String smiles = "\uD83D\uDE00".repeat(1500); // 1500 characters, 3000 UTF-16 units
    assertThat(room.push("new_msg", Map.of("body", smiles)).get(WAIT, TimeUnit.SECONDS).ok())
        .isTrue();
    Reply tooLong =
        room.push("new_msg", Map.of("body", "x".repeat(RoomChannel.MAX_BODY + 1)))
            .get(WAIT, TimeUnit.SECONDS);
    assertThat(tooLong.ok()).isFalse();
  }

  @Test
  void oneUserPushingAsFastAsTheyCanStoresOnlyWhatTheLimitAllows() throws Exception {
    ClientChannel room = join("flood", "room:lobby", Map.of());
    long started = System.nanoTime();
    List<CompletableFuture<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      replies.add(room.push("new_msg", Map.of("body", "flood " + i)));
    }
    int ok = 0;
    int limited = 0;
    for (var f : replies) {
      Reply r = f.get(WAIT, TimeUnit.SECONDS);
      if (r.ok()) {
        ok++;
      } else {
        assertThat(r.response().get("reason").asString()).isEqualTo("rate limited");
        limited++;
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    // A burst of 10, then 5 a second: however slow this machine, no more than that got through.
    assertThat(ok).isBetween(10, 10 + (int) Math.ceil(seconds * 5) + 1);
    assertThat(ok + limited).isEqualTo(45);
    assertThat(count("select count(*) from messages where user_name = 'flood'")).isEqualTo(ok);
  }
}
