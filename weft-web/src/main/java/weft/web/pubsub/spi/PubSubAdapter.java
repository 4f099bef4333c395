package weft.web.pubsub.spi;

/**
 * Carries broadcasts between nodes: the seam a cluster engine (Redis, NATS, PostgreSQL) plugs into,
 * as Phoenix.PubSub's adapters. The local PubSub encodes every broadcast once into an {@link
 * Envelope} and hands it to its adapter; the adapter delivers to {@link Receiver} what the other
 * nodes sent. A single node needs no adapter.
 *
 * <p>What an implementation must do (weft-test's {@code PubSubAdapterContract} checks it):
 *
 * <ul>
 *   <li>deliver each envelope {@linkplain #publish published} by a node to every other started node
 *       once, and not to the node that published it;
 *   <li>keep the order of one node's envelopes on one topic;
 *   <li>carry the bytes unchanged (use {@link Envelope#toBytes()} and {@link
 *       Envelope#fromBytes(byte[])} on the wire);
 *   <li>never block the caller of {@link #publish} for long: queue and return (an engine that is
 *       down must not stall a channel process); what cannot be sent is dropped and logged, as
 *       Phoenix.PubSub's delivery is at most once;
 *   <li>be thread-safe; call the receiver from any thread, one envelope at a time per topic.
 * </ul>
 */
public interface PubSubAdapter {

  /** Where an adapter delivers what other nodes broadcast. */
  @FunctionalInterface
  interface Receiver {
    /**
     * Delivers an envelope from another node to this node's subscribers. Does not block; a
     * malformed or unknown message is logged and dropped by the receiver.
     *
     * @param envelope the envelope
     */
    void deliver(Envelope envelope);
  }

  /**
   * Starts the adapter for one node.
   *
   * @param nodeId a name unique in the cluster, the {@link Envelope#origin()} of what it publishes
   * @param receiver where to deliver what the other nodes publish
   * @throws IllegalArgumentException if another node with this id is on the same cluster and the
   *     engine can tell
   */
  void start(String nodeId, Receiver receiver);

  /**
   * Sends an envelope to the other nodes.
   *
   * @param envelope the envelope; its origin is this node's id
   */
  void publish(Envelope envelope);

  /** Stops the adapter: nothing more is delivered to its receiver. Idempotent. */
  void stop();
}
