package weft.web.channel.internal;

import weft.process.Pid;
import weft.web.channel.Frame;

/** The messages between a socket's transport, its socket process and its channel processes. */
final class Messages {

  private Messages() {}

  /** A frame from the client, to the socket process. */
  record Inbound(Frame frame) {}

  /** The client is still there (it polled). */
  record Activity() {}

  /** The client sent something that is not a valid frame. */
  record Malformed(String reason) {}

  /** The connection is gone. */
  record TransportClosed() {}

  /** To the socket process: the channel joined successfully. */
  record Joined(String topic, String joinRef, Pid channel) {}

  /** To a channel process: a push from its client. */
  record In(Frame frame) {}

  /** To a channel process: the client leaves (reply to {@code ref}, then close). */
  record Leave(String ref) {}

  /** To a channel process: a newer join of the same topic replaces it. */
  record Replaced() {}

  /** To a channel process: an intercepted broadcast for {@code handleOut}. */
  record Out(Broadcast broadcast) {}

  /** To a socket process: {@code disconnect} was broadcast to its id. */
  record Disconnect() {}
}
