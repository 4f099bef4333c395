package weft.examples.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.json.JsonMapper;

/** What the chat's tests do as a client: sign in for a socket token. */
final class ChatClients {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ChatClients() {}

  /**
   * Signs in under a new name ({@code POST /api/session}) and returns the socket token.
   *
   * @param port the chat's port
   * @param name the name
   * @return the token
   * @throws Exception if the request fails or is refused
   */
  static String token(int port, String name) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/session"))
                  .header("content-type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("sign-in as " + name + " refused: " + r.body());
      }
      return JSON.readTree(r.body()).get("token").asString();
    }
  }
}
