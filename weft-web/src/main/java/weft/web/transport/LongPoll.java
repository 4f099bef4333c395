package weft.web.transport;

import io.netty.handler.codec.http.FullHttpRequest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import weft.process.Process;
import weft.web.channel.ConnectInfo;
import weft.web.channel.ConnectResult;
import weft.web.channel.Socket;
import weft.web.channel.TransportEvent;
import weft.web.channel.V2Serializer;
import weft.web.http.Request;
import weft.web.http.Response;

/*
 * Design: Phoenix's long-poll transport. Every answer is HTTP 200 with the logical status in the
 * JSON body. A GET without a live session runs connect and opens one (status 410 with the
 * session's token: the client takes that as "open"); a GET with the token waits up to the poll
 * window for frames (200 with them, or 204); a POST delivers the client's frames, one per line.
 * The session's socket process is the same as for WebSocket; it ends when the client has not
 * polled for 1.5 windows.
 */
public final class LongPoll {

  private static final SecureRandom RANDOM = new SecureRandom();
  static final Duration WINDOW = Duration.ofSeconds(10);
  private static final int MAX_BATCH = 100;
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private LongPoll() {}

  /** Checks made on the event loop, while the Netty request is at hand. */
  public record Checked(boolean originAllowed) {}

  /**
   * Checks what needs the Netty request (its origin).
   *
   * @param socket the socket mounted at the path
   * @param req the request
   * @return what was found
   */
  public static Checked check(Socket socket, FullHttpRequest req) {
    return new Checked(Upgrade.originAllowed(socket, req));
  }

  /**
   * Answers a long-poll request, in the request's process (a GET may wait up to the poll window).
   *
   * @param socket the socket mounted at the path
   * @param checked what {@link #check} found
   * @param req the request
   * @param server the server's open transports
   * @return the response
   */
  public static Response handle(
      Socket socket, Checked checked, Request req, OpenTransports server) {
    Response r =
        switch (req.method()) {
          case OPTIONS -> Response.ok();
          case GET -> get(socket, checked, req, server);
          case POST -> post(req, server);
          default -> status(405, null, null);
        };
    r = r.withHeader("cache-control", "no-store");
    Optional<String> origin = req.header("origin");
    if (origin.isPresent() && checked.originAllowed()) {
      r =
          r.withHeader("access-control-allow-origin", origin.get())
              .withHeader("access-control-allow-credentials", "true")
              .withHeader("access-control-allow-methods", "GET, POST, OPTIONS")
              .withHeader(
                  "access-control-allow-headers",
                  "content-type, accept, x-requested-with, x-phoenix-authtoken, x-phoenix-longpoll-token");
    }
    return r;
  }

  /**
   * The session token: the header, or the last {@code token} query parameter (the client appends it
   * after the connect params, which may have a {@code token} of their own, as in Phoenix).
   */
  private static Optional<String> token(Request req) {
    return req.header("x-phoenix-longpoll-token")
        .or(() -> {
          List<String> all = req.queryParams().getOrDefault("token", List.of());
          return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
        })
        .filter(t -> !t.isEmpty());
  }

  private static Response get(Socket socket, Checked checked, Request req, OpenTransports server) {
    Optional<LongPollSession> session = token(req).map(t -> server.longPolls().get(t));
    if (session.isPresent()) {
      LongPollSession s = session.get();
      if (s.socketProcess() != null) {
        Process.send(s.socketProcess(), new TransportEvent.Activity());
      }
      List<String> messages;
      try {
        messages = s.poll(WINDOW);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return status(410, null, null);
      }
      if (messages == null) {
        return status(410, null, null);
      }
      return messages.isEmpty() ? status(204, s.token(), null) : status(200, s.token(), messages);
    }
    // No live session for this token (or none given): a new session, as Phoenix does.
    Map<String, String> params = new HashMap<>();
    req.queryParams().forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.getFirst()));
    if (!V2Serializer.VSN.equals(params.get("vsn")) || !checked.originAllowed()) {
      return status(403, null, null);
    }
    ConnectInfo info =
        new ConnectInfo(
            req.remoteAddress(), req.headers(), req.uri(), req.header("x-phoenix-authtoken"));
    if (!(socket.connect(params, info) instanceof ConnectResult.Ok connected)) {
      return status(403, null, null);
    }
    byte[] raw = new byte[18];
    RANDOM.nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    LongPollSession s =
        new LongPollSession(token, server.longPolls(), socket.options().maxOutboundBytes());
    Duration idle = WINDOW.multipliedBy(3).dividedBy(2);
    s.attach(
        server.spawn(() -> {
          try {
            socket.serve(s, connected, idle);
          } finally {
            s.close(1000, "session ended");
          }
        }));
    return status(410, token, List.of());
  }

  private static Response post(Request req, OpenTransports server) {
    Optional<LongPollSession> session = token(req).map(t -> server.longPolls().get(t));
    if (session.isEmpty() || session.get().isClosed()) {
      return status(410, null, null);
    }
    String[] lines = req.bodyText().split("\n");
    if (lines.length > MAX_BATCH) {
      return status(400, session.get().token(), null);
    }
    for (String line : lines) {
      if (!line.isBlank()) {
        session.get().receive(line.strip());
      }
    }
    return status(200, session.get().token(), null);
  }

  private static Response status(int status, String token, List<String> messages) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("status", status);
    if (token != null) {
      body.put("token", token);
    }
    if (messages != null) {
      ArrayNode m = body.putArray("messages");
      messages.forEach(m::add);
    }
    return Response.bytes(MAPPER.writeValueAsBytes(body), "application/json");
  }
}
