package weft.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

  @Test
  void argumentsWinOverSystemProperties() {
    Properties p = new Properties();
    p.setProperty("weft.agent.app", "com.example");
    p.setProperty("weft.agent.exclude", "com.example.gen");
    AgentOptions o = AgentOptions.parse("app=org.acme,org.other;verbose", p);
    assertThat(o.app()).containsExactly("org.acme", "org.other");
    assertThat(o.exclude()).containsExactly("com.example.gen");
    assertThat(o.verbose()).isTrue();
    assertThat(AgentOptions.parse(null, new Properties()).exclude())
        .contains("io.netty", "org.sqlite");
    assertThat(AgentOptions.parse("exclude=", new Properties()).exclude()).isEmpty();
    assertThat(AgentOptions.parse("exclude=com.gen", new Properties()).exclude())
        .containsExactly("com.gen");
  }

  @Test
  void aPrefixNamesAPackageAndItsSubpackagesOrAClass() {
    List<String> prefixes = List.of("com.example", "org.acme.Main");
    assertThat(AgentOptions.matches("com/example/Foo", prefixes)).isTrue();
    assertThat(AgentOptions.matches("com/example/deep/Foo", prefixes)).isTrue();
    assertThat(AgentOptions.matches("com/examples/Foo", prefixes)).isFalse();
    assertThat(AgentOptions.matches("org/acme/Main", prefixes)).isTrue();
    assertThat(AgentOptions.matches("org/acme/Main$1", prefixes)).isFalse();
  }

  @Test
  void badOptionsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> AgentOptions.parse("speed=fast", new Properties()))
        .hasMessageContaining("unknown weft-agent option 'speed'");
    assertThatThrownBy(() -> AgentOptions.parse("app=com/example", new Properties()))
        .hasMessageContaining("not a package prefix");
    assertThatThrownBy(() -> AgentOptions.parse("verbose=yes", new Properties()))
        .hasMessageContaining("verbose");
  }
}
