package weft.web.http.internal;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/** Decodes query strings and url-encoded forms (Netty's decoder, which handles + and %XX). */
public final class Forms {

  private Forms() {}

  /**
   * Decodes {@code a=1&b=2&a=3}.
   *
   * @param encoded the encoded text, without a leading {@code ?}
   * @return name to values
   */
  public static Map<String, List<String>> decode(String encoded) {
    return new QueryStringDecoder(encoded, false).parameters();
  }
}
