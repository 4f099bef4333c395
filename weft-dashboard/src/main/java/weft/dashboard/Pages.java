package weft.dashboard;

/** The dashboard's two HTML pages; everything live is drawn by {@code dashboard.js}. */
final class Pages {

  private Pages() {}

  static String login(String error) {
    String message = error == null ? "" : "<p class=\"error\" role=\"alert\">" + error + "</p>";
    return """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Weft dashboard: sign in</title>
    <link rel="stylesheet" href="/dashboard/assets/dashboard.css"></head>
    <body class="login"><form method="post" action="/dashboard/login">
    <h1>Weft dashboard</h1>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" autofocus required>
    <button type="submit">Sign in</button>
    %s
    </form></body></html>
    """
        .formatted(message);
  }

  static String dashboard(String socketToken) {
    return """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="socket-token" content="%s">
    <title>Weft dashboard</title>
    <link rel="stylesheet" href="/dashboard/assets/dashboard.css"></head>
    <body>
    <header><h1>Weft dashboard</h1><span id="node-name"></span>
    <span id="status" class="status offline">offline</span>
    <form method="post" action="/dashboard/logout"><button>Sign out</button></form></header>
    <main>
      <section id="node" class="card"><h2>Node</h2><dl id="node-stats"></dl></section>
      <section id="charts" class="card wide"><h2>Last minutes</h2><div id="chart-grid"></div></section>
      <section id="tree-card" class="card"><h2>Supervision tree</h2><ul id="tree" class="tree"></ul></section>
      <section class="card"><h2>Processes <span id="process-count"></span></h2>
        <h3>Longest mailboxes</h3><table id="by-mailbox"></table>
        <h3>Oldest</h3><table id="oldest"></table>
        <h3>Held a carrier without a yield point</h3><table id="long-schedules"></table></section>
      <section class="card"><h2>Sockets and channels</h2><p id="socket-counts"></p>
        <table id="channel-topics"></table></section>
      <section class="card"><h2>PubSub topics</h2><table id="pubsub"></table></section>
      <section id="jobs-card" class="card wide"><h2>Jobs</h2>
        <table id="job-queues"></table><h3>Latest jobs</h3><table id="recent-jobs"></table></section>
    </main>
    <p id="action-result" role="status"></p>
    <script src="/dashboard/js/phoenix.min.js"></script>
    <script src="/dashboard/assets/dashboard.js"></script>
    </body></html>
    """
        .formatted(socketToken);
  }
}
