package weft.web.channel.internal;

import weft.process.Pid;
import weft.web.channel.Broadcast;
import weft.web.channel.Frame;

/** The messages between a socket process and its channel processes. */
final class Messages {

  private Messages() {}

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
