package weft.web.transport;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import weft.process.Node;
import weft.process.Pid;
import weft.process.ProcessBody;

/**
 * The connections an HTTP server serves as Phoenix sockets: its open WebSockets and long-poll
 * sessions, and the node their socket processes run on. One per server; thread-safe.
 */
public final class OpenTransports {

  private final Node node;
  private final Set<WebSocketTransport> sockets = ConcurrentHashMap.newKeySet();
  private final Map<String, LongPollSession> longPolls = new ConcurrentHashMap<>();

  /**
   * Creates the registry.
   *
   * @param node where socket processes run
   */
  public OpenTransports(Node node) {
    this.node = Objects.requireNonNull(node, "node");
  }

  /** The open WebSocket connections (each removes itself when it closes). */
  Set<WebSocketTransport> sockets() {
    return sockets;
  }

  /** The open long-poll sessions by token (each removes itself when it closes). */
  Map<String, LongPollSession> longPolls() {
    return longPolls;
  }

  Pid spawn(ProcessBody body) {
    return node.spawn(body);
  }

  /**
   * Closes every open socket with 1012 ("server restarting"), as a draining server does: clients
   * reconnect elsewhere or later.
   */
  public void closeAll() {
    for (var socket : List.copyOf(sockets)) {
      socket.close(1012, "server restarting");
    }
    for (var session : List.copyOf(longPolls.values())) {
      session.close(1012, "server restarting");
    }
  }
}
