package weft.web.http.internal;

import tools.jackson.databind.DatabindException;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/** The JSON mappers shared by the web layer (Jackson; thread-safe once built). */
public final class Json {

  /** The mapper. */
  public static final JsonMapper MAPPER = JsonMapper.builder().build();

  /**
   * The mapper for what clients send: a number, boolean or object where a string is wanted is an
   * error instead of being turned into text ({@code 12345}, {@code true}, {@code 1e999999} as
   * {@code "Infinity"}).
   */
  public static final JsonMapper STRICT =
      JsonMapper.builder()
          .withCoercionConfig(
              LogicalType.Textual,
              c ->
                  c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .build();

  private Json() {}

  /**
   * Where in the document a binding error is, as {@code $.a.b[2]}: what a client may be told
   * instead of Jackson's message, which names Java classes.
   *
   * @param e the error
   * @return the path
   */
  public static String path(DatabindException e) {
    StringBuilder out = new StringBuilder("$");
    for (var ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        out.append('.').append(printable(ref.getPropertyName()));
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  /**
   * The text with control characters replaced by {@code ?}, for messages and logs that quote what a
   * client sent (a raw line feed could forge a log line).
   *
   * @param s the text
   * @return the printable text
   */
  public static String printable(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      out.append(ch < 0x20 || ch == 0x7f ? '?' : ch);
    }
    return out.toString();
  }
}
