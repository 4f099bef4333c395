package weft.web.http.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A route's path pattern, as in Phoenix: literal segments, {@code :name} for one segment and a
 * final {@code *name} for the rest of the path. A pure value, tested without a server.
 */
public final class PathPattern {

  private sealed interface Segment {}

  private record Literal(String text) implements Segment {}

  private record Param(String name) implements Segment {}

  private record Rest(String name) implements Segment {}

  private final String source;
  private final List<Segment> segments;

  private PathPattern(String source, List<Segment> segments) {
    this.source = source;
    this.segments = segments;
  }

  /**
   * Parses a pattern.
   *
   * @param pattern such as {@code /users/:id/files/*path}
   * @return the pattern
   * @throws IllegalArgumentException for a pattern not starting with {@code /}, an empty or
   *     repeated parameter name, or a {@code *} segment that is not last
   */
  public static PathPattern parse(String pattern) {
    if (pattern == null || !pattern.startsWith("/")) {
      throw new IllegalArgumentException("a route path must start with /: " + pattern);
    }
    List<Segment> segments = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<String> parts = split(pattern);
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      if (part.startsWith(":") || part.startsWith("*")) {
        String name = part.substring(1);
        if (name.isEmpty() || !names.add(name)) {
          throw new IllegalArgumentException(
              "route " + pattern + ": parameter names must be non-empty and unique, got " + part);
        }
        if (part.startsWith("*")) {
          if (i != parts.size() - 1) {
            throw new IllegalArgumentException(
                "route " + pattern + ": a *" + name + " segment must be the last");
          }
          segments.add(new Rest(name));
        } else {
          segments.add(new Param(name));
        }
      } else {
        segments.add(new Literal(part));
      }
    }
    return new PathPattern(pattern, List.copyOf(segments));
  }

  /**
   * Matches a raw (still percent-encoded) path.
   *
   * @param rawPath the path
   * @return the decoded parameters, or null if the path does not match
   * @throws IllegalArgumentException if a segment is badly percent-encoded
   */
  public Map<String, String> match(String rawPath) {
    List<String> parts = split(rawPath);
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      Segment s = segments.get(i);
      if (s instanceof Rest(String name)) {
        List<String> rest = new ArrayList<>();
        for (String p : parts.subList(Math.min(i, parts.size()), parts.size())) {
          rest.add(decode(p));
        }
        params.put(name, String.join("/", rest));
        return params;
      }
      if (i >= parts.size()) {
        return null;
      }
      String part = parts.get(i);
      switch (s) {
        case Literal(String text) -> {
          if (!text.equals(decode(part))) {
            return null;
          }
        }
        case Param(String name) -> params.put(name, decode(part));
        case Rest r -> throw new IllegalStateException("unreachable");
      }
    }
    return parts.size() == segments.size() ? params : null;
  }

  private static List<String> split(String path) {
    List<String> parts = new ArrayList<>();
    for (String p : path.split("/")) {
      if (!p.isEmpty()) {
        parts.add(p);
      }
    }
    return parts;
  }

  /**
   * Decodes a percent-encoded path segment ({@code +} stays a plus in paths).
   *
   * @param segment the segment
   * @return the decoded text
   */
  public static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return source;
  }
}
