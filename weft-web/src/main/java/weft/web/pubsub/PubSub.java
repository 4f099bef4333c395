package weft.web.pubsub;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.process.Pid;
import weft.process.Process;
import weft.registry.Registry;
import weft.web.pubsub.spi.Envelope;
import weft.web.pubsub.spi.PubSubAdapter;

/**
 * Publish-subscribe by topic, as Phoenix.PubSub: processes subscribe to topics, and a broadcast
 * reaches every subscriber of its topic, on this node and (through the {@link PubSubAdapter}) on
 * the others. Subscriptions vanish when their process ends.
 *
 * {@snippet :
 * PubSub pubsub = PubSub.start("app");           // PubSub.start("app", adapter) joins nodes
 * // in a process:
 * pubsub.subscribe("room:lobby");
 * pubsub.broadcast("room:lobby", new NewMessage("hi"));
 * NewMessage m = Process.receive(NewMessage.class);
 * }
 *
 * <h2>Delivery</h2>
 *
 * A subscriber gets the message itself in its mailbox, or, if it subscribed with a {@link
 * Fastlane}, a call to the fastlane. Order is kept per broadcaster and topic. Delivery is at most
 * once: a subscriber that ends misses what follows.
 *
 * <h2>Between nodes</h2>
 *
 * With an adapter, each broadcast is encoded once by its type's {@link MessageCodec} into an {@link
 * Envelope} for all the other nodes, which decode it once and deliver it to their own subscribers.
 * Every type broadcast must have a codec ({@link #register}); local delivery needs none.
 *
 * <h2>Design</h2>
 *
 * Subscriptions are a {@link Registry} with duplicate keys (topic to subscriber, the value its
 * fastlane or none), partitioned by subscriber, as Phoenix.PubSub is built on Elixir's Registry:
 * subscribing and unsubscribing on one busy topic do not contend on one lock, and a subscription
 * vanishes with its process before its monitors hear of the death. A broadcast walks its topic's
 * entries on the caller's thread, without copying them, and never waits on a subscriber.
 */
public final class PubSub {

  private static final Logger LOG = LoggerFactory.getLogger(PubSub.class);

  /** The value of a subscription without a fastlane: the message goes to the process. */
  private static final Object MAILBOX = new Object();

  private final String name;
  private final PubSubAdapter adapter;
  private final Registry subscriptions;
  // What crosses nodes: codecs by class (to send) and by wire type (to receive).
  private final Map<Class<?>, MessageCodec<?>> codecsByClass = new ConcurrentHashMap<>();
  private final Map<String, MessageCodec<?>> codecsByType = new ConcurrentHashMap<>();
  private final Set<String> unknownTypes = ConcurrentHashMap.newKeySet();

  private PubSub(String name, int partitions, PubSubAdapter adapter) {
    this.name = name;
    this.adapter = adapter;
    this.subscriptions = Registry.duplicate(partitions);
    register(TEXT);
  }

  /** Text crosses nodes as UTF-8 ({@code weft.text}): every PubSub knows it. */
  private static final MessageCodec<String> TEXT =
      new MessageCodec<>(
          "weft.text",
          String.class,
          t -> t.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          b -> new String(b, java.nio.charset.StandardCharsets.UTF_8));

  /**
   * Starts a PubSub for a single node (no adapter: broadcasts stay in this JVM).
   *
   * @param name the node's id (unique per node)
   * @return the PubSub
   */
  public static PubSub start(String name) {
    return create(name, null);
  }

  /**
   * Starts a PubSub for this node, joined to the others by an adapter.
   *
   * @param name the node's id in the cluster (unique per node)
   * @param adapter carries broadcasts to other nodes
   * @return the PubSub
   * @throws NullPointerException if the adapter is null (use {@link #start(String)})
   */
  public static PubSub start(String name, PubSubAdapter adapter) {
    return create(name, Objects.requireNonNull(adapter, "adapter (PubSub.start(name) for none)"));
  }

  private static PubSub create(String name, PubSubAdapter adapter) {
    PubSub p =
        new PubSub(
            Objects.requireNonNull(name, "name"),
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            adapter);
    if (adapter != null) {
      adapter.start(name, p::receive);
    }
    return p;
  }

  /**
   * The node id given at start.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Subscribes the calling process to a topic; subscribing twice is the same as once.
   *
   * @param topic the topic
   */
  public void subscribe(String topic) {
    subscribe(Process.self(), topic);
  }

  /**
   * Subscribes a process to a topic: broadcasts go to its mailbox. The subscription ends when the
   * process ends; subscribing again replaces the earlier subscription (a fastlane included).
   *
   * @param pid the subscriber
   * @param topic the topic
   */
  public void subscribe(Pid pid, String topic) {
    Objects.requireNonNull(topic, "topic");
    subscriptions.put(pid, topic, MAILBOX);
  }

  /**
   * Subscribes a process to a topic with a fastlane for direct delivery: broadcasts are handed to
   * it on the broadcasting thread instead of the process's mailbox.
   *
   * @param pid the subscriber
   * @param topic the topic
   * @param fastlane the direct delivery
   */
  public void subscribe(Pid pid, String topic, Fastlane fastlane) {
    Objects.requireNonNull(topic, "topic");
    subscriptions.put(pid, topic, Objects.requireNonNull(fastlane, "fastlane"));
  }

  /**
   * Unsubscribes the calling process from a topic.
   *
   * @param topic the topic
   */
  public void unsubscribe(String topic) {
    unsubscribe(Process.self(), topic);
  }

