package weft.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import weft.client.ClientChannel;
import weft.client.ClientOptions;
import weft.client.PhoenixClient;
import weft.client.Reply;
import weft.jobs.Job;
import weft.jobs.JobResult;
import weft.jobs.JobSpec;
import weft.jobs.JobState;
import weft.jobs.Jobs;
import weft.jobs.JobsConfig;
import weft.jobs.Worker;
import weft.process.Node;
import weft.store.Store;
import weft.store.StoreConfig;
import weft.supervisor.Strategy;
import weft.supervisor.Supervisor;
import weft.supervisor.SupervisorOptions;
import weft.web.http.Endpoint;
import weft.web.http.HttpConfig;
import weft.web.http.Router;
import weft.web.pubsub.PubSub;

/** The dashboard over HTTP and its channel, driven by Weft's own Phoenix client. */
class DashboardTest {

  private static final String SECRET = "a-test-secret-that-is-long-enough-1234567890";
  private static final String PASSWORD = "s3cret password";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private final Node node = Node.start("dash");
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private Store store;
  private Jobs jobs;
  private Endpoint endpoint;
  private PhoenixClient client;

  static final class Later implements Worker {
    @Override
    public JobResult perform(Job job) {
      return JobResult.ok();
    }
  }

  @BeforeEach
  void start() {
    store = Store.open(StoreConfig.sqlite(dir.resolve("dash.db")));
    PubSub pubsub = PubSub.start("dash");
    jobs =
        Jobs.create(
            store, JobsConfig.of("dash", Map.of("default", 2)), List.of(new Later()), List.of());
    Dashboard dashboard =
        Dashboard.create(
            pubsub,
            DashboardOptions.of(SECRET)
                .withPassword(PASSWORD)
                .withRootSupervisor("app")
                .withJobs(jobs)
                .withInterval(Duration.ofMillis(100)));
    endpoint =
        Endpoint.create(
            HttpConfig.port(0), dashboard.mount(Router.builder()).build(), Duration.ofSeconds(1));
    Supervisor.start(
        node,
        SupervisorOptions.of(Strategy.ONE_FOR_ONE).withName("app"),
        List.of(jobs.childSpec(), dashboard.childSpec(), endpoint.childSpec()));
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    http.shutdownNow();
    node.close();
    store.close();
  }

  private String base() {
    return "http://127.0.0.1:" + endpoint.port();
  }

