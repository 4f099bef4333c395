package weft.web.pubsub;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import weft.web.pubsub.spi.Envelope;
import weft.web.pubsub.spi.PubSubAdapter;

/**
 * Joins the PubSubs of several nodes in one JVM, for tests and simulations: each node gets an
 * adapter from {@link #adapter()}, and a broadcast on one reaches the subscribers of all. Delivery
 * is synchronous and in order. Each envelope goes through its wire form ({@link Envelope#toBytes()}
 * and back) for every node, so that tests with several nodes in one JVM exercise the codecs as a
 * real cluster would.
 */
public final class InMemoryBus {

  private final Map<String, PubSubAdapter.Receiver> nodes = new ConcurrentHashMap<>();

  /** Creates an empty bus. */
  public InMemoryBus() {}

  /**
   * A new adapter on this bus, for one node.
   *
   * @return the adapter
   */
  public PubSubAdapter adapter() {
    return new PubSubAdapter() {
      private volatile String self;
      private volatile Receiver mine;

      @Override
      public void start(String nodeId, Receiver receiver) {
        if (nodes.putIfAbsent(nodeId, receiver) != null) {
          throw new IllegalArgumentException("node " + nodeId + " is already on this bus");
        }
        self = nodeId;
        mine = receiver;
      }

      @Override
      public void publish(Envelope envelope) {
        byte[] wire = envelope.toBytes();
        nodes.forEach((id, receiver) -> {
          if (!id.equals(self)) {
            try {
              receiver.deliver(Envelope.fromBytes(wire));
            } catch (RuntimeException e) {
              // As a real engine: one node's failure does not keep the others from the message.
              org.slf4j.LoggerFactory.getLogger(InMemoryBus.class)
                  .warn("node {} failed to take a broadcast: {}", id, e.toString());
            }
          }
        });
      }

      @Override
      public void stop() {
        if (self != null) {
          nodes.remove(self, mine); // not a newer node that reuses the id
        }
      }
    };
  }
}
