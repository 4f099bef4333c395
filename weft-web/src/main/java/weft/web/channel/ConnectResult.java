package weft.web.channel;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link SocketHandler#connect} returns: accept with assigns (values every channel of the
 * socket can read, such as the user) and an optional socket id, or refuse (the client gets HTTP
 * 403, as from Phoenix).
 */
public sealed interface ConnectResult {

  /**
   * Accepts the connection.
   *
   * @param assigns values for the socket's channels
   * @return the result
   */
  static ConnectResult ok(Map<String, Object> assigns) {
    return new Ok(assigns, Optional.empty());
  }

  /**
   * Accepts the connection with a socket id: broadcasting {@code disconnect} to the topic of that
   * id closes every socket with it (for example all of a user's sockets when they log out).
   *
   * @param assigns values for the socket's channels
   * @param id the socket id, such as {@code "user_socket:42"}
   * @return the result
   */
  static ConnectResult ok(Map<String, Object> assigns, String id) {
    return new Ok(assigns, Optional.of(Objects.requireNonNull(id, "id")));
  }

  /**
   * Refuses the connection.
   *
   * @return the result
   */
  static ConnectResult refuse() {
    return new Refuse();
  }

  /**
   * Accepted.
   *
   * @param assigns values for the channels
   * @param id the socket id, if any
   */
  record Ok(Map<String, Object> assigns, Optional<String> id) implements ConnectResult {
    /**
     * Copies the assigns.
     *
     * @param assigns values for the channels
     * @param id the socket id
     */
    public Ok {
      assigns = Map.copyOf(assigns);
    }
  }

  /** Refused. */
  record Refuse() implements ConnectResult {}
}
