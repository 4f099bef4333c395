package weft.dashboard;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.dashboard.internal.Collector;
import weft.dashboard.internal.LiveChannel;
import weft.dashboard.internal.Sampler;
import weft.dashboard.internal.Sessions;
import weft.dashboard.internal.SignInLimiter;
import weft.genserver.GenServer;
import weft.genserver.StartOptions;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.supervisor.ChildSpec;
import weft.supervisor.Supervised;
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
 * {@link #password()} and print it; the dashboard is never served open). A correct password starts
 * a session, kept on the server for a day, and sets an HTTP-only, {@code SameSite=Lax} cookie that
 * names it (marked {@code Secure} when the request came through a proxy that says {@code
 * x-forwarded-proto: https}); the page's socket uses a token signed for the same session. Signing
 * out ends the session on the server (the old cookie no longer signs in) and disconnects its
 * sockets; a restart ends every session. An address that gives ten wrong passwords within a minute
 * is refused (429) until the minute has passed. Sign-in and sign-out refuse (403) a request that a
 * browser says came from another site: an {@code Origin} other than the request's own host, or
 * {@code Sec-Fetch-Site} other than {@code same-origin} or {@code none}.
 *
 * <p>Samples travel on the PubSub topic {@code dashboard:live}, which only the dashboard's own
 * socket routes; an application socket must not route that topic (a catch-all {@code "*"} channel
 * would let its clients read the samples).
 */
public final class Dashboard implements Supervised {

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
  private final Sessions sessions = new Sessions(SESSION_AGE);
  private volatile Pid sampler;
  private volatile Node node;

  private Dashboard(PubSub pubsub, DashboardOptions options) {
    this.pubsub = Objects.requireNonNull(pubsub, "pubsub");
    this.options = Objects.requireNonNull(options, "options");
    this.tokens = new Tokens(options.secret());
    this.generated = options.password().isEmpty();
    this.password = options.password().orElseGet(Dashboard::generatePassword);
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
  @Override
  public ChildSpec childSpec() {
    return ChildSpec.worker(
        "dashboard",
        () -> {
          Node n = Process.node();
          node = n;
          Pid pid =
              GenServer.startLink(
                  new Sampler(
                      () ->
                          new Collector(
                              n,
                              pubsub,
                              options.rootSupervisor().orElse(null),
                              options.jobs().orElse(null)),
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
                      case Tokens.Valid<String>(String session)
                          when sessions.isOpen(session, Instant.now()) ->
                          ConnectResult.ok(
                              Map.of(
                                  "peer",
                                  info.peer()
                                      .map(a -> a.getAddress().getHostAddress())
                                      .orElse("?")),
                              socketId(session));
                      default -> ConnectResult.refuse();
                    })
            .channel(
                Sampler.TOPIC,
                () ->
                    new LiveChannel(
                        node,
                        () -> sampler,
                        options.jobs().orElse(null),
                        options.rootSupervisor().orElse(null)))
            .build();
    return router
        .get("/dashboard", this::page)
        .post("/dashboard/login", this::login)
        .post("/dashboard/logout", this::logout)
        .get("/dashboard/assets/*path", StaticFiles.resources("weft/dashboard/static"))
        .get("/dashboard/js/*path", StaticFiles.resources("weft/js"))
        .socket("/dashboard/socket", socket);
  }

  /** The session a request's cookie names, if the signature holds (open or not). */
  private Optional<String> session(Request req) {
    return req.cookie(COOKIE)
        .map(c -> tokens.verify(SESSION_SALT, c, SESSION_AGE, String.class))
        .flatMap(
            v -> v instanceof Tokens.Valid<String>(String id) ? Optional.of(id) : Optional.empty());
  }

  /** The socket id of a session's pages, hashed so that the id itself never travels. */
  private static String socketId(String session) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(session.getBytes(StandardCharsets.UTF_8));
      return "dashboard_session:" + java.util.HexFormat.of().formatHex(h, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /**
   * Whether a browser says the request came from another site: an Origin that is not the request's
   * own host, or a Sec-Fetch-Site other than same-origin or none. A client that sends neither (not
   * a browser) is not refused: cross-site request forgery needs a victim's browser.
   */
  private static boolean crossSite(Request req) {
    Optional<String> site = req.header("sec-fetch-site");
    if (site.isPresent() && !site.get().equals("same-origin") && !site.get().equals("none")) {
      return true;
    }
    Optional<String> origin = req.header("origin");
    if (origin.isEmpty()) {
      return false;
    }
    String host = req.header("host").orElse("");
    try {
      URI o = URI.create(origin.get());
      String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
      return o.getHost() == null || !authority.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return true; // "null" and other non-URLs: an opaque origin
    }
  }

  private static Response refusedCrossSite(Request req, String what) {
    AUDIT.warn(
        "dashboard {} refused: cross-site request (origin {}, sec-fetch-site {})",
        what,
        req.header("origin").orElse("-"),
        req.header("sec-fetch-site").orElse("-"));
    return Response.text("cross-site requests are refused").withStatus(403);
  }

  private Response page(Request req) {
    Optional<String> session = session(req);
    if (session.isEmpty() || !sessions.isOpen(session.get(), Instant.now())) {
      return Response.html(Pages.login(null));
    }
    return Response.html(Pages.dashboard(tokens.sign(SOCKET_SALT, session.get())))
        .withHeader("cache-control", "no-store");
  }

  private Response logout(Request req) {
    if (crossSite(req)) {
      return refusedCrossSite(req, "sign-out");
    }
    session(req)
        .ifPresent(id -> {
          if (sessions.end(id)) {
            AUDIT.info("dashboard sign-out");
            Socket.broadcast(pubsub, socketId(id), "disconnect", Map.of());
          }
        });
    return Response.redirect("/dashboard").withCookie(COOKIE, "", Duration.ZERO, false);
  }

  private Response login(Request req) {
    if (crossSite(req)) {
      return refusedCrossSite(req, "sign-in");
    }
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
        .withCookie(COOKIE, tokens.sign(SESSION_SALT, sessions.start(now)), SESSION_AGE, secure);
  }
}
