package weft.web.channel;

import java.util.Map;

/**
 * Decides who may connect to a socket, as Phoenix's {@code connect/3}. Runs in its own process for
 * each connection attempt, so it may look things up (verify a token, read a database).
 *
 * {@snippet :
 * SocketHandler auth = (params, info) -> Tokens.verify(secret, "user", params.get("token"), Duration.ofDays(1))
 *     .map(user -> ConnectResult.ok(Map.of("user", user), "user_socket:" + user))
 *     .orElse(ConnectResult.refuse());
 * }
 */
@FunctionalInterface
public interface SocketHandler {

  /**
   * Accepts or refuses a connection.
   *
   * @param params the connect params (the query string of the socket URL)
   * @param info peer, headers, URI and token
   * @return ok with assigns, or refuse
   * @throws Exception refuses the connection (and is logged)
   */
  ConnectResult connect(Map<String, String> params, ConnectInfo info) throws Exception;
}
