package weft.web.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PathPatternTest {

  @Test
  void literalsParamsAndRestMatch() {
    PathPattern p = PathPattern.parse("/users/:id/files/*path");
    assertThat(p.match("/users/42/files/a/b.txt")).isEqualTo(Map.of("id", "42", "path", "a/b.txt"));
    assertThat(p.match("/users/42/files")).isEqualTo(Map.of("id", "42", "path", ""));
    assertThat(p.match("/users/42")).isNull();
    assertThat(p.match("/people/42/files/x")).isNull();
  }

  @Test
  void segmentsAreDecodedAndPlusStaysAPlus() {
    PathPattern p = PathPattern.parse("/tags/:tag");
    assertThat(p.match("/tags/c%2B%2B")).containsEntry("tag", "c++");
    assertThat(p.match("/tags/a+b")).containsEntry("tag", "a+b");
    assertThat(p.match("/tags/hello%20world")).containsEntry("tag", "hello world");
    assertThat(p.match("/tags/x/y")).isNull();
  }

  @Test
  void badPatternsAreRejectedWithTheReason() {
    assertThatThrownBy(() -> PathPattern.parse("users")).hasMessageContaining("must start with /");
    assertThatThrownBy(() -> PathPattern.parse("/a/:id/:id")).hasMessageContaining("unique");
    assertThatThrownBy(() -> PathPattern.parse("/a/*rest/b"))
        .hasMessageContaining("must be the last");
    assertThatThrownBy(() -> PathPattern.parse("/a/:")).hasMessageContaining("non-empty");
  }

  @Test
  void rootMatchesOnlyRoot() {
    assertThat(PathPattern.parse("/").match("/")).isEmpty();
    assertThat(PathPattern.parse("/").match("/x")).isNull();
  }
}
