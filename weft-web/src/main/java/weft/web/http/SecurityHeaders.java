package weft.web.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Headers the server adds to every response it writes (pages, assets, JSON, error pages, the
 * server's own 408, 413 and 503) unless the response sets the same header itself: the browser
 * protections of Phoenix's {@code put_secure_browser_headers}, with a Content-Security-Policy that
 * allows only the page's own origin. The defaults:
 *
 * <ul>
 *   <li>{@code content-security-policy: default-src 'self'; img-src 'self' data:; object-src
 *       'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'}: scripts, styles and
 *       connections (WebSocket included) from the page's origin only, no inline script or style;
 *   <li>{@code x-content-type-options: nosniff};
 *   <li>{@code x-frame-options: DENY} (for browsers older than {@code frame-ancestors});
 *   <li>{@code referrer-policy: strict-origin-when-cross-origin};
 *   <li>{@code x-permitted-cross-domain-policies: none}.
 * </ul>
 *
 * Change them server-wide with {@link HttpConfig#withSecurityHeaders}, or for one response by
 * setting the header on it ({@link Response#withHeader}). Immutable.
 *
 * @param headers lower-case names to values, in order
 */
public record SecurityHeaders(Map<String, String> headers) {

  /** The default Content-Security-Policy. */
  public static final String DEFAULT_CSP =
      "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self';"
          + " form-action 'self'; frame-ancestors 'none'";

  /**
   * Validates and copies the headers.
   *
   * @param headers lower-case names to values
   */
  public SecurityHeaders {
    Map<String, String> copy = new LinkedHashMap<>();
    headers.forEach((k, v) -> copy.put(name(k), Objects.requireNonNull(v, "value of " + k)));
    headers = java.util.Collections.unmodifiableMap(copy);
  }

  private static String name(String name) {
    if (name == null
        || name.isEmpty()
        || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
      throw new IllegalArgumentException("not a header name: " + name);
    }
    return name.toLowerCase(Locale.ROOT);
  }

  /**
   * The defaults listed above.
   *
   * @return the headers
   */
  public static SecurityHeaders defaults() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("content-security-policy", DEFAULT_CSP);
    h.put("x-content-type-options", "nosniff");
    h.put("x-frame-options", "DENY");
    h.put("referrer-policy", "strict-origin-when-cross-origin");
    h.put("x-permitted-cross-domain-policies", "none");
    return new SecurityHeaders(h);
  }

  /**
   * No headers added.
   *
   * @return the headers
   */
  public static SecurityHeaders none() {
    return new SecurityHeaders(Map.of());
  }

  /**
   * With a header set (replacing one of the same name).
   *
   * @param name the header's name
   * @param value its value
   * @return the headers
   */
  public SecurityHeaders with(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name(name), Objects.requireNonNull(value, "value"));
    return new SecurityHeaders(h);
  }

  /**
   * Without a header.
   *
   * @param name the header's name
   * @return the headers
   */
  public SecurityHeaders without(String name) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.remove(name(name));
    return new SecurityHeaders(h);
  }
}
