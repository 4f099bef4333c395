package weft.examples.chat;

/**
 * Starts the chat on {@code PORT} (default 4000) with its data in {@code WEFT_DATA} (./data);
 * {@code --help} lists every setting, {@code --config=<file>} reads them from a properties file.
 */
public final class Main {

  private Main() {}

  /**
   * Runs the chat until the JVM is stopped ({@code SIGTERM} or {@code Ctrl-C} stop it in order).
   *
   * @param args {@code --config=<file>}, {@code --help}
   * @throws Exception if it cannot start
   */
  public static void main(String[] args) throws Exception {
    ChatApp app = ChatApp.run(args);
    System.out.println("Weft chat is running at http://localhost:" + app.port());
    if (app.dashboard().passwordGenerated()) {
      System.out.println(
          "Dashboard: http://localhost:"
              + app.port()
              + "/dashboard  password: "
              + app.dashboard().password()
              + "  (set WEFT_DASHBOARD_PASSWORD to choose one)");
    } else {
      System.out.println("Dashboard: http://localhost:" + app.port() + "/dashboard");
    }
    Thread.currentThread().join();
  }
}
