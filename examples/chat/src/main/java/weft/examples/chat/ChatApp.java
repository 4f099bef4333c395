package weft.examples.chat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import weft.application.Application;
import weft.application.Assembly;
import weft.application.Config;
import weft.application.Running;
import weft.application.Setting;
import weft.dashboard.Dashboard;
import weft.dashboard.DashboardOptions;
import weft.jobs.CronEntry;
import weft.jobs.JobSpec;
import weft.jobs.Jobs;
import weft.jobs.JobsConfig;
import weft.process.Node;
import weft.store.Store;
import weft.store.StoreConfig;
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
 * in SQLite, mentions as durable jobs and a retention cron, in one JVM: one {@link Application},
 * one supervision tree.
 */
public final class ChatApp implements Application, AutoCloseable {

  // The settings ({@code --help} lists them): file names, then environment variables.
  static final Setting<Integer> PORT =
      Setting.integer("http.port", 4000, 0, 65535).withEnv("PORT").describedAs("the HTTP port");
  static final Setting<Path> DATA =
      Setting.path("data.dir", Path.of("data"))
          .withEnv("WEFT_DATA")
          .describedAs("where the database and the secret live");
  static final Setting<Duration> RETENTION =
      Setting.duration("messages.retention", Duration.ofDays(30))
          .describedAs("how long messages are kept");
  static final Setting<Optional<String>> DASHBOARD_PASSWORD =
      Setting.optional("dashboard.password")
          .describedAs("the dashboard's password (generated and printed when absent)");
  static final Setting<Optional<String>> SECRET =
      Setting.optional("secret")
          .describedAs("signs session tokens, 32+ characters (kept in data.dir when absent)");

  private static final Duration TOKEN_AGE = Duration.ofDays(7);
  private static final String SALT = "user socket";

  /** The application's name: its node's and its root supervisor's registered name. */
  public static final String ROOT = "chat";

  private final RateLimits rateLimits;
  private Endpoint endpoint;
  private Dashboard dashboard;
  private Running running;

  private ChatApp(RateLimits rateLimits) {
    this.rateLimits = rateLimits;
  }

  @Override
  public String name() {
    return ROOT;
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(PORT, DATA, RETENTION, DASHBOARD_PASSWORD, SECRET);
  }

  /*
   * Started in this order and stopped in the reverse: the store's keeper first, the endpoint last
   * (so it stops taking requests first). One-for-one: a crash in one part restarts only that part.
   */
  @Override
  public void build(Config config, Assembly app) throws IOException {
    Path data = config.get(DATA);
    SecretFile.createPrivateDirectories(data);
    String secret = secret(config.get(SECRET), data);
    Tokens tokens = new Tokens(secret);
    Store store =
        app.closeAfterStop(
            Store.open(
                StoreConfig.sqlite(data.resolve("chat.db")).withMigrations("classpath:db/chat")));
    PubSub pubsub = PubSub.start("chat");
    Presence presence = Presence.create(pubsub, PresenceOptions.defaults());
    Messages messages = new Messages(store);
    Users users = new Users(store);
    MentionWorker mentions = new MentionWorker(store, pubsub);
    RetentionWorker retention = new RetentionWorker(messages, config.get(RETENTION));
    Jobs jobs =
        Jobs.create(
            store,
            JobsConfig.of("chat", Map.of("mentions", 5, "maintenance", 1))
                .withCron(
                    List.of(
                        new CronEntry("retention", "0 3 * * *", JobSpec.of(retention, Map.of())))),
            List.of(mentions, retention),
            List.of());
    DashboardOptions shown = DashboardOptions.of(secret).withRootSupervisor(ROOT).withJobs(jobs);
    dashboard =
        Dashboard.create(
            pubsub, config.get(DASHBOARD_PASSWORD).map(shown::withPassword).orElse(shown));
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
            .rateLimits(rateLimits)
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
            HttpConfig.port(config.get(PORT)).withHost("0.0.0.0"),
            dashboard.mount(routes).build(),
            Duration.ofSeconds(10));
    app.add(store);
    app.add(presence);
    app.add(jobs);
    app.add(dashboard);
    app.add(endpoint);
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

  private static String secret(Optional<String> given, Path dataDir) throws IOException {
    if (given.isPresent()) {
      if (given.get().length() < 32) {
        throw new InsecureSecretException(
            "WEFT_SECRET has " + given.get().length() + " characters; it must have at least 32");
      }
      return given.get();
    }
    return SecretFile.loadOrCreate(dataDir.resolve("secret.key"));
  }

  /**
   * Starts the application with settings given by the caller (tests), ignoring the environment.
   *
   * @param port the HTTP port (0 picks a free one)
   * @param data the data directory
   * @param dashboardPassword the dashboard's password
   * @param limits how fast clients may push ({@link #RATE_LIMITS} in production)
   * @return the running application
   * @throws Exception if it cannot start
   */
  public static ChatApp start(int port, Path data, String dashboardPassword, RateLimits limits)
      throws Exception {
    ChatApp app = new ChatApp(limits);
    Map<String, String> given =
        Map.of(
            PORT.name(), String.valueOf(port),
            DATA.name(), data.toString(),
            DASHBOARD_PASSWORD.name(), dashboardPassword);
    app.running = Application.start(app, Config.of(app.settings(), given));
    return app;
  }

  /**
   * {@link #start(int, Path, String, RateLimits)} with the production rate limits.
   *
   * @param port the HTTP port (0 picks a free one)
   * @param data the data directory
   * @param dashboardPassword the dashboard's password
   * @return the running application
   * @throws Exception if it cannot start
   */
  public static ChatApp start(int port, Path data, String dashboardPassword) throws Exception {
    return start(port, data, dashboardPassword, RATE_LIMITS);
  }

  /**
   * Starts the application from its configuration ({@link Application#run}: defaults, {@code
   * --config=<file>} or {@code WEFT_CONFIG}, the environment), stopping on {@code SIGTERM}.
   *
   * @param args the command line
   * @return the running application
   * @throws Exception if it cannot start
   */
  public static ChatApp run(String[] args) throws Exception {
    ChatApp app = new ChatApp(RATE_LIMITS);
    app.running = Application.run(app, args);
    return app;
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
    return running.node();
  }

  /**
   * Stops in reverse start order (requests drain for up to 10 s, running jobs get their grace),
   * then closes the database. A second call does nothing.
   */
  @Override
  public void close() {
    running.close();
  }
}
