package weft.web.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.process.Node;
import weft.web.http.internal.ServerState;

/**
 * An HTTP/1.1 server on Netty: keep-alive and pipelining, limits on request size, idle timeout,
 * gzip, a request id on every response and an access log line per request (logger {@code
 * weft.web.access}). Each request runs in its own Weft process on the given node, so handlers may
 * block; Netty's event loops only decode and write.
 *
 * {@snippet :
 * HttpServer server = HttpServer.start(node, HttpConfig.port(4000), router);
 * // ...
 * server.stop(Duration.ofSeconds(10));
 * }
 *
 * <p>Transport: Linux epoll when it loads, NIO otherwise ({@link #transport()} says which).
 */
public final class HttpServer {

  private static final Logger LOG = LoggerFactory.getLogger("weft.web.http");

  private final ServerState state;
  private final EventLoopGroup group;
  private final Channel serverChannel;
  private final String transport;

  private HttpServer(
      ServerState state, EventLoopGroup group, Channel serverChannel, String transport) {
    this.state = state;
    this.group = group;
    this.serverChannel = serverChannel;
    this.transport = transport;
  }

  /**
   * Starts listening.
   *
   * @param node where request processes run
   * @param config address, port and limits
   * @param router the routes
   * @return the running server
   * @throws IllegalStateException if the address cannot be bound (the port is taken, say)
   */
  public static HttpServer start(Node node, HttpConfig config, Router router) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(router, "router");
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.eventLoopThreads(), io);
    ServerState state = new ServerState(node, router, config);
    try {
      Channel ch =
          new ServerBootstrap()
              .group(group)
              .channel(channelType)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(state)
              .bind(config.host(), config.port())
              .sync()
              .channel();
      String transport = epoll ? "epoll" : "nio";
      LOG.info("HTTP server listening on {} ({})", ch.localAddress(), transport);
      return new HttpServer(state, group, ch, transport);
    } catch (Exception e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException(
          "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The port listened on (useful with port 0).
   *
   * @return the port
   */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /**
   * Whether it still accepts connections (it has not been stopped).
   *
   * @return true while listening
   */
  public boolean isListening() {
    return serverChannel.isOpen();
  }

  /**
   * The request body bytes the server holds now over all connections (see {@link
   * HttpConfig#maxBufferedBodyBytes()}).
   *
   * @return the bytes
   */
  public long bufferedBodyBytes() {
    return state.bufferedBodyBytes();
  }

  /**
   * The I/O transport in use.
   *
   * @return {@code "epoll"} or {@code "nio"}
   */
  public String transport() {
    return transport;
  }

  /**
   * Stops gracefully: stops accepting connections, lets requests in flight finish (answering them
   * with {@code connection: close}) for up to {@code grace}, then closes every connection and stops
   * the I/O threads. Returns when done.
   *
   * @param grace how long requests in flight may take
   * @return whether every request in flight finished in time
   */
  public boolean stop(Duration grace) {
    state.startDraining();
    serverChannel.close().syncUninterruptibly();
    boolean drained = state.drain(grace);
    state.channels().close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    LOG.info("HTTP server on port {} stopped{}", port(), drained ? "" : " (requests cut short)");
    return drained;
  }
}
