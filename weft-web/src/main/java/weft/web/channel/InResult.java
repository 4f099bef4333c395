package weft.web.channel;

import weft.process.ExitReason;

/**
 * What {@link Channel#handleIn} returns: reply ok or error to the client's push, no reply, or stop
 * the channel.
 */
public sealed interface InResult {

  /**
   * Replies {@code ok} with a response.
   *
   * @param response sent as JSON (or bytes: a {@code byte[]} response is sent as a binary reply)
   * @return the result
   */
  static InResult reply(Object response) {
    return new Reply("ok", response);
  }

  /**
   * Replies {@code error} with a response.
   *
   * @param response sent as JSON
   * @return the result
   */
  static InResult replyError(Object response) {
    return new Reply("error", response);
  }

  /**
   * Sends no reply (the client's push times out unless something replies later).
   *
   * @return the result
   */
  static InResult noReply() {
    return new NoReply();
  }

  /**
   * Stops the channel with a reason: {@code terminate} runs; a normal reason closes the channel
   * ({@code phx_close}), any other makes the client see an error and rejoin.
   *
   * @param reason the reason
   * @return the result
   */
  static InResult stop(ExitReason reason) {
    return new Stop(reason);
  }

  /**
   * A reply.
   *
   * @param status {@code ok} or {@code error}
   * @param response the response
   */
  record Reply(String status, Object response) implements InResult {}

  /** No reply. */
  record NoReply() implements InResult {}

  /**
   * Stop.
   *
   * @param reason why
   */
  record Stop(ExitReason reason) implements InResult {}
}