  private HttpResponse<String> get(String path, String cookie) throws Exception {
    var b = HttpRequest.newBuilder(URI.create(base() + path));
    if (cookie != null) {
      b.header("cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> login(String password) throws Exception {
    String form = "password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + "/dashboard/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Signs in and returns the page's socket token. */
  private String signIn() throws Exception {
    HttpResponse<String> ok = login(PASSWORD);
    assertThat(ok.statusCode()).isIn(302, 303);
    String cookie = ok.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
    HttpResponse<String> page = get("/dashboard", cookie);
    assertThat(page.statusCode()).isEqualTo(200);
    Matcher m = Pattern.compile("name=\"socket-token\" content=\"([^\"]+)\"").matcher(page.body());
    assertThat(m.find()).as(page.body()).isTrue();
    return m.group(1);
  }

  private ClientChannel join(String token, LinkedBlockingQueue<JsonNode> samples) throws Exception {
    client =
        PhoenixClient.connect(
            URI.create("ws://127.0.0.1:" + endpoint.port() + "/dashboard/socket"),
            Map.of("token", token),
            ClientOptions.defaults());
    ClientChannel channel = client.channel("dashboard:live", Map.of());
    channel.on("sample", live -> samples.add(live.get("sample")));
    Reply reply = channel.join().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(reply.ok()).as(reply.toString()).isTrue();
    samples.add(reply.response().get("sample"));
    return channel;
  }

  /** The next sample whose tree shows every child running. */
  private static JsonNode fullSample(LinkedBlockingQueue<JsonNode> samples) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      JsonNode s = samples.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertThat(s).as("no sample with the whole tree running").isNotNull();
      if (!s.isNull()
          && s.at("/tree/children").size() == 3
          && s.at("/tree/children").valueStream().allMatch(c -> c.path("pid").isString())) {
        return s;
      }
    }
  }

  @Test
  void neverServedWithoutThePassword() throws Exception {
    HttpResponse<String> page = get("/dashboard", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("name=\"password\"").doesNotContain("socket-token");
    assertThat(login("wrong").statusCode()).isEqualTo(401);
    assertThat(get("/dashboard", "weft_dashboard=forged").body()).doesNotContain("socket-token");
    // Phoenix's long-poll answers a refused connect with {"status": 403} in the body.
    assertThat(get("/dashboard/socket/longpoll?vsn=2.0.0&token=forged", null).body())
        .contains("\"status\":403");
    assertThat(signIn()).isNotBlank();
  }

  @Test
  void theSessionCookieIsSecureBehindAnHttpsProxy() throws Exception {
    String plain = login(PASSWORD).headers().firstValue("set-cookie").orElseThrow();
    assertThat(plain.toLowerCase(java.util.Locale.ROOT))
        .contains("httponly")
        .doesNotContain("secure");
    HttpResponse<String> proxied =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/dashboard/login"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("x-forwarded-proto", "https")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(
            proxied
                .headers()
                .firstValue("set-cookie")
                .orElseThrow()
                .toLowerCase(java.util.Locale.ROOT))
        .contains("secure");
  }

  private HttpResponse<String> post(String path, String cookie, String... headers)
      throws Exception {
    var b =
        HttpRequest.newBuilder(URI.create(base() + path))
            .header("content-type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)));
    if (cookie != null) {
      b.header("cookie", cookie);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void signingOutEndsTheSessionOnTheServerAndDisconnectsItsSockets() throws Exception {
    HttpResponse<String> ok = login(PASSWORD);
    String cookie = ok.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
    HttpResponse<String> page = get("/dashboard", cookie);
    Matcher m = Pattern.compile("name=\"socket-token\" content=\"([^\"]+)\"").matcher(page.body());
    assertThat(m.find()).isTrue();
    var samples = new LinkedBlockingQueue<JsonNode>();
    join(m.group(1), samples);
    var closed = new java.util.concurrent.CompletableFuture<Void>();
    client.onClose(() -> closed.complete(null));

    HttpResponse<String> out = post("/dashboard/logout", cookie, "origin", base());
    assertThat(out.statusCode()).isIn(302, 303);
    assertThat(get("/dashboard", cookie).body())
        .as("the old cookie no longer signs in")
        .contains("name=\"password\"")
        .doesNotContain("socket-token");
    closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(get("/dashboard/socket/longpoll?vsn=2.0.0&token=" + m.group(1), null).body())
        .as("the session's socket token is refused")
        .contains("\"status\":403");
    assertThat(signIn()).as("a new sign-in works").isNotBlank();
  }

  @Test
  void signInAndSignOutRefuseCrossSiteRequests() throws Exception {
    assertThat(post("/dashboard/login", null, "origin", "http://evil.example").statusCode())
        .isEqualTo(403);
    assertThat(post("/dashboard/login", null, "sec-fetch-site", "cross-site").statusCode())
        .isEqualTo(403);
    assertThat(post("/dashboard/login", null, "origin", "null").statusCode()).isEqualTo(403);
    HttpResponse<String> same =
        post("/dashboard/login", null, "origin", base(), "sec-fetch-site", "same-origin");
    assertThat(same.statusCode()).isIn(302, 303);
    String cookie = same.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
    assertThat(post("/dashboard/logout", cookie, "origin", "http://evil.example").statusCode())
        .isEqualTo(403);
    assertThat(get("/dashboard", cookie).body())
        .as("a refused sign-out leaves the session")
        .contains("socket-token");
  }

  @Test
  void tenWrongPasswordsLockTheAddressOut() throws Exception {
    for (int i = 0; i < 10; i++) {
      assertThat(login("guess " + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> locked = login(PASSWORD);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.headers().firstValue("set-cookie")).isEmpty();
  }

  @Test
  void samplesShowTheNodeTheTreeAndTheJobsLive() throws Exception {
    var samples = new LinkedBlockingQueue<JsonNode>();
    join(signIn(), samples);
    JsonNode first = fullSample(samples);
    assertThat(first.at("/node/name").asString()).isEqualTo("dash");
    assertThat(first.at("/node/carriers").asInt()).isPositive();
    assertThat(first.at("/node/scheduler").asString()).isEqualTo("PREEMPTIVE");
    assertThat(first.at("/node/longSchedules").isNumber()).isTrue();
    assertThat(first.at("/processes/count").asInt()).isPositive();
    assertThat(first.at("/processes/longSchedules").isArray()).isTrue();
    assertThat(first.at("/processes/oldest/0/preemptions").isNumber()).isTrue();
    assertThat(first.at("/tree/id").asString()).isEqualTo("app");
    List<String> children =
        first.at("/tree/children").valueStream().map(c -> c.get("id").asString()).toList();
    assertThat(children).containsExactly("jobs", "dashboard", "endpoint");
    assertThat(first.at("/tree/children/0/children/0/id").asString()).isEqualTo("queue:default");
    assertThat(first.at("/jobs/queues/0/queue").asString()).isEqualTo("default");
    // Samples keep coming: one taken after the first arrives (the join reply and the pushes
    // may reach the queue in either order, so older ones are skipped).
    JsonNode next;
    do {
      next = samples.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(next).as("no later sample pushed").isNotNull();
    } while (next.isNull() || next.at("/at").asLong() <= first.at("/at").asLong());
    assertThat(next.at("/sockets/topics/0/topic").asString()).isEqualTo("dashboard:live");
  }

  @Test
  void killingAChildIsAuditedAndItsSupervisorRestartsIt() throws Exception {
    var samples = new LinkedBlockingQueue<JsonNode>();
    ClientChannel channel = join(signIn(), samples);
    JsonNode full = fullSample(samples);
    String rootPid = full.at("/tree/pid").asString();
    Reply refused = channel.push("kill", Map.of("pid", rootPid)).get(10, TimeUnit.SECONDS);
    assertThat(refused.ok()).isFalse();
    assertThat(refused.response().get("reason").asString()).contains("root supervisor");
    Reply unknown = channel.push("kill", Map.of("pid", "<9.999>")).get(10, TimeUnit.SECONDS);
    assertThat(unknown.ok()).isFalse();

    String jobsPid = full.at("/tree/children/0/pid").asString();
    var audit =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("weft.dashboard.audit");
    var log = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    log.start();
    audit.addAppender(log);
    Reply killed = channel.push("kill", Map.of("pid", jobsPid)).get(10, TimeUnit.SECONDS);
    assertThat(killed.ok()).as(killed.toString()).isTrue();
    long deadline = System.nanoTime() + WAIT.toNanos();
    String now = jobsPid;
    while (now.equals(jobsPid) || now.isEmpty()) {
      JsonNode s = samples.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertThat(s).as("the jobs supervisor never came back").isNotNull();
      now = s.at("/tree/children/0/pid").asString("");
    }
    assertThat(now).startsWith("<").isNotEqualTo(jobsPid);
    audit.detachAppender(log);
    assertThat(log.list)
        .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
        .anyMatch(m -> m.contains("killed process " + jobsPid) && m.contains("127.0.0.1"));
  }

  @Test
  void jobsCanBeCancelledAndRetried() throws Exception {
    long id = jobs.insert(JobSpec.of(new Later(), Map.of()).scheduleIn(Duration.ofHours(1)));
    ClientChannel channel = join(signIn(), new LinkedBlockingQueue<>());
    Reply cancelled = channel.push("cancel", Map.of("id", id)).get(10, TimeUnit.SECONDS);
    assertThat(cancelled.ok()).as(cancelled.toString()).isTrue();
    assertThat(jobs.job(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
    Reply again = channel.push("cancel", Map.of("id", id)).get(10, TimeUnit.SECONDS);
    assertThat(again.ok()).isFalse();
    Reply retried = channel.push("retry", Map.of("id", id)).get(10, TimeUnit.SECONDS);
    assertThat(retried.ok()).as(retried.toString()).isTrue();
    assertThat(jobs.job(id).orElseThrow().state())
        .isIn(JobState.AVAILABLE, JobState.EXECUTING, JobState.COMPLETED);
    Reply bad = channel.push("retry", Map.of("id", "nope")).get(10, TimeUnit.SECONDS);
    assertThat(bad.ok()).isFalse();
  }

  @Test
  void optionsAreChecked() {
    assertThatThrownBy(() -> DashboardOptions.of("short")).hasMessageContaining("32");
    assertThatThrownBy(() -> DashboardOptions.of(SECRET).withPassword(" "))
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> DashboardOptions.of(SECRET).withInterval(Duration.ofSeconds(2)))
        .hasMessageContaining("1 s");
  }
}
