package weft.examples.chat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import weft.dashboard.Dashboard;
import weft.dashboard.DashboardOptions;
import weft.jobs.CronEntry;
import weft.jobs.JobSpec;
import weft.jobs.Jobs;
import weft.jobs.JobsConfig;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.store.Store;
import weft.store.StoreConfig;
import weft.supervisor.Strategy;
import weft.supervisor.Supervisor;
import weft.supervisor.SupervisorOptions;
import weft.web.channel.ConnectResult;
import weft.web.channel.RateLimits;
import weft.web.channel.RateLimits.Rate;
import weft.web.channel.Socket;
import weft.web.http.Endpoint;
import weft.web.http.HttpConfig;
import weft.web.http.HttpError;
import weft.web.http.Response;
import weft.web.http.Router;
import weft.web.http.StaticFiles;
import weft.web.presence.Presence;
import weft.web.presence.PresenceOptions;
import weft.web.pubsub.PubSub;
import weft.web.token.InsecureSecretException;
import weft.web.token.SecretFile;
import weft.web.token.Tokens;

/**
 * The chat application: HTTP API, a Phoenix socket with room and user channels, presence, messages
 * in SQLite, mentions as durable jobs and a retention cron, in one JVM.
 */
public final class ChatApp implements AutoCloseable {

  /**
   * The application's settings.
   *
   * @param port the HTTP port ({@code PORT}, default 4000; 0 picks a free one)
   * @param dataDir where the database and the secret live ({@code WEFT_DATA}, default {@code
   *     ./data})
   * @param retention messages older than this are deleted daily (default 30 days)
   * @param dashboardPassword the dashboard's password ({@code WEFT_DASHBOARD_PASSWORD}); null to
   *     generate one, printed at start
   * @param rateLimits how fast clients may push (default {@link #RATE_LIMITS})
   */
  public record Config(
      int port, Path dataDir, Duration retention, String dashboardPassword, RateLimits rateLimits) {

    /**
     * The settings with the default rate limits.
     *
     * @param port the HTTP port
     * @param dataDir the data directory
     * @param retention how long messages are kept
     * @param dashboardPassword the dashboard's password, or null
     */
    public Config(int port, Path dataDir, Duration retention, String dashboardPassword) {
      this(port, dataDir, retention, dashboardPassword, RATE_LIMITS);
    }

    /**
     * The same settings with other rate limits.
     *
     * @param limits the limits ({@link RateLimits#none()} for none)
     * @return the settings
     */
    public Config withRateLimits(RateLimits limits) {
      return new Config(port, dataDir, retention, dashboardPassword, limits);
    }

    /**
     * From the environment.
     *
     * @return the configuration
     */
    public static Config fromEnvironment() {
      String port = System.getenv().getOrDefault("PORT", "4000");
      String data = System.getenv().getOrDefault("WEFT_DATA", "data");
      try {
        return new Config(
            Integer.parseInt(port),
            Path.of(data),
            Duration.ofDays(30),
            System.getenv("WEFT_DASHBOARD_PASSWORD"));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("PORT must be a number, got " + port, e);
      }
    }
  }

  private static final Duration TOKEN_AGE = Duration.ofDays(7);
  private static final String SALT = "user socket";

  /** The root supervisor's registered name. */
  public static final String ROOT = "chat";

  private final Node node;
  private final Store store;
  private final Jobs jobs;
  private final Endpoint endpoint;
  private final Dashboard dashboard;
  private final Pid root;

  private ChatApp(Config config) throws IOException {
    SecretFile.createPrivateDirectories(config.dataDir());
    String secret = secret(config.dataDir());
    Tokens tokens = new Tokens(secret);
    node = Node.start("chat");
    store =
        Store.open(
            StoreConfig.sqlite(config.dataDir().resolve("chat.db"))
                .withMigrations("classpath:db/chat"));
    PubSub pubsub = PubSub.start("chat");
    Presence presence = Presence.create(pubsub, PresenceOptions.defaults());
    Messages messages = new Messages(store);
    Users users = new Users(store);
    MentionWorker mentions = new MentionWorker(store, pubsub);
    RetentionWorker retention = new RetentionWorker(messages, config.retention());
    jobs =
        Jobs.create(
            store,
            JobsConfig.of("chat", Map.of("mentions", 5, "maintenance", 1))
                .withCron(
                    List.of(
                        new CronEntry("retention", "0 3 * * *", JobSpec.of(retention, Map.of())))),
            List.of(mentions, retention),
            List.of());
    dashboard =
        Dashboard.create(
            pubsub,
            DashboardOptions.of(secret)
                .withPassword(config.dashboardPassword())
                .withRootSupervisor(ROOT)
                .withJobs(jobs));
    Socket socket =
        Socket.builder(
                pubsub,
                (params, info) ->
                    switch (tokens.verify(SALT, params.get("token"), TOKEN_AGE, String.class)) {
                      case Tokens.Valid<String>(String user) ->
                          ConnectResult.ok(Map.of("user", user), "user_socket:" + user);
                      default -> ConnectResult.refuse();
                    })
            .channel("room:*", () -> new RoomChannel(store, messages, presence, jobs, mentions))
            .channel("user:*", () -> new UserChannel(store))
            .rateLimits(config.rateLimits())
            .build();
    Router.Builder routes =
        Router.builder()
            .get("/", req -> page())
            .get("/assets/*path", StaticFiles.resources("weft/chat/static"))
            .get("/js/*path", StaticFiles.resources("weft/js"))
            .get("/health", req -> Response.json(Map.of("status", "ok")))
            .scope(
                "/api",
                api ->
                    api.json()
                        .post("/session", req -> session(tokens, users, req.json(JsonNode.class)))
                        .get(
                            "/rooms/:name/messages",
                            req ->
                                history(
                                    messages,
                                    req.pathParam("name"),
                                    req.query("before").orElse(null),
                                    req.query("limit").orElse("50"))))
            .socket("/socket", socket);
    endpoint =
        Endpoint.create(
            HttpConfig.port(config.port()).withHost("0.0.0.0"),
            dashboard.mount(routes).build(),
            Duration.ofSeconds(10));
    // Started in this order and stopped in the reverse: the endpoint stops taking requests first,
    // the store's keeper goes last. One-for-one: a crash in one part restarts only that part.
    root =
        Supervisor.start(
            node,
            SupervisorOptions.of(Strategy.ONE_FOR_ONE)
                .withIntensity(5, Duration.ofSeconds(10))
                .withName(ROOT),
            List.of(
                store.childSpec(Duration.ofSeconds(5)),
                presence.childSpec(),
                jobs.childSpec(),
                dashboard.childSpec(),
                endpoint.childSpec()));
  }

