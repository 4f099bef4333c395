package weft.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.dashboard.internal.Collector;
import weft.dashboard.internal.LiveChannel;
import weft.dashboard.internal.Sampler;
import weft.dashboard.internal.SignInLimiter;
import weft.genserver.GenServer;
import weft.genserver.StartOptions;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.supervisor.ChildSpec;
import weft.web.channel.ConnectResult;
import weft.web.channel.Socket;
import weft.web.http.Request;
import weft.web.http.Response;
import weft.web.http.Router;
import weft.web.http.StaticFiles;
import weft.web.pubsub.PubSub;
import weft.web.token.Tokens;

/**
 * A live dashboard of the running node, in the spirit of Phoenix LiveDashboard and Erlang's
 * observer: the JVM (uptime, memory, GC, carrier threads), processes (top by mailbox and by age),
 * the supervision tree, sockets and channels per topic, PubSub topics and jobs, with charts of the
 * last minutes. A person can kill a process and retry or cancel a job; each action is written to
 * the audit log ({@code weft.dashboard.audit}).
 *
 * {@snippet :
 * Dashboard dashboard = Dashboard.create(pubsub, DashboardOptions.of(secret)
 *     .withRootSupervisor("my_app").withJobs(jobs));
 * Router router = dashboard.mount(Router.builder()).build();    // pages under /dashboard
 * // put dashboard.childSpec() in the application's tree
 * }
 *
 * <p>Access needs the password: from the options, or else generated at creation (read it with
 * {@link #password()} and print it; the dashboard is never served open). A correct password sets an
 * HTTP-only session cookie valid for a day (marked {@code Secure} when the request came through a
 * proxy that says {@code x-forwarded-proto: https}); the page's socket uses a token signed for it.
 * An address that gives ten wrong passwords within a minute is refused (429) until the minute has
 * passed.
 *
 * <p>Samples travel on the PubSub topic {@code dashboard:live}, which only the dashboard's own
 * socket routes; an application socket must not route that topic (a catch-all {@code "*"} channel
 * would let its clients read the samples).
 */
public final class Dashboard {

  private static final Logger AUDIT = LoggerFactory.getLogger("weft.dashboard.audit");
  private static final String COOKIE = "weft_dashboard";
  private static final String SESSION_SALT = "weft dashboard session";
  private static final String SOCKET_SALT = "weft dashboard socket";
  private static final Duration SESSION_AGE = Duration.ofDays(1);

  private final PubSub pubsub;
  private final DashboardOptions options;
  private final Tokens tokens;
  private final String password;
  private final boolean generated;
  private final SignInLimiter limiter = new SignInLimiter(10, Duration.ofMinutes(1));
  private volatile Pid sampler;
  private volatile Node node;

  private Dashboard(PubSub pubsub, DashboardOptions options) {
    this.pubsub = Objects.requireNonNull(pubsub, "pubsub");
    this.options = Objects.requireNonNull(options, "options");
    this.tokens = new Tokens(options.secret());
    this.generated = options.password() == null;
    this.password = generated ? generatePassword() : options.password();
  }

  /**
   * A dashboard (its sampler starts with {@link #childSpec()}).
   *
   * @param pubsub the PubSub whose topics are shown and that carries the samples
   * @param options secret, password, tree, jobs
   * @return the dashboard
   */
  public static Dashboard create(PubSub pubsub, DashboardOptions options) {
    return new Dashboard(pubsub, options);
  }

  private static String generatePassword() {
    byte[] raw = new byte[15];
    new SecureRandom().nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /**
   * The password.
   *
   * @return the configured or generated password
   */
  public String password() {
    return password;
  }

  /**
   * Whether the password was generated (so the application should print it).
   *
   * @return true if no password was configured
   */
  public boolean passwordGenerated() {
    return generated;
  }

  /**
   * The sampler as a supervised worker (id {@code "dashboard"}): a sample every interval, pushed to
   * the open pages.
   *
   * @return the spec
   */
  public ChildSpec childSpec() {
    return ChildSpec.worker(
        "dashboard",
        () -> {
          Node n = Process.node();
          node = n;
          Pid pid =
              GenServer.startLink(
                  new Sampler(
                      () -> new Collector(n, pubsub, options.rootSupervisor(), options.jobs()),
                      pubsub,
                      options.interval(),
                      options.history()),
                  StartOptions.defaults());
          sampler = pid;
          return pid;
        });
  }

  /**
   * Adds the dashboard's routes under {@code /dashboard}: the page (or the sign-in form), {@code
   * POST /dashboard/login} and {@code /dashboard/logout}, its assets, and its socket at {@code
   * /dashboard/socket}.
   *
   * @param router the application's router
   * @return the same builder
   */
  public Router.Builder mount(Router.Builder router) {
    Socket socket =
        Socket.builder(
                pubsub,
                (params, info) ->
                    switch (tokens.verify(
                        SOCKET_SALT, params.get("token"), SESSION_AGE, String.class)) {
                      case Tokens.Valid<String> v ->
                          ConnectResult.ok(
                              Map.of(
                                  "peer",
                                  info.peer()
                                      .map(a -> a.getAddress().getHostAddress())
                                      .orElse("?")));
                      default -> ConnectResult.refuse();
                    })
            .channel(
                Sampler.TOPIC,
                () ->
                    new LiveChannel(node, () -> sampler, options.jobs(), options.rootSupervisor()))
            .build();
    return router
        .get("/dashboard", this::page)
        .post("/dashboard/login", this::login)
        .post(
            "/dashboard/logout",
            req -> Response.redirect("/dashboard").withCookie(COOKIE, "", Duration.ZERO, false))
        .get("/dashboard/assets/*path", StaticFiles.resources("weft/dashboard/static"))
        .get("/dashboard/js/*path", StaticFiles.resources("weft/js"))
        .socket("/dashboard/socket", socket);
  }

  private boolean signedIn(Request req) {
    return req.cookie(COOKIE)
        .map(c -> tokens.verify(SESSION_SALT, c, SESSION_AGE, String.class))
        .map(v -> v instanceof Tokens.Valid<String>)
        .orElse(false);
  }

  private Response page(Request req) {
    if (!signedIn(req)) {
      return Response.html(Pages.login(null));
    }
    return Response.html(Pages.dashboard(tokens.sign(SOCKET_SALT, "dashboard")))
        .withHeader("cache-control", "no-store");
  }

  private Response login(Request req) {
    String given = req.form().getOrDefault("password", List.of("")).getFirst();
    String who = req.remoteAddress().map(a -> a.getAddress().getHostAddress()).orElse("?");
    Instant now = Instant.now();
    if (!limiter.allowed(who, now)) {
      AUDIT.warn("dashboard sign-in refused for {} (too many wrong passwords)", who);
      return Response.html(Pages.login("Too many wrong passwords; try again in a minute."))
          .withStatus(429);
    }
    boolean ok =
        MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
    if (!ok) {
      limiter.failed(who, now);
      AUDIT.warn("dashboard sign-in refused for {} (wrong password)", who);
      return Response.html(Pages.login("Wrong password.")).withStatus(401);
    }
    limiter.succeeded(who);
    AUDIT.info("dashboard sign-in from {}", who);
    // Behind a TLS-terminating proxy the cookie is sent over HTTPS only.
    boolean secure =
        req.header("x-forwarded-proto").map(p -> p.equalsIgnoreCase("https")).orElse(false);
    return Response.redirect("/dashboard")
        .withCookie(COOKIE, tokens.sign(SESSION_SALT, "dashboard"), SESSION_AGE, secure);
  }
}
