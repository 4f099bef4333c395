package weft.web.channel;

/**
 * What {@link Channel#join} returns: joined, with a response for the client ({@link Ok}), or
 * refused with a reason ({@link Error}). Both values are sent as JSON.
 */
public sealed interface JoinResult {

  /**
   * Joined; the client's join callback gets {@code response}.
   *
   * @param response the response (a map or record; may be an empty map)
   * @return the result
   */
  static JoinResult ok(Object response) {
    return new Ok(response);
  }

  /**
   * Refused; the client's error callback gets {@code reason}, for example {@code Map.of("reason",
   * "unauthorized")}.
   *
   * @param reason the reason
   * @return the result
   */
  static JoinResult error(Object reason) {
    return new Error(reason);
  }

  /**
   * Joined.
   *
   * @param response sent to the client
   */
  record Ok(Object response) implements JoinResult {}

  /**
   * Refused.
   *
   * @param reason sent to the client
   */
  record Error(Object reason) implements JoinResult {}
}
