package weft.web.channel;

import java.util.Set;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import weft.process.ExitReason;

/**
 * A channel, as in Phoenix: one instance per joined topic per client, running in its own process,
 * so its fields are its state and need no locks.
 *
 * <table>
 *   <caption>What drives each callback</caption>
 *   <tr><th>client or server</th><th>callback</th></tr>
 *   <tr><td>{@code channel.join()}</td><td>{@link #join}</td></tr>
 *   <tr><td>{@code channel.push(event, payload)}</td><td>{@link #handleIn}</td></tr>
 *   <tr><td>a message to the channel's process</td><td>{@link #handleInfo}</td></tr>
 *   <tr><td>a broadcast of an event in {@link #intercepts()}</td><td>{@link #handleOut}</td></tr>
 *   <tr><td>leave, a stop result, a crash, the socket closing</td><td>{@link #terminate}</td></tr>
 * </table>
 *
 * {@snippet :
 * final class RoomChannel implements Channel {
 *   public JoinResult join(String topic, JsonNode params, ChannelContext ctx) {
 *     return JoinResult.ok(Map.of("messages", history(topic)));
 *   }
 *
 *   public InResult handleIn(String event, Frame.Payload payload, ChannelContext ctx) {
 *     return switch (event) {
 *       case "new_msg" -> {
 *         ctx.broadcast("new_msg", payload);
 *         yield InResult.reply(Map.of());
 *       }
 *       default -> InResult.replyError(Map.of("reason", "unknown event"));
 *     };
 *   }
 * }
 * }
 *
 * <p>A callback that throws crashes the channel: the client gets {@code phx_error} for the topic
 * and rejoins; the socket and its other channels go on.
 */
public interface Channel {

  /**
   * Decides whether the client may join.
   *
   * @param topic the topic
   * @param params the join params sent by the client
   * @param ctx the channel's context
   * @return ok with a response, or error with a reason
   * @throws Exception the join fails like a crash
   */
  JoinResult join(String topic, JsonNode params, ChannelContext ctx) throws Exception;

  /**
   * Handles an event pushed by the client. The default crashes the channel, as Phoenix does for an
   * event no clause matches.
   *
   * @param event the event
   * @param payload its payload (JSON or binary)
   * @param ctx the context
   * @return a reply, no reply, or stop
   * @throws Exception crashes the channel
   */
  default InResult handleIn(String event, Frame.Payload payload, ChannelContext ctx)
      throws Exception {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " does not handle event " + event);
  }

  /**
   * Handles a message sent to the channel's process. The default logs and ignores it.
   *
   * @param message the message
   * @param ctx the context
   * @throws Exception crashes the channel
   */
  default void handleInfo(Object message, ChannelContext ctx) throws Exception {
    LoggerFactory.getLogger(getClass()).warn("{} ignored message {}", ctx.topic(), message);
  }

  /**
   * Events whose broadcasts go through {@link #handleOut} instead of straight to the client.
   *
   * @return the intercepted events
   */
  default Set<String> intercepts() {
    return Set.of();
  }

  /**
   * Handles an intercepted broadcast: push it (changed or not) with {@code ctx.push}, or drop it.
   * The default pushes it unchanged.
   *
   * @param event the event
   * @param payload the broadcast payload, as JSON
   * @param ctx the context
   * @throws Exception crashes the channel
   */
  default void handleOut(String event, JsonNode payload, ChannelContext ctx) throws Exception {
    ctx.push(event, payload);
  }

  /**
   * Cleans up when the channel ends (leave, stop, crash, or the socket closing).
   *
   * @param reason why
   * @param ctx the context
   * @throws Exception logged
   */
  default void terminate(ExitReason reason, ChannelContext ctx) throws Exception {}
}
