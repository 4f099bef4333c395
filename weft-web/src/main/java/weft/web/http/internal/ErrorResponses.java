package weft.web.http.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.LinkedHashMap;
import java.util.Map;
import weft.web.http.Response;

/**
 * The one place that turns an error status into a response body: JSON for API routes, a small plain
 * page otherwise. Never a stack trace.
 */
public final class ErrorResponses {

  private ErrorResponses() {}

  /**
   * Writes an error the HTTP codec's own limits found (no request reached a handler), then closes
   * the connection. Runs on the connection's event loop, from a handler after the codec.
   *
   * @param ctx the handler's context
   * @param status the status
   * @param message what the client is told
   * @param json whether to answer as JSON
   * @param security the headers every response carries
   */
  static void writeAndClose(
      ChannelHandlerContext ctx,
      int status,
      String message,
      boolean json,
      weft.web.http.SecurityHeaders security) {
    Response r = of(status, message, null, json);
    byte[] body = r.body() instanceof Response.Body.Bytes(byte[] b) ? b : new byte[0];
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(status),
            ctx.alloc().buffer(body.length).writeBytes(body));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.header("content-type"));
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    res.headers().set(HttpHeaderNames.CONNECTION, "close");
    security.headers().forEach((k, v) -> res.headers().set(k, v));
    ctx.writeAndFlush(res).addListener(f -> ctx.close());
  }

  /**
   * The response for an error.
   *
   * @param status the status
   * @param message what the client is told
   * @param requestId the request id, for the client to quote
   * @param json whether to answer as JSON
   * @return the response
   */
  public static Response of(int status, String message, String requestId, boolean json) {
    if (json) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("status", status);
      error.put("message", message);
      if (requestId != null) {
        error.put("request_id", requestId);
      }
      return Response.json(Map.of("error", error)).withStatus(status);
    }
    String title = status + " " + reason(status);
    String page =
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>"
            + title
            + "</title></head><body><h1>"
            + title
            + "</h1><p>"
            + escape(message)
            + "</p>"
            + (requestId == null
                ? ""
                : "<p><small>request id " + escape(requestId) + "</small></p>")
            + "</body></html>";
    return Response.html(page).withStatus(status);
  }

  /**
   * The standard reason phrase.
   *
   * @param status the status
   * @return the phrase
   */
  public static String reason(int status) {
    return io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
