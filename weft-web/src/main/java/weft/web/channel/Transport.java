package weft.web.channel;

/**
 * The outgoing half of a connection to a client (Phoenix's {@code Phoenix.Socket.Transport}): where
 * a socket's frames go. Weft's own are the WebSocket and long-poll transports; a test or another
 * protocol brings its own and serves it with {@link Socket#serve}. The incoming half is the {@link
 * TransportEvent}s the transport sends to the socket process.
 *
 * <p>Implementations must be thread-safe (the socket process, its channel processes and PubSub
 * fastlanes all write) and must not block: queue the bytes and return. A transport that cannot keep
 * up closes itself rather than buffer without bound.
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
