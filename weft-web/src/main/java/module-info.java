/**
 * Weft's web layer, Phoenix's counterpart: an HTTP server and router on Netty ({@link
 * weft.web.http}), sockets and channels over WebSocket and long-poll ({@link weft.web.channel}),
 * PubSub ({@link weft.web.pubsub}) with its adapter seam ({@link weft.web.pubsub.spi}), Presence
 * ({@link weft.web.presence}) and signed tokens ({@link weft.web.token}). The Java client is a
 * module of its own, {@code weft.client}.
 *
 * <p>Not exported: {@code http.internal} (the Netty pipeline), {@code channel.internal} (socket and
 * channel processes) and {@code transport} (the WebSocket and long-poll transports).
 */
module weft.web {
  requires transitive weft.core;
  // Channel payloads are Jackson trees (JsonNode) in the public API.
  requires transitive tools.jackson.databind;
  requires org.slf4j;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.common;
  requires io.netty.handler;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;

  exports weft.web.channel;
  exports weft.web.http;
  exports weft.web.presence;
  exports weft.web.pubsub;
  exports weft.web.pubsub.spi;
  exports weft.web.token;
}
