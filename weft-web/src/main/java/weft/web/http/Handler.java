package weft.web.http;

/**
 * Handles one request. Runs in its own Weft process, so it may block (on a database, a call to a
 * GenServer, a sleep) without slowing any other request. Throwing {@link HttpError} answers with
 * its status; any other exception answers 500 and is logged with the request id.
 */
@FunctionalInterface
public interface Handler {

  /**
   * Handles the request.
   *
   * @param request the request
   * @return the response
   * @throws Exception answered as described above
   */
  Response handle(Request request) throws Exception;
}
