package weft.web.channel.internal;

import java.util.Set;
import weft.process.Pid;
import weft.process.Process;
import weft.web.channel.Broadcast;
import weft.web.channel.Transport;
import weft.web.pubsub.Fastlane;

/**
 * How a broadcast reaches a joined client, in the spirit of Phoenix's {@code
 * Channel.Server.dispatch/3}: on the broadcasting thread, without waking the channel process, the
 * broadcast is written to the subscriber's transport; its V2 frame is encoded once per broadcast
 * and shared by every transport that writes it. An intercepted event goes to the channel process
 * instead, for its {@code handleOut}. Anything else published on the topic is not a client's
 * business and is ignored.
 *
 * @param channel the channel process
 * @param transport the client's transport
 * @param intercepts the events the channel intercepts
 */
record ChannelFastlane(Pid channel, Transport transport, Set<String> intercepts)
    implements Fastlane {

  @Override
  public void deliver(String topic, Object message) {
    if (message instanceof Broadcast b) {
      if (intercepts.contains(b.event())) {
        Process.send(channel, new Messages.Out(b));
      } else {
        transport.send(b);
      }
    }
  }
}
