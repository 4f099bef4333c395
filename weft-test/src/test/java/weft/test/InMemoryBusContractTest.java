package weft.test;

import weft.web.pubsub.InMemoryBus;
import weft.web.pubsub.spi.PubSubAdapter;

/** The in-memory bus passes the adapter contract: every node of a test on one bus. */
class InMemoryBusContractTest extends PubSubAdapterContract {

  private final InMemoryBus bus = new InMemoryBus();

  @Override
  protected PubSubAdapter newNode() {
    return bus.adapter();
  }
}
