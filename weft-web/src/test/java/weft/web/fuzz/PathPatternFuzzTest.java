package weft.web.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import weft.web.http.internal.PathPattern;

/**
 * The router's path matching under a coverage-guided fuzzer: any pattern parses or is refused with
 * {@link IllegalArgumentException}; any path matches, does not, or is refused as badly encoded; and
 * a path built from a pattern with encoded values gives those values back.
 */
class PathPatternFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void anyPatternAndPathAreHandledAndEncodedValuesComeBack(FuzzedDataProvider in) {
    String rawPattern = in.consumeString(64);
    String rawPath = in.consumeString(128);
    try {
      PathPattern.parse(rawPattern).match(rawPath);
    } catch (IllegalArgumentException refused) {
      // a pattern or a path the router refuses with a clear error
    }

    int n = in.consumeInt(0, 5);
    StringBuilder pattern = new StringBuilder();
    StringBuilder path = new StringBuilder();
    Map<String, String> expected = new LinkedHashMap<>();
    List<String> literals = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (in.consumeBoolean()) {
        String literal = "l" + in.consumeInt(0, 99);
        literals.add(literal);
        pattern.append('/').append(literal);
        path.append('/').append(literal);
      } else {
        String value = in.consumeString(16);
        if (value.isEmpty()) {
          value = "v";
        }
        expected.put("p" + i, value);
        pattern.append("/:p").append(i);
        path.append('/').append(encode(value));
      }
    }
    boolean rest = in.consumeBoolean();
    List<String> tail = new ArrayList<>();
    if (rest) {
      pattern.append("/*rest");
      for (int i = in.consumeInt(0, 3); i > 0; i--) {
        String part = in.consumeString(8);
        if (part.isEmpty()) {
          part = "r";
        }
        tail.add(part);
        path.append('/').append(encode(part));
      }
      expected.put("rest", String.join("/", tail));
    }
    if (pattern.isEmpty()) {
      pattern.append('/');
      path.append('/');
    }
    Map<String, String> got = PathPattern.parse(pattern.toString()).match(path.toString());
    assertThat(got).as("%s against %s", path, pattern).isEqualTo(expected);
  }

  /** Percent-encodes a segment the way a client would (a plus is a plus in a path). */
  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
