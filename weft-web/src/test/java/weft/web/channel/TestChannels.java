package weft.web.channel;

/** Access to the test channel from other test packages. */
public final class TestChannels {

  private TestChannels() {}

  /**
   * The conformance suite's room channel, without presence.
   *
   * @return a new channel
   */
  public static Channel room() {
    return new RoomChannel(null);
  }
}
