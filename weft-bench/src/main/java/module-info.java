/** Weft's benchmarks, with their baselines (bare virtual threads, bare Netty, the BEAM, C). */
module weft.bench {
  requires weft.web;
  requires weft.jobs;
  requires weft.examples.chat;
  requires io.netty.buffer;
  requires io.netty.codec.http;
  requires io.netty.common;
  requires io.netty.handler;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires io.netty.codec;
  requires java.desktop;
  requires java.management;
  requires java.net.http;
}