  /**
   * Unsubscribes a process from a topic; nothing happens if it was not subscribed.
   *
   * @param pid the subscriber
   * @param topic the topic
   */
  public void unsubscribe(Pid pid, String topic) {
    subscriptions.unregister(pid, topic);
  }

  /**
   * Registers how a type of message crosses between nodes. Needed, with an adapter, for every type
   * this node broadcasts; channel broadcasts and presence register their own. Registering the same
   * type and class again does nothing.
   *
   * @param codec the codec
   * @throws IllegalArgumentException if the wire type or the class already has another codec
   */
  public void register(MessageCodec<?> codec) {
    Objects.requireNonNull(codec, "codec");
    if (codecsByClass.get(codec.javaType()) == codec) {
      return; // the common case (every Socket.broadcast): no lock
    }
    synchronized (codecsByType) {
      MessageCodec<?> byType = codecsByType.get(codec.type());
      MessageCodec<?> byClass = codecsByClass.get(codec.javaType());
      if (byType == null && byClass == null) {
        codecsByType.put(codec.type(), codec);
        codecsByClass.put(codec.javaType(), codec);
        return;
      }
      if (byType != null
          && byType.javaType() == codec.javaType()
          && byClass != null
          && byClass.type().equals(codec.type())) {
        return;
      }
      throw new IllegalArgumentException(
          "codec "
              + codec.type()
              + " for "
              + codec.javaType().getName()
              + " clashes with "
              + (byType != null ? byType : byClass));
    }
  }

  /**
   * Sends a message to every subscriber of the topic, on every node.
   *
   * @param topic the topic
   * @param message the message
   * @throws IllegalArgumentException if other nodes are joined and no codec is {@linkplain
   *     #register registered} for the message's class (nothing is delivered)
   */
  public void broadcast(String topic, Object message) {
    Envelope out = envelope(topic, message);
    localBroadcast(topic, message);
    publish(out);
  }

  /**
   * Sends a message to every subscriber of the topic on every node except {@code from} (the
   * sender's own subscription is skipped on this node).
   *
   * @param from the process not to deliver to
   * @param topic the topic
   * @param message the message
   * @throws IllegalArgumentException as {@link #broadcast}
   */
  public void broadcastFrom(Pid from, String topic, Object message) {
    Envelope out = envelope(topic, message);
    dispatch(topic, message, from);
    publish(out);
  }

  /** The message encoded once for all other nodes, or null on a single node. */
  private Envelope envelope(String topic, Object message) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(message, "message");
    if (adapter == null) {
      return null;
    }
    MessageCodec<?> codec = codecsByClass.get(message.getClass());
    if (codec == null) {
      throw new IllegalArgumentException(
          "no codec for "
              + message.getClass().getName()
              + " to send it to other nodes; register one with PubSub.register"
              + " (MessageCodec.json for records)");
    }
    return new Envelope(name, topic, codec.type(), codec.encodeUnchecked(message));
  }

  private void publish(Envelope out) {
    if (out == null) {
      return;
    }
    try {
      adapter.publish(out);
    } catch (RuntimeException e) {
      LOG.warn(
          "PubSub {}: the adapter refused a broadcast on {}: {}", name, out.topic(), e.toString());
    }
  }

  /** What the adapter received from another node: decoded once, delivered to this node. */
  private void receive(Envelope in) {
    if (in.origin().equals(name)) {
      return; // our own, echoed by the engine
    }
    MessageCodec<?> codec = codecsByType.get(in.type());
    if (codec == null) {
      if (unknownTypes.add(in.type())) {
        LOG.warn(
            "PubSub {}: no codec for message type {} from node {}; dropping such messages",
            name,
            in.type(),
            in.origin());
      }
      return;
    }
    Object message;
    try {
      message = codec.decoder().apply(in.body());
    } catch (RuntimeException e) {
      LOG.warn(
          "PubSub {}: a {} from node {} could not be read: {}",
          name,
          in.type(),
          in.origin(),
          e.toString());
      return;
    }
    if (message == null) {
      LOG.warn("PubSub {}: the {} codec decoded nothing; dropped", name, in.type());
      return;
    }
    localBroadcast(in.topic(), message);
  }

  /**
   * Sends a message to the subscribers on this node only.
   *
   * @param topic the topic
   * @param message the message
   */
  public void localBroadcast(String topic, Object message) {
    dispatch(topic, message, null);
  }

  private void dispatch(String topic, Object message, Pid except) {
    Objects.requireNonNull(message, "message");
    subscriptions.dispatch(
        topic,
        (pid, lane) -> {
          if (pid.equals(except)) {
            return;
          }
          if (lane == MAILBOX) {
            Process.send(pid, message);
            return;
          }
          try {
            ((Fastlane) lane).deliver(topic, message);
          } catch (RuntimeException e) {
            LOG.warn("fastlane of {} failed on topic {}: {}", pid, topic, e.toString());
          }
        });
  }

  /**
   * The number of subscribers to a topic on this node.
   *
   * @param topic the topic
   * @return the count
   */
  public int subscriberCount(String topic) {
    return subscriptions.count(topic);
  }

  /**
   * Every topic with subscribers on this node, with their counts (for dashboards).
   *
   * @return topic to count
   */
  public Map<String, Integer> topics() {
    Map<String, Integer> out = new HashMap<>();
    subscriptions.keyCounts().forEach((topic, n) -> out.put((String) topic, n));
    return out;
  }

  /** Stops the adapter; local subscriptions stay usable. */
  public void stop() {
    if (adapter != null) {
      adapter.stop();
    }
  }
}
