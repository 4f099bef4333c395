package weft.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import weft.process.Exit;
import weft.process.Pid;
import weft.process.Process;
import weft.supervisor.ChildSpec;

class ApplicationTest {

  static final Setting<Integer> PORT =
      Setting.integer("http.port", 4000, 0, 65535).withEnv("PORT").describedAs("the HTTP port");
  static final Setting<Duration> RETENTION =
      Setting.duration("messages.retention", Duration.ofDays(30));
  static final Setting<Optional<String>> PASSWORD = Setting.optional("dashboard.password");
  static final Setting<Boolean> DEBUG = Setting.bool("debug", false);
  static final List<Setting<?>> ALL = List.of(PORT, RETENTION, PASSWORD, DEBUG);

  @TempDir Path dir;

  @Test
  void defaultsThenTheFileThenTheEnvironment() throws Exception {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "http.port=5000\nmessages.retention=12h\n");
    Config config =
        Config.load(ALL, Optional.of(file), Map.of("PORT", "6000", "WEFT_DEBUG", "yes"));
    assertThat(config.get(PORT)).isEqualTo(6000);
    assertThat(config.source(PORT)).isEqualTo("environment variable PORT");
    assertThat(config.get(RETENTION)).isEqualTo(Duration.ofHours(12));
    assertThat(config.source(RETENTION)).isEqualTo("file " + file);
    assertThat(config.get(PASSWORD)).isEmpty();
    assertThat(config.source(PASSWORD)).isEqualTo("default");
    assertThat(config.get(DEBUG)).isTrue();
    assertThat(
            Config.load(ALL, Optional.empty(), Map.of("WEFT_HTTP_PORT", "1", "PORT", "2"))
                .get(PORT))
        .as("the setting's own variable before its aliases")
        .isEqualTo(1);
  }

  @Test
  void everyProblemIsNamedWithItsSourceAndSecretsStayHidden() throws Exception {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "htpp.port=5000\nmessages.retention=0s\n");
    assertThatThrownBy(() ->
            Config.load(
                ALL,
                Optional.of(file),
                Map.of("PORT", "80a", "WEFT_DEBUG", "maybe", "WEFT_DASHBOARD_PASSWORD", "")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "htpp.port (file "
                            + file
                            + ") is not a setting; the settings are [http.port, messages.retention,"
                            + " dashboard.password, debug]",
                        "http.port = '80a' (environment variable PORT): not a whole number [the HTTP"
                            + " port]",
                        "messages.retention = '0s' (file "
                            + file
                            + "): must be positive"
                            + " [messages.retention]",
                        "debug = 'maybe' (environment variable WEFT_DEBUG): not true or false [debug]"));
    assertThatThrownBy(() -> Config.of(ALL, Map.of("http.port", "70000")))
        .hasMessageContaining("http.port = '70000'")
        .hasMessageContaining("must be 0-65535");
    Setting<String> secret = Setting.string("secret", "x");
    assertThatThrownBy(() ->
            Config.load(
                List.of(
                    Setting.of(
                        "secret",
                        0,
                        t -> {
                          throw new IllegalArgumentException("too short");
                        })),
                Optional.empty(),
                Map.of("WEFT_SECRET", "hunter2")))
        .hasMessageContaining("(hidden)")
        .message()
        .doesNotContain("hunter2");
    Config shown = Config.load(List.of(secret), Optional.empty(), Map.of("WEFT_SECRET", "s3cr3t"));
    assertThat(shown.describe())
        .containsExactly("secret = (hidden) (environment variable WEFT_SECRET)");
    assertThatThrownBy(() -> Config.load(ALL, Optional.of(dir.resolve("missing")), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot read the configuration file");
    assertThatThrownBy(() -> Config.of(ALL, Map.of()).get(Setting.string("other", "")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durationsReadShortAndIsoForms() {
    assertThat(Setting.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Setting.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Setting.parseDuration("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> Setting.parseDuration("soon")).hasMessageContaining("not a duration");
  }

  @Test
  void theCommandLineNamesTheFileAndRefusesWhatItDoesNotKnow() throws Exception {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "http.port=5001\n");
    Application app = new Ordered(new ArrayList<>(), false);
    assertThat(Application.configure(app, new String[] {"--config=" + file}, Map.of()).get(PORT))
        .isEqualTo(5001);
    assertThat(
            Application.configure(app, new String[0], Map.of("WEFT_CONFIG", file.toString()))
                .get(PORT))
        .isEqualTo(5001);
    assertThatThrownBy(() -> Application.configure(app, new String[] {"--port=1"}, Map.of()))
        .hasMessageContaining("unknown argument --port=1");
    assertThat(Application.help(app)).contains("http.port  WEFT_HTTP_PORT or PORT  default 4000");
  }

  /** Three parts that log their start and stop, and a resource that logs its closing. */
  record Ordered(List<String> log, boolean failAtBuild) implements Application {
    @Override
    public String name() {
      return "ordered";
    }

    @Override
    public List<Setting<?>> settings() {
      return ALL;
    }

    @Override
    public void build(Config config, Assembly app) {
      app.closeAfterStop(() -> log.add("close store"));
      for (String part : List.of("a", "b", "c")) {
        app.add(() ->
            ChildSpec.worker(
                part,
                () -> {
                  log.add("start " + part); // the supervisor starts children one at a time
                  Pid supervisor = Process.self();
                  Pid child =
                      Process.spawnLink(() -> {
                        Process.trapExit(true);
                        Process.send(supervisor, "trapping");
                        Exit exit = Process.receive(Exit.class);
                        log.add("stop " + part);
                        throw Process.exit(exit.reason());
                      });
                  // Started once it traps exits: a stop right after start is still heard.
                  Process.receive(String.class, Duration.ofSeconds(10)).orElseThrow();
                  return child;
                }));
      }
      if (failAtBuild) {
        throw new IllegalStateException("cannot build");
      }
    }
  }

  @Test
  void theTreeStartsInOrderStopsInReverseThenClosesResources() throws Exception {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    Running running = Application.start(new Ordered(log, false), Config.of(ALL, Map.of()));
    assertThat(running.node().whereis("ordered")).contains(running.root());
    running.close();
    running.close();
    running.awaitStop();
    assertThat(log)
        .containsExactly(
            "start a", "start b", "start c", "stop c", "stop b", "stop a", "close store");
  }

  @Test
  void aFailedBuildClosesWhatWasOpened() {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    assertThatThrownBy(() -> Application.start(new Ordered(log, true), Config.of(ALL, Map.of())))
        .hasMessage("cannot build");
    assertThat(log).containsExactly("close store");
  }
}
