package weft.web.channel.internal;

import weft.web.channel.Frame;

/**
 * Where a socket's frames go: a WebSocket connection or a long-poll session. Thread-safe: the
 * socket process, its channel processes and PubSub fastlanes all write.
 */
public interface Transport {

  /**
   * Sends a frame, encoded by the transport's serializer.
   *
   * @param frame the frame
   */
  void send(Frame frame);

  /**
   * Sends a broadcast, encoded once for all the connections that receive it.
   *
   * @param broadcast the broadcast
   */
  void send(Broadcast broadcast);

  /**
   * Says that frames this transport handed to the socket process have been handled (by the socket
   * process or a channel), or dropped. A transport stops reading from its client while too many are
   * waiting, so a client that pushes faster than its pushes are handled cannot fill the heap: TCP
   * holds it back.
   *
   * @param frames how many
   */
  default void handled(int frames) {}

  /**
   * Closes the connection.
   *
   * @param code the WebSocket close code
   * @param reason a short reason
   */
  void close(int code, String reason);
}
