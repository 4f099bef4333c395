package weft.web.channel;

import java.util.Map;
import java.util.Optional;

/**
 * What a channel knows and can do: its topic, the socket's assigns, and pushing and broadcasting.
 * Given to every {@link Channel} callback; use it from the channel's own process.
 */
public interface ChannelContext {

  /**
   * The joined topic.
   *
   * @return the topic, such as {@code room:lobby}
   */
  String topic();

  /**
   * The values the socket's {@code connect} assigned.
   *
   * @return the assigns
   */
  Map<String, Object> assigns();

  /**
   * One assign.
   *
   * @param <T> its type
   * @param key the key
   * @return the value, or empty
   */
  @SuppressWarnings("unchecked")
  default <T> Optional<T> assign(String key) {
    return Optional.ofNullable((T) assigns().get(key));
  }

  /**
   * The socket id given by {@code connect}, if any.
   *
   * @return the id
   */
  Optional<String> socketId();

  /**
   * Sends an event to this channel's client only.
   *
   * @param event the event
   * @param payload sent as JSON ({@code byte[]} as a binary frame)
   */
  void push(String event, Object payload);

  /**
   * Sends an event to every client that joined this topic, on every node.
   *
   * @param event the event
   * @param payload sent as JSON
   */
  void broadcast(String event, Object payload);

  /**
   * Sends an event to every client that joined this topic except this one.
   *
   * @param event the event
   * @param payload sent as JSON
   */
  void broadcastFrom(String event, Object payload);
}