  private static Response page() throws IOException {
    try (var in = ChatApp.class.getResourceAsStream("/weft/chat/static/index.html")) {
      return Response.bytes(in.readAllBytes(), "text/html; charset=utf-8")
          .withHeader("cache-control", "no-cache");
    }
  }

  /**
   * How fast one client may push: 20 frames a second with bursts of 40 on one connection, and 5
   * messages a second with bursts of 10 for one user over all their connections (typing is sent at
   * most every 2 s by the page). Refused pushes get {@code rate limited}; 50 refusals within 10 s
   * close the connection with 4429.
   */
  static final RateLimits RATE_LIMITS =
      RateLimits.none()
          .perSocket(Rate.of(20, Duration.ofSeconds(1)).withBurst(40))
          .perUser("new_msg", Rate.of(5, Duration.ofSeconds(1)).withBurst(10))
          .perUser("typing", Rate.of(2, Duration.ofSeconds(1)).withBurst(5));

  /**
   * What a sign-in answers.
   *
   * @param token the socket token, valid for 7 days
   * @param user the name
   * @param key the name's key: what a later sign-in under the name must present
   */
  record SessionToken(String token, String user, String key) {}

  /**
   * {@code POST /api/session {"name": ..., "key": ...}}: the first sign-in under a name claims it
   * and answers its key; a later one must send that key, or is refused with 403.
   */
  private static Response session(Tokens tokens, Users users, JsonNode body) {
    JsonNode name = body.isObject() ? body.get("name") : null;
    JsonNode key = body.isObject() ? body.get("key") : null;
    if (name == null || !name.isString() || !Names.valid(name.asString())) {
      throw HttpError.badRequest("name must be a string of 1-32 letters, digits, _ or -");
    }
    if (key != null && !key.isNull() && !key.isString()) {
      throw HttpError.badRequest("key must be a string");
    }
    String n = name.asString();
    return switch (users.signIn(n, key == null || key.isNull() ? null : key.asString())) {
      case Users.Accepted(String k, boolean claimed) ->
          Response.json(new SessionToken(tokens.sign(SALT, n), n, k));
      case Users.Refused r ->
          throw HttpError.forbidden(
              "the name " + n + " is taken: sign in from the browser that took it (its key)");
    };
  }

  private static Response history(Messages messages, String room, String before, String limitText) {
    if (!Names.valid(room)) {
      throw HttpError.badRequest("room must be 1-32 letters, digits, _ or -");
    }
    int limit;
    Long beforeId;
    try {
      limit = Integer.parseInt(limitText);
      beforeId = before == null ? null : Long.parseLong(before);
    } catch (NumberFormatException e) {
      throw HttpError.badRequest("before and limit must be numbers");
    }
    if (limit < 1 || limit > 100) {
      throw HttpError.badRequest("limit must be 1-100");
    }
    return Response.json(Map.of("messages", messages.page(room, beforeId, limit)));
  }

  private static String secret(Path dataDir) throws IOException {
    String env = System.getenv("WEFT_SECRET");
    if (env != null && !env.isEmpty()) {
      if (env.length() < 32) {
        throw new InsecureSecretException(
            "WEFT_SECRET has " + env.length() + " characters; it must have at least 32");
      }
      return env;
    }
    return SecretFile.loadOrCreate(dataDir.resolve("secret.key"));
  }

  /**
   * Starts the application.
   *
   * @param config its settings
   * @return the running application
   * @throws IOException if the data directory cannot be used
   */
  public static ChatApp start(Config config) throws IOException {
    return new ChatApp(config);
  }

  /**
   * The port it listens on.
   *
   * @return the port
   */
  public int port() {
    return endpoint.port();
  }

  /**
   * The dashboard (for its password).
   *
   * @return the dashboard
   */
  public Dashboard dashboard() {
    return dashboard;
  }

  /**
   * The node the application runs on.
   *
   * @return the node
   */
  public Node node() {
    return node;
  }

  /**
   * Stops in reverse start order (requests drain for up to 10 s, running jobs get their grace),
   * then closes the database.
   */
  @Override
  public void close() {
    node.exit(root, ExitReason.SHUTDOWN);
    try {
      node.awaitExit(root, Duration.ofSeconds(60));
    } catch (Exception e) {
      LoggerFactory.getLogger(ChatApp.class).warn("the application did not stop in time");
    }
    node.close();
    store.close();
  }
}
