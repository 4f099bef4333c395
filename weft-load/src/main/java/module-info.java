/**
 * Weft's load tool ({@code weft.load.Main}): several processes of Netty clients that open and join
 * Phoenix-protocol sockets against a server on loopback and measure it.
 */
module weft.load {
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.common;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires java.net.http;
  requires java.desktop;
  requires info.picocli;

  // picocli sets the command's options by reflection.
  opens weft.load to
      info.picocli;
}
