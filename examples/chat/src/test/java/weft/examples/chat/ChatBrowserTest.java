package weft.examples.chat;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chat page and the dashboard in a real browser: Playwright for Java driving Debian's Chromium
 * ({@code apt-get install chromium}; CI installs it). Skipped, with a message, when Chromium is not
 * installed. Every wait is Playwright's polling for a condition on the page, bounded by a timeout.
 */
class ChatBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final String PASSWORD = "browser-test-password";

  private static Playwright playwright;
  private static Browser browser;

  @TempDir Path data;

  @BeforeAll
  static void launch() {
    assumeTrue(
        Files.isExecutable(CHROMIUM),
        "Chromium is not installed at /usr/bin/chromium (apt-get install chromium): skipping the"
            + " browser tests");
    playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(
                        List.of(
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--no-first-run",
                            "--disable-quic")));
    PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
  }

  /** What the pages' consoles said about the Content-Security-Policy: nothing, or a test fails. */
  private static final List<String> cspViolations =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  private static Page watched(Page page) {
    page.onConsoleMessage(m -> {
      if (m.text().contains("Content Security Policy")) {
        cspViolations.add(page.url() + ": " + m.text());
      }
    });
    return page;
  }

  @org.junit.jupiter.api.AfterEach
  void noPageBrokeTheContentSecurityPolicy() {
    List<String> seen = List.copyOf(cspViolations);
    cspViolations.clear();
    org.assertj.core.api.Assertions.assertThat(seen).as("CSP violations").isEmpty();
  }

  private ChatApp start(int port) throws Exception {
    return ChatApp.start(port, data, PASSWORD);
  }

  private static Page signIn(String base, String name) {
    return signIn(base, name, "websocket");
  }

  private static Page signIn(String base, String name, String transport) {
    BrowserContext context = browser.newContext();
    Page page = watched(context.newPage());
    page.navigate(base + (transport.equals("longpoll") ? "/?transport=longpoll" : "/"));
    page.fill("#name-input", name);
    page.click("#name-form button");
    assertThat(page.locator("#status")).hasText("online");
    return page;
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "longpoll"})
  void twoPagesChatWithPresenceTypingAndMentions(String transport) throws Exception {
    try (ChatApp app = start(0)) {
      String base = "http://127.0.0.1:" + app.port();
      Page alice = signIn(base, "alice", transport);
      Page bob = signIn(base, "bob", transport);

      assertThat(alice.locator("#presence li[data-user=bob]")).isVisible();
      assertThat(bob.locator("#presence li[data-user=alice]")).isVisible();

      bob.locator("#message-input").pressSequentially("hi");
      assertThat(alice.locator("#typing")).hasText("bob is typing…");
      assertThat(bob.locator("#typing")).hasText("");

      bob.fill("#message-input", "hello @alice, welcome");
      bob.press("#message-input", "Enter");
      assertThat(alice.locator("#messages li .body")).hasText("hello @alice, welcome");
      assertThat(bob.locator("#messages li .body")).hasText("hello @alice, welcome");
      assertThat(bob.locator("#message-input")).hasValue("");
      assertThat(alice.locator("#mentions li")).hasText("bob in lobby: hello @alice, welcome");

      alice.fill("#message-input", "   ");
      alice.press("#message-input", "Enter");
      assertThat(alice.locator("#send-error")).not().isEmpty();
      assertThat(alice.locator("#messages li")).hasCount(1);

      bob.context().close();
      assertThat(alice.locator("#presence li[data-user=bob]")).hasCount(0);
      alice.context().close();
    }
  }

  @Test
  void aMessageSurvivesARestartAndThePageReconnectsByItself() throws Exception {
    int port;
    Page alice;
    try (ChatApp app = start(0)) {
      port = app.port();
      alice = signIn("http://127.0.0.1:" + port, "alice");
      alice.fill("#message-input", "written before the restart");
      alice.press("#message-input", "Enter");
      assertThat(alice.locator("#messages li .body")).hasText("written before the restart");
    }
    assertThat(alice.locator("#status")).hasText("offline");
    try (ChatApp again = start(port)) {
      assertThat(again.port()).isEqualTo(port);
      assertThat(alice.locator("#status")).hasText("online");
      Page carol = signIn("http://127.0.0.1:" + port, "carol");
      assertThat(carol.locator("#messages li .body")).hasText("written before the restart");
      assertThat(carol.locator("#presence li[data-user=alice]")).isVisible(); // alice rejoined
      alice.fill("#message-input", "and after it");
      alice.press("#message-input", "Enter");
      assertThat(carol.locator("#messages li .body"))
          .hasText(new String[] {"written before the restart", "and after it"});
      carol.context().close();
    }
    alice.context().close();
  }

  @Test
  void aPageKeptPastItsTokensLifeSignsInAgainUnderTheSameName() throws Exception {
    try (ChatApp app = start(0)) {
      Page alice = signIn("http://127.0.0.1:" + app.port(), "alice");
      alice.evaluate(
          "() => { const s = JSON.parse(sessionStorage.getItem('weft-chat'));"
              + " s.signedAt = 0; s.token = 'expired';"
              + " sessionStorage.setItem('weft-chat', JSON.stringify(s)); }");
      alice.reload();
      assertThat(alice.locator("#status")).hasText("online");
      assertThat(alice.locator("#me")).hasText("alice");
      alice.context().close();
    }
  }

  @Test
  void theDashboardShowsAKilledProcessComingBack() throws Exception {
    try (ChatApp app = start(0)) {
      String base = "http://127.0.0.1:" + app.port();
      Page page = watched(browser.newContext().newPage());
      page.navigate(base + "/dashboard");
      page.fill("#password", "not the password");
      page.click("button[type=submit]");
      assertThat(page.locator(".error")).hasText("Wrong password.");

      page.fill("#password", PASSWORD);
      page.click("button[type=submit]");
      assertThat(page.locator("#status")).hasText("live");
      var presence = page.locator("#tree li[data-child-id=presence]");
      assertThat(presence).isVisible();
      String before = presence.getAttribute("data-pid");
      assertThat(before).startsWith("<");
      assertThat(page.locator("#tree li[data-child-id=endpoint]")).isVisible();
      assertThat(page.locator("#tree li[data-child-id=jobs] li[data-child-id='queue:mentions']"))
          .isVisible();

      page.onDialog(dialog -> dialog.accept());
      presence.locator("> button.kill").click();
      assertThat(page.locator("#action-result")).hasText("kill " + before + ": done");
      assertThat(presence).not().hasAttribute("data-pid", before);
      assertThat(presence).hasAttribute("data-pid", java.util.regex.Pattern.compile("^<.+>$"));
      assertThat(app.node().isAlive(app.node().whereis(ChatApp.ROOT).orElseThrow())).isTrue();
      page.context().close();
    }
  }
}
