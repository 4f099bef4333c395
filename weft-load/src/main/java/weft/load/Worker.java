package weft.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/*
 * Design: one load process, started by the coordinator (Main) with a slice of the users. One Netty
 * event loop carries every socket (the machine has two cores, and the server under test needs
 * them); frames are told apart by a scan for their event, not a JSON parse. It reports on stdout
 * (one line per report, see Main) and takes commands on stdin: "B <marker>" arms a broadcast
 * measurement (the receipt time of the first frame that carries the marker, per socket, on the
 * shared CLOCK_MONOTONIC that System.nanoTime reads on Linux, so the coordinator can subtract its
 * own send time), "Q" closes every socket and ends the process.
 */
/** A load process: opens and joins its users' sockets, counts frames, times broadcasts. */
public final class Worker {

  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

  private final URI url;
  private final URI sessionUrl;
  private final String topic;
  private final String prefix;
  private final int first;
  private final int count;
  private final double rate;
  private final InetSocketAddress source;
  private final PrintStream out;

  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicInteger joined = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private final Map<String, Integer> errors = new ConcurrentHashMap<>();
  private final AtomicLong presenceDiffs = new AtomicLong();
  private final AtomicLong presenceStates = new AtomicLong();
  private final AtomicLong frames = new AtomicLong();
  private final int[] diffsPerSocket;
  private final long[] received;
  private final AtomicInteger receivedCount = new AtomicInteger();
  private volatile String marker;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  private Worker(String[] args, PrintStream out) {
    this.url = URI.create(arg(args, "--url"));
    String session = arg(args, "--session-url");
    this.sessionUrl = session.isEmpty() ? null : URI.create(session);
    this.topic = arg(args, "--topic");
    this.prefix = arg(args, "--prefix");
    this.first = Integer.parseInt(arg(args, "--first"));
    this.count = Integer.parseInt(arg(args, "--count"));
    this.rate = Double.parseDouble(arg(args, "--rate"));
    this.source = new InetSocketAddress(arg(args, "--source"), 0);
    this.out = out;
    this.diffsPerSocket = new int[count];
    this.received = new long[count];
  }

