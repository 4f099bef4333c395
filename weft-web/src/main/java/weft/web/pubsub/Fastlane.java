package weft.web.pubsub;

/**
 * A subscriber's direct delivery path: instead of a message to its process, a broadcast is handed
 * to this callback on the broadcasting thread. Sockets use it to write a broadcast to the client
 * without waking the channel process (Phoenix's fastlane).
 *
 * <p>Must be fast and must not block: queue the work (for example onto the connection's event loop)
 * and return. An exception is logged and the subscriber skipped.
 */
@FunctionalInterface
public interface Fastlane {

  /**
   * Delivers a broadcast.
   *
   * @param topic the topic
   * @param message the message
   */
  void deliver(String topic, Object message);
}
