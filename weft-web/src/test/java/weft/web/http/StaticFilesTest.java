package weft.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import weft.process.Node;

class StaticFilesTest {

  @TempDir Path dir;
  private final Node node = Node.start("static");
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    Path pub = Files.createDirectories(dir.resolve("public"));
    Files.writeString(pub.resolve("app.js"), "console.log(1)");
    Files.writeString(pub.resolve("index.html"), "<h1>home</h1>");
    Files.createDirectories(pub.resolve("css"));
    Files.writeString(pub.resolve("css/site.css"), "body{}");
    Files.writeString(dir.resolve("secret.txt"), "do not serve");
    Files.createSymbolicLink(pub.resolve("escape.txt"), dir.resolve("secret.txt"));
    server =
        HttpServer.start(
            node,
            HttpConfig.port(0),
            Router.builder()
                .get("/assets/*path", StaticFiles.serve(pub))
                .get("/packaged/*path", StaticFiles.resources("weft/testassets"))
                .build());
  }

  @AfterEach
  void stop() {
    server.stop(Duration.ofSeconds(2));
    node.close();
  }

  private RawHttp.Reply get(String path, String... headers) throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nhost: x\r\n");
      for (String h : headers) {
        req.append(h).append("\r\n");
      }
      raw.send(req.append("\r\n").toString());
      return raw.read();
    }
  }

  @Test
  void servesClassPathResourcesWithEtagsAndNothingOutsideTheRoot() throws Exception {
    RawHttp.Reply css = get("/packaged/css/site.css");
    assertThat(css.status()).isEqualTo(200);
    assertThat(css.body()).isEqualTo("body{color:red}\n");
    assertThat(css.headers()).containsEntry("content-type", "text/css; charset=utf-8");
    String etag = css.headers().get("etag");
    assertThat(get("/packaged/css/site.css", "if-none-match: " + etag).status()).isEqualTo(304);
    assertThat(get("/packaged/css/missing.css").status()).isEqualTo(404);
    assertThat(get("/packaged/css/").status()).isEqualTo(404);
    assertThat(get("/packaged/../testassets/css/site.css").status()).isEqualTo(404);
    assertThat(get("/packaged/%2e%2e/weft/testassets/css/site.css").status()).isEqualTo(404);
  }

  @Test
  void servesFilesWithTypeEtagAndLastModified() throws Exception {
    RawHttp.Reply js = get("/assets/app.js");
    assertThat(js.status()).isEqualTo(200);
    assertThat(js.body()).isEqualTo("console.log(1)");
    assertThat(js.headers()).containsEntry("content-type", "text/javascript; charset=utf-8");
    assertThat(js.headers()).containsKeys("etag", "last-modified");
    assertThat(get("/assets/css/site.css").headers())
        .containsEntry("content-type", "text/css; charset=utf-8");
    assertThat(get("/assets/").body()).isEqualTo("<h1>home</h1>");
  }

  @Test
  void conditionalRequestsGet304() throws Exception {
    RawHttp.Reply first = get("/assets/app.js");
    RawHttp.Reply again = get("/assets/app.js", "if-none-match: " + first.headers().get("etag"));
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    RawHttp.Reply since =
        get("/assets/app.js", "if-modified-since: " + first.headers().get("last-modified"));
    assertThat(since.status()).isEqualTo(304);
    assertThat(get("/assets/app.js", "if-none-match: W/\"other\"").status()).isEqualTo(200);
  }

  @Test
  void nothingOutsideTheDirectoryIsServed() throws Exception {
    for (String attack :
        new String[] {
          "/assets/../secret.txt", "/assets/%2e%2e/secret.txt", "/assets/css/..%2f..%2fsecret.txt",
          "/assets/escape.txt", "/assets/missing.js", "/assets/%00"
        }) {
      RawHttp.Reply r = get(attack);
      assertThat(r.status()).as(attack).isIn(400, 404);
      assertThat(r.body()).as(attack).doesNotContain("do not serve");
    }
  }
}