  private static String arg(String[] args, String name) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    throw new IllegalArgumentException("missing " + name);
  }

  /**
   * Runs a load process (started by {@link Main}, not by hand).
   *
   * @param args {@code --url --session-url --topic --prefix --first --count --rate --source}
   * @throws Exception if it cannot run
   */
  public static void main(String[] args) throws Exception {
    new Worker(args, System.out).run();
  }

  private void run() throws Exception {
    boolean epoll = Epoll.isAvailable();
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
            .option(ChannelOption.TCP_NODELAY, true);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    Semaphore sessions = new Semaphore(32);
    Thread commands = Thread.ofPlatform().daemon().start(this::commands);
    var reporter = group.scheduleAtFixedRate(this::progress, 250, 250, TimeUnit.MILLISECONDS);
    var heartbeats =
        group.scheduleAtFixedRate(
            () -> channels.writeAndFlush(new TextWebSocketFrame(Frames.heartbeat())),
            25,
            25,
            TimeUnit.SECONDS);
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      // Paced: user i starts at i / rate seconds.
      long due = start + (long) (i * 1e9 / rate);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      int index = i;
      String name = prefix + (first + i);
      if (sessionUrl == null) {
        connect(bootstrap, index, null);
        continue;
      }
      sessions.acquire();
      HttpRequest req =
          HttpRequest.newBuilder(sessionUrl)
              .timeout(Duration.ofSeconds(30))
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"name\":" + Frames.quote(name) + "}"))
              .build();
      http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
          .whenComplete((resp, error) -> {
            sessions.release();
            Matcher m = error == null ? TOKEN.matcher(resp.body()) : null;
            if (m == null || resp.statusCode() != 200 || !m.find()) {
              failed.incrementAndGet();
              return;
            }
            connect(bootstrap, index, m.group(1));
          });
    }
    commands.join();
    reporter.cancel(false);
    heartbeats.cancel(false);
    channels.close().awaitUninterruptibly(30, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    progress();
    errors.forEach((e, n) -> System.err.println("socket errors: " + n + " x " + e));
    out.println("C");
    out.flush();
  }

  private void connect(Bootstrap bootstrap, int index, String token) {
    String query = "vsn=2.0.0" + (token == null ? "" : "&token=" + encode(token));
    URI ws = URI.create(url + (url.getQuery() == null ? "?" : "&") + query);
    int port = ws.getPort() > 0 ? ws.getPort() : 80;
    bootstrap
        .clone()
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                    .addLast(new HttpClientCodec())
                    .addLast(new HttpObjectAggregator(65536))
                    .addLast(
                        // A server in a join storm may take long to answer: wait up to 60 s
                        // (Netty's default is 10 s), and count what still fails.
                        new WebSocketClientProtocolHandler(
                            WebSocketClientProtocolConfig.newBuilder()
                                .webSocketUri(ws)
                                .version(WebSocketVersion.V13)
                                .maxFramePayloadLength(16 * 1024 * 1024)
                                .handshakeTimeoutMillis(60_000)
                                .build()))
                    .addLast(new Client(index));
              }
            })
        .connect(new InetSocketAddress(ws.getHost(), port), source)
        .addListener(f -> {
          if (!f.isSuccess()) {
            failed.incrementAndGet();
          }
        });
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The broadcasts the tool sends are smaller than this; a frame's event is in its first bytes. */
  private static final int SMALL_FRAME = 4096;

  private static final int HEAD_BYTES = 512;

  /** One socket: joins once the handshake is done, then counts what it receives. */
  private final class Client extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    private final int index;
    private boolean joinedHere;
    private boolean ended;

    Client(int index) {
      this.index = index;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        connected.incrementAndGet();
        channels.add(ctx.channel());
        ctx.writeAndFlush(new TextWebSocketFrame(Frames.join(topic)));
      } else if (evt
          == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
        end(true);
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
      frames.incrementAndGet();
      if (!joinedHere) {
        String text = frame.text();
        if (Frames.isJoinOk(text)) {
          joinedHere = true;
          joined.incrementAndGet();
          return;
        }
        if (Frames.isJoinError(text)) {
          end(true);
          ctx.close();
          return;
        }
      }
      // Once joined, a frame is never decoded whole: a presence_state to the N-th joiner holds N
      // presences, and decoding them all would make the load tool, not the server, the limit.
      ByteBuf content = frame.content();
      int length = content.readableBytes();
      String m = marker;
      if (m != null && received[index] == 0 && length <= SMALL_FRAME) {
        if (frame.text().contains(m)) {
          received[index] = System.nanoTime();
          receivedCount.incrementAndGet();
          return;
        }
      }
      String event =
          Frames.event(
              content.toString(
                  content.readerIndex(), Math.min(length, HEAD_BYTES), StandardCharsets.UTF_8));
      if ("presence_diff".equals(event)) {
        presenceDiffs.incrementAndGet();
        diffsPerSocket[index]++;
      } else if ("presence_state".equals(event)) {
        presenceStates.incrementAndGet();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      end(!joinedHere);
      closed.incrementAndGet();
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // Counted by kind and written to the process's log at the end: a socket lost to the load
      // tool itself (out of memory reading a large presence_state, say) must not pass for one
      // the server dropped.
      errors.merge(cause.getClass().getSimpleName() + ": " + cause.getMessage(), 1, Integer::sum);
      ctx.close();
    }

    private void end(boolean failure) {
      if (!ended) {
        ended = true;
        if (failure) {
          failed.incrementAndGet();
        }
      }
    }
  }

  /** {@code P connected joined failed closed presenceDiffs presenceStates frames maxDiffs}. */
  private void progress() {
    int max = 0;
    for (int d : diffsPerSocket) {
      max = Math.max(max, d);
    }
    out.println(
        "P "
            + connected.get()
            + " "
            + joined.get()
            + " "
            + failed.get()
            + " "
            + closed.get()
            + " "
            + presenceDiffs.get()
            + " "
            + presenceStates.get()
            + " "
            + frames.get()
            + " "
            + max);
    out.flush();
  }

  private void commands() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("B ")) {
          broadcast(line.substring(2).strip(), Duration.ofSeconds(30));
        } else if (line.equals("Q")) {
          return;
        }
      }
    } catch (Exception e) {
      e.printStackTrace();
    }
  }

  /** Arms a marker, waits until every joined socket has it (or the timeout), reports times. */
  private void broadcast(String m, Duration timeout) throws InterruptedException {
    Arrays.fill(received, 0);
    receivedCount.set(0);
    marker = m;
    out.println("A " + m); // armed: the coordinator sends only after every worker says so
    out.flush();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (receivedCount.get() < joined.get() && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    marker = null;
    StringBuilder line = new StringBuilder("R ").append(m).append(' ').append(joined.get());
    for (long t : received) {
      if (t != 0) {
        line.append(' ').append(t);
      }
    }
    out.println(line);
    out.flush();
  }
}
