package weft.web.channel;

import java.util.Objects;

/**
 * What a {@link Transport} tells the socket process that serves it (see {@link Socket#serve}): the
 * incoming half of a connection. Send these as ordinary messages to the socket process's pid.
 */
public sealed interface TransportEvent {

  /**
   * A decoded frame from the client. Once the socket process or one of its channels has handled it
   * (or dropped it), {@link Transport#handled} is called for it.
   *
   * @param frame the frame
   */
  record Received(Frame frame) implements TransportEvent {
    /** Checks the frame is present. */
    public Received {
      Objects.requireNonNull(frame, "frame");
    }
  }

  /**
   * The client sent something that is not a valid frame: the socket process logs the reason and
   * closes the connection with 1007 ("malformed frame").
   *
   * @param reason what was wrong
   */
  record Malformed(String reason) implements TransportEvent {
    /** Checks the reason is present. */
    public Malformed {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The client is still there although it sent no frame (a long poll arrived). */
  record Activity() implements TransportEvent {}

  /** The connection is gone: the socket process ends its channels and returns. */
  record Closed() implements TransportEvent {}
}
