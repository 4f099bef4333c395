package weft.load;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The few Phoenix V2 frames a load client writes, and what it needs to know of those it reads,
 * without a JSON parse per frame: a client receiving a broadcast on 19,000 sockets must cost far
 * less than the server it measures. Frames are JSON arrays {@code [join_ref, ref, topic, event,
 * payload]}; the event is the fourth string.
 */
final class Frames {

  private static final AtomicLong REFS = new AtomicLong();

  private Frames() {}

  /** A join of {@code topic}, join ref {@code "1"}. */
  static String join(String topic) {
    return "[\"1\",\"1\"," + quote(topic) + ",\"phx_join\",{}]";
  }

  /** A heartbeat. */
  static String heartbeat() {
    return "[null,\"" + REFS.incrementAndGet() + "\",\"phoenix\",\"heartbeat\",{}]";
  }

  /** A push of {@code event} with a JSON {@code payload} on a joined topic. */
  static String push(String topic, String event, String payloadJson) {
    return "[\"1\",\""
        + REFS.incrementAndGet()
        + "\","
        + quote(topic)
        + ","
        + quote(event)
        + ","
        + payloadJson
        + "]";
  }

  /**
   * The event of a frame: the fourth JSON string of the array, or null when the frame is not of
   * that shape.
   */
  static String event(String frame) {
    int i = 0;
    int field = 0;
    int n = frame.length();
    if (n == 0 || frame.charAt(0) != '[') {
      return null;
    }
    i = 1;
    while (i < n && field < 3) {
      char c = frame.charAt(i);
      if (c == '"') {
        i = skipString(frame, i);
        if (i < 0) {
          return null;
        }
      } else if (c == ',') {
        field++;
        i++;
      } else {
        i++;
      }
    }
    if (i >= n || frame.charAt(i) != '"') {
      return null;
    }
    int end = skipString(frame, i);
    return end < 0 ? null : frame.substring(i + 1, end - 1);
  }

  /** The index after the JSON string starting at {@code start} (a quote), or -1. */
  private static int skipString(String s, int start) {
    for (int i = start + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i + 1;
      }
    }
    return -1;
  }

  /** Whether a reply frame for join ref "1" and ref "1" says ok. */
  static boolean isJoinOk(String frame) {
    return frame.startsWith("[\"1\",\"1\",")
        && frame.contains("\"phx_reply\"")
        && frame.contains("\"status\":\"ok\"");
  }

  /** Whether a reply frame for the join says error. */
  static boolean isJoinError(String frame) {
    return frame.startsWith("[\"1\",\"1\",")
        && frame.contains("\"phx_reply\"")
        && !frame.contains("\"status\":\"ok\"");
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
