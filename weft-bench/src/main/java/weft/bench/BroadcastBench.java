package weft.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import weft.process.Node;
import weft.web.channel.Broadcast;
import weft.web.channel.ConnectResult;
import weft.web.channel.JoinResult;
import weft.web.channel.Socket;
import weft.web.http.HttpConfig;
import weft.web.http.HttpServer;
import weft.web.http.Router;
import weft.web.pubsub.PubSub;

/**
 * Broadcast to N WebSocket clients: the time from one broadcast until every client has received it,
 * through Weft's channels (PubSub fastlane, frame encoded once) and through a bare Netty WebSocket
 * server writing the same frame to every connection (the floor for this transport on this machine).
 * Clients are JDK WebSockets in the same JVM, on loopback; the figure is the median of rounds after
 * a warm-up. Writes {@code broadcast.csv}, {@code broadcast.json} and {@code broadcast.png}.
 *
 * <p>Arguments: the output directory, then the number of clients (default 2,000; one process holds
 * at most about 19,000 sockets here, and each connection uses two).
 */
public final class BroadcastBench {

  private static final int ROUNDS = 15;
  private static final String TOPIC = "bench:all";

  private BroadcastBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args output directory, client count
   * @throws Exception if it fails
   */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/results");
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    HttpClient http = HttpClient.newHttpClient();
    try {
      double weft = weft(http, clients);
      double netty = netty(http, clients);
      List<Result> results =
          List.of(
              new Result(
                  "broadcast to " + clients + " sockets",
                  "ms",
                  false,
                  weft,
                  netty,
                  "raw Netty WebSocket"));
      Reports.publish(out, "broadcast", results, clients + " loopback clients in the same JVM");
    } finally {
      http.shutdownNow();
    }
  }

  /** Counts frames received by all clients, one latch per round. */
  private static final class Receivers {
    final AtomicReference<CountDownLatch> round = new AtomicReference<>(new CountDownLatch(0));
    final List<WebSocket> sockets = new ArrayList<>();

    WebSocket.Listener listener(CountDownLatch joined) {
      return new WebSocket.Listener() {
        @Override
        public void onOpen(WebSocket ws) {
          ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
          if (last) {
            String s = data.toString();
            if (s.contains("phx_reply")) {
              joined.countDown();
            } else {
              round.get().countDown();
            }
          }
          ws.request(1);
          return null;
        }
      };
    }

    void connect(HttpClient http, String url, int n, boolean join) throws Exception {
      CountDownLatch joined = new CountDownLatch(join ? n : 0);
      for (int i = 0; i < n; i++) {
        WebSocket ws =
            http.newWebSocketBuilder()
                .buildAsync(URI.create(url), listener(joined))
                .get(30, TimeUnit.SECONDS);
        sockets.add(ws);
        if (join) {
          ws.sendText("[\"1\",\"1\",\"" + TOPIC + "\",\"phx_join\",{}]", true);
        }
      }
      if (!joined.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("clients did not all join");
      }
    }

    double measure(int n, Runnable broadcast) throws InterruptedException {
      double[] ms = new double[ROUNDS];
      for (int r = -2; r < ROUNDS; r++) {
        CountDownLatch latch = new CountDownLatch(n);
        round.set(latch);
        long t0 = System.nanoTime();
        broadcast.run();
        if (!latch.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("a broadcast did not reach every client");
        }
        if (r >= 0) {
          ms[r] = (System.nanoTime() - t0) / 1e6;
        }
      }
      Arrays.sort(ms);
      return ms[ROUNDS / 2];
    }

    void close() {
      sockets.forEach(WebSocket::abort);
    }
  }

  private static double weft(HttpClient http, int n) throws Exception {
    try (Node node = Node.start("bench-web")) {
      PubSub pubsub = PubSub.start("bench");
      Socket socket =
          Socket.builder(pubsub, (params, info) -> ConnectResult.ok(Map.of()))
              .channel(TOPIC, () -> (topic, params, ctx) -> JoinResult.ok(Map.of()))
              .build();
      HttpServer server =
          HttpServer.start(
              node, HttpConfig.port(0), Router.builder().socket("/socket", socket).build());
      Receivers receivers = new Receivers();
      try {
        receivers.connect(
            http, "ws://127.0.0.1:" + server.port() + "/socket/websocket?vsn=2.0.0", n, true);
        return receivers.measure(
            n,
            () ->
                pubsub.broadcast(
                    TOPIC, new Broadcast(TOPIC, "tick", Map.of("t", System.nanoTime()))));
      } finally {
        receivers.close();
        server.stop(Duration.ofSeconds(5));
      }
    }
  }

  private static double netty(HttpClient http, int n) throws Exception {
    boolean epoll = Epoll.isAvailable();
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    ChannelGroup all = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    try {
      Channel server =
          new ServerBootstrap()
              .group(group)
              .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      all.add(ch);
                      ch.pipeline()
                          .addLast(new HttpServerCodec())
                          .addLast(new HttpObjectAggregator(65536))
                          .addLast(new WebSocketServerProtocolHandler("/ws"))
                          .addLast(
                              new SimpleChannelInboundHandler<WebSocketFrame>() {
                                @Override
                                protected void channelRead0(
                                    ChannelHandlerContext ctx, WebSocketFrame f) {}
                              });
                    }
                  })
              .bind("127.0.0.1", 0)
              .sync()
              .channel();
      int port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
      Receivers receivers = new Receivers();
      try {
        receivers.connect(http, "ws://127.0.0.1:" + port + "/ws", n, false);
        return receivers.measure(
            n,
            () -> {
              String text =
                  "[null,null,\"" + TOPIC + "\",\"tick\",{\"t\":" + System.nanoTime() + "}]";
              all.writeAndFlush(new TextWebSocketFrame(text), ch -> ch.parent() != null);
            });
      } finally {
        receivers.close();
        server.close().sync();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
