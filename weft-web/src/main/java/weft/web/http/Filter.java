package weft.web.http;

/**
 * A step of a pipeline around handlers, like a Plug: it may act before the handler (inspect or
 * enrich the request with {@link Request#withAttribute}), halt by returning a response without
 * calling {@code next}, and act after (change the response).
 *
 * {@snippet :
 * Filter requireToken = (req, next) -> req.header("authorization").isPresent()
 *     ? next.handle(req)
 *     : Response.status(401).json(Map.of("error", "missing token"));
 * }
 */
@FunctionalInterface
public interface Filter {

  /**
   * Runs the filter.
   *
   * @param request the request
   * @param next the rest of the pipeline and the handler
   * @return the response
   * @throws Exception as a handler's
   */
  Response filter(Request request, Handler next) throws Exception;
}
