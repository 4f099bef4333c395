package weft.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import weft.examples.chat.ChatApp;
import weft.process.Node;
import weft.web.http.HttpConfig;
import weft.web.http.HttpServer;
import weft.web.http.Response;
import weft.web.http.Router;

/**
 * Request/response over HTTP/1.1 keep-alive, loaded by {@code wrk} (another process; installed with
 * apt-get when missing and this runs as root): a small JSON route on Weft's router (one process per
 * request) against a bare Netty server answering the same bytes, in the same run, rounds
 * alternating A B A B; then the chat's {@code GET /health} and {@code POST /api/session} (a new
 * user per request: a token signed and a row written to SQLite), beside the same bare Netty figure.
 * Reports requests/s (median of the rounds), latency p50 and p99 (wrk's, of the median round) and
 * the ratios.
 */
public final class HttpBench {

  private static final String JSON = "{\"message\":\"Hello, World!\"}";
  private static final int CONNECTIONS = 64;
  private static final int ROUNDS = 3;
  private static final AtomicInteger RUNS = new AtomicInteger();

  private HttpBench() {}

  /** One wrk run. */
  record Run(double requestsPerSecond, double p50Ms, double p99Ms, long errors) {}

  /**
   * Runs the benchmark.
   *
   * @param args output directory, then seconds per round (default 10)
   * @throws Exception if wrk is missing and cannot be installed, or a server fails
   */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/results");
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    String wrk = wrk();
    Path scripts = Files.createTempDirectory("weft-http-bench");
    Path signIn = scripts.resolve("session.lua");
    Files.writeString(signIn, SIGN_IN);
    Node node = Node.start("http-bench");
    HttpServer weft =
        HttpServer.start(
            node,
            HttpConfig.port(0),
            Router.builder()
                .get("/json", req -> Response.json(Map.of("message", "Hello, World!")))
                .build());
    Netty netty = Netty.start();
    Path data = Files.createTempDirectory("weft-http-bench-chat");
    List<Result> results = new ArrayList<>();
    try (ChatApp chat = ChatApp.start(0, data, "http-bench")) {
      String weftUrl = "http://127.0.0.1:" + weft.port() + "/json";
      String nettyUrl = "http://127.0.0.1:" + netty.port() + "/json";
      // Warm both up (JIT), then alternate.
      wrk(wrk, weftUrl, 3, null);
      wrk(wrk, nettyUrl, 3, null);
      List<Run> weftRuns = new ArrayList<>();
      List<Run> nettyRuns = new ArrayList<>();
      for (int r = 0; r < ROUNDS; r++) {
        weftRuns.add(wrk(wrk, weftUrl, seconds, null));
        nettyRuns.add(wrk(wrk, nettyUrl, seconds, null));
      }
      String chatBase = "http://127.0.0.1:" + chat.port();
      wrk(wrk, chatBase + "/health", 3, null);
      List<Run> health = new ArrayList<>();
      List<Run> session = new ArrayList<>();
      for (int r = 0; r < ROUNDS; r++) {
        health.add(wrk(wrk, chatBase + "/health", seconds, null));
        session.add(wrk(wrk, chatBase + "/api/session", seconds, signIn));
      }
      Run w = median(weftRuns);
      Run n = median(nettyRuns);
      Run h = median(health);
      Run s = median(session);
      String nettyName = "bare Netty, same bytes";
      results.add(
          new Result(
              "GET /json req/s",
              "req/s",
              true,
              w.requestsPerSecond(),
              n.requestsPerSecond(),
              nettyName));
      results.add(new Result("GET /json p50", "ms", false, w.p50Ms(), n.p50Ms(), nettyName));
      results.add(new Result("GET /json p99", "ms", false, w.p99Ms(), n.p99Ms(), nettyName));
      results.add(
          new Result(
              "chat GET /health req/s",
              "req/s",
              true,
              h.requestsPerSecond(),
              n.requestsPerSecond(),
              nettyName + " /json"));
      results.add(
          new Result(
              "chat GET /health p99", "ms", false, h.p99Ms(), n.p99Ms(), nettyName + " /json"));
      results.add(
          new Result(
              "chat POST /api/session req/s",
              "req/s",
              true,
              s.requestsPerSecond(),
              n.requestsPerSecond(),
              nettyName + " /json"));
      results.add(
          new Result(
              "chat POST /api/session p99",
              "ms",
              false,
              s.p99Ms(),
              n.p99Ms(),
              nettyName + " /json"));
      long errors = w.errors() + h.errors() + s.errors();
      String context =
          String.format(
              Locale.ROOT,
              "wrk -t2 -c%d, %d s rounds x %d alternating, keep-alive, loopback; non-2xx or"
                  + " socket errors in the median rounds: %d",
              CONNECTIONS,
              seconds,
              ROUNDS,
              errors);
      Reports.publish(out, "http", results, context);
    } finally {
      weft.stop(Duration.ofSeconds(5));
      netty.stop();
      node.close();
      deleteTree(scripts);
      deleteTree(data);
    }
  }

  /** Removes a temporary directory and what it holds. */
  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Each request signs in a new user: {@code r<run>t<thread>x<n>} (a name taken is refused). */
  private static final String SIGN_IN =
      """
      local counter = 0
      local threads = 0
      function setup(thread)
        threads = threads + 1
        thread:set("id", threads)
      end
      function init(args)
        run = args[1]
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
      end
      function request()
        counter = counter + 1
        return wrk.format(nil, nil, nil,
          '{"name":"r' .. run .. 't' .. id .. 'x' .. counter .. '"}')
      end
      """;

  private static Run median(List<Run> runs) {
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort((a, b) -> Double.compare(a.requestsPerSecond(), b.requestsPerSecond()));
    return sorted.get(sorted.size() / 2);
  }

  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern P50 = Pattern.compile("\\s50%\\s+([0-9.]+)(us|ms|s)");
  private static final Pattern P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  static Run parse(String output) {
    Matcher rps = RPS.matcher(output);
    Matcher p50 = P50.matcher(output);
    Matcher p99 = P99.matcher(output);
    if (!rps.find() || !p50.find() || !p99.find()) {
      throw new IllegalStateException("unexpected wrk output:\n" + output);
    }
    long errors = 0;
    Matcher bad = NON_2XX.matcher(output);
    if (bad.find()) {
      errors += Long.parseLong(bad.group(1));
    }
    Matcher socket = SOCKET_ERRORS.matcher(output);
    if (socket.find()) {
      for (int g = 1; g <= 4; g++) {
        errors += Long.parseLong(socket.group(g));
      }
    }
    return new Run(Double.parseDouble(rps.group(1)), ms(p50), ms(p99), errors);
  }

  private static double ms(Matcher m) {
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
  }

  private static Run wrk(String wrk, String url, int seconds, Path script)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            Arrays.asList(
                wrk,
                "-t2",
                "-c" + CONNECTIONS,
                "-d" + seconds + "s",
                "--latency",
                "--timeout",
                "5s"));
    if (script != null) {
      command.add("-s");
      command.add(script.toString());
    }
    command.add(url);
    if (script != null) {
      command.add("--");
      command.add(Integer.toString(RUNS.incrementAndGet()));
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("wrk failed on " + url + ":\n" + output);
    }
    Run run = parse(output);
    System.out.printf(
        Locale.ROOT,
        "%-45s %10.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d%n",
        url.replaceFirst("http://127.0.0.1:\\d+", ""),
        run.requestsPerSecond(),
        run.p50Ms(),
        run.p99Ms(),
        run.errors());
    return run;
  }

  /** wrk on the PATH, installed from Debian first when missing and possible. */
  private static String wrk() throws IOException, InterruptedException {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "wrk"))) {
        return Path.of(dir, "wrk").toString();
      }
    }
    if (Files.isExecutable(Path.of("/usr/bin/apt-get"))
        && "root".equals(System.getProperty("user.name"))) {
      System.out.println("wrk is missing: installing it with apt-get");
      Process p = new ProcessBuilder("apt-get", "install", "-y", "-qq", "wrk").inheritIO().start();
      if (p.waitFor() == 0 && Files.isExecutable(Path.of("/usr/bin/wrk"))) {
        return "/usr/bin/wrk";
      }
    }
    throw new IllegalStateException(
        "wrk is not installed and could not be installed: apt-get install wrk, then run again");
  }

  /** A bare Netty HTTP/1.1 server answering every request with the same JSON bytes, keep-alive. */
  static final class Netty {
    private final EventLoopGroup group;
    private final Channel channel;

    private Netty(EventLoopGroup group, Channel channel) {
      this.group = group;
      this.channel = channel;
    }

    static Netty start() throws InterruptedException {
      boolean epoll = Epoll.isAvailable();
      EventLoopGroup group =
          new MultiThreadIoEventLoopGroup(
              Runtime.getRuntime().availableProcessors(),
              epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
      Class<? extends ServerChannel> type =
          epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
      byte[] body = JSON.getBytes(StandardCharsets.UTF_8);
      Channel ch =
          new ServerBootstrap()
              .group(group)
              .channel(type)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                      c.pipeline()
                          .addLast(new HttpServerCodec())
                          .addLast(new HttpObjectAggregator(1 << 20))
                          .addLast(
                              new SimpleChannelInboundHandler<FullHttpRequest>() {
                                @Override
                                public void exceptionCaught(
                                    ChannelHandlerContext ctx, Throwable cause) {
                                  ctx.close(); // wrk resets its connections when it ends
                                }

                                @Override
                                protected void channelRead0(
                                    ChannelHandlerContext ctx, FullHttpRequest req) {
                                  ByteBuf content = Unpooled.wrappedBuffer(body);
                                  FullHttpResponse res =
                                      new DefaultFullHttpResponse(
                                          HttpVersion.HTTP_1_1, HttpResponseStatus.OK, content);
                                  res.headers()
                                      .set(
                                          HttpHeaderNames.CONTENT_TYPE,
                                          HttpHeaderValues.APPLICATION_JSON)
                                      .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                                  boolean keepAlive = HttpUtil.isKeepAlive(req);
                                  if (keepAlive) {
                                    ctx.writeAndFlush(res);
                                  } else {
                                    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
                                  }
                                }
                              });
                    }
                  })
              .bind("127.0.0.1", 0)
              .sync()
              .channel();
      return new Netty(group, ch);
    }

    int port() {
      return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    void stop() {
      channel.close().syncUninterruptibly();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
