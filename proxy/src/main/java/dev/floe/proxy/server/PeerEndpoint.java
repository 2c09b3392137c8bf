package dev.floe.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.function.BiConsumer;

/**
 * Connections that began with the swarm peer magic: handed to the swarm node of their channel,
 * or refused (logged, rate-limited) when no mount here has a swarm.
 */
final class PeerEndpoint {
  private final BiConsumer<Channel, ByteBuf> adopt;
  private final RefusalLog refusals;

  /** @param adopt takes a peer connection and the bytes read so far; null refuses them */
  PeerEndpoint(BiConsumer<Channel, ByteBuf> adopt, RefusalLog refusals) {
    this.adopt = adopt;
    this.refusals = refusals;
  }

  /** {@code received} holds every byte read so far, magic included; this method owns it. */
  void handle(Channel ch, ByteBuf received) {
    if (adopt == null) {
      received.release();
      refusals.warn("no-swarm", ClientAddress.remote(ch) + ": a swarm peer, but no mount here has"
          + " a swarm; closing");
      ch.close();
      return;
    }
    try {
      adopt.accept(ch, received);
    } catch (RuntimeException e) {
      if (received.refCnt() > 0) {
        received.release();
      }
      refusals.warn("swarm-adopt", ClientAddress.remote(ch)
          + ": swarm node could not take the peer: " + e);
      ch.close();
    }
  }
}
