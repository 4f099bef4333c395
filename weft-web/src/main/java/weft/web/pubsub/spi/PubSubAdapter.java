package weft.web.pubsub.spi;

/**
 * Carries broadcasts between nodes. The local PubSub hands every non-local broadcast to its
 * adapter, and delivers locally what the adapter receives from other nodes. A single node needs
 * none; a cluster uses one backed by a shared engine (Redis, PostgreSQL), never a home-made
 * protocol.
 *
 * <p>Implementations must be thread-safe; {@link #publish} must not block for long (queue and
 * return).
 */
public interface PubSubAdapter {

  /** Where an adapter delivers what other nodes broadcast. */
  @FunctionalInterface
  interface Receiver {
    /**
     * Delivers a broadcast from another node to this node's subscribers.
     *
     * @param topic the topic
     * @param message the message
     */
    void deliver(String topic, Object message);
  }

  /**
   * Starts the adapter for one node.
   *
   * @param nodeId a name unique in the cluster, so that a node ignores its own broadcasts
   * @param receiver where to deliver broadcasts from other nodes
   */
  void start(String nodeId, Receiver receiver);

  /**
   * Sends a broadcast to the other nodes.
   *
   * @param topic the topic
   * @param message the message (must be serialisable by the adapter)
   */
  void publish(String topic, Object message);

  /** Stops the adapter. */
  void stop();
}
