package weft.client;

import tools.jackson.databind.JsonNode;

/**
 * The server's answer to a join or a push.
 *
 * @param status {@code ok}, {@code error}, or {@code timeout} when no reply came in time
 * @param response the response (an empty object on timeout)
 */
public record Reply(String status, JsonNode response) {

  /** Whether the status is ok. */
  public boolean ok() {
    return status.equals("ok");
  }
}
