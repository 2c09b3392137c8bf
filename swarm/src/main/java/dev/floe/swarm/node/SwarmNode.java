package dev.floe.swarm.node;

import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.chunk.Chunk;
import dev.floe.swarm.chunk.MetadataRecord;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.join.JoinAddress;
import dev.floe.swarm.schedule.SchedulerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Function;

/**
 * One node of one channel's swarm.
 *
 * <p>The origin ({@link #origin}) cuts nothing itself: the proxy hands it each chunk of the mount's
 * back buffer through {@link #publish}, and it signs, stores, pushes and serves them and answers
 * ANNOUNCE as tracker (listing a peer as connectable only after a connect-back to its announced
 * port succeeds). A peer ({@link #peer}) dials the origin from the join address, asks the tracker,
 * keeps partners, and calls {@link Listener#play} for each verified chunk in seq order when it is
 * due (origin time plus the lag). When the swarm cannot deliver it calls
 * {@link Listener#fallback}, and the proxy pulls the mount directly from that position.
 *
 * <p>Peer connections arrive on the HTTP port: the front sniffs the magic and calls
 * {@link #adopt(Channel, java.util.function.Function)}, which routes by the channel key in HELLO.
 * Everything of one node runs on one event loop taken from the group; all methods are thread-safe.
 */
public final class SwarmNode implements AutoCloseable {

  /**
   * @param scheduler the scheduler's settings (origin ones for the origin)
   * @param advertisedPort the port peers can dial back (the HTTP port; 0: not connectable)
   * @param bind local address to dial from and that the tracker's connect-back must reach
   */
  public record Settings(SchedulerConfig scheduler, int advertisedPort, String bind) {}

  /** What a peer node asks of its mount. Called on the node's event loop; must not block. */
  public interface Listener {
    /** The next chunk in order (verified), at its deadline. Positions are contiguous within an epoch. */
    void play(Chunk chunk);

    /** A signed metadata record in force from {@code record}'s position on. */
    void metadata(MetadataRecord record);

    /**
     * {@code on}: the swarm is not keeping up; pull directly from the stream URL starting at
     * {@code position} of {@code epoch} (what {@link #play} would have given next). {@code off}:
     * the swarm delivers again; {@link #play} resumes right after the last byte the mount got
     * through {@link SwarmNode#directBytes}.
     */
    void fallback(boolean on, int epoch, long position);
  }

  /** One partner's figures. */
  public record PartnerInfo(String address, boolean dialed, long bytesUp, long bytesDown,
      int rttMs, boolean parent, boolean child) {}

  /**
   * @param partners current partners
   * @param continuity chunks in time over chunks due (1 until any was due)
   * @param originShare share of received payload that came from the origin
   * @param lagMs playout lag behind the origin
   * @param controlOverhead non-payload over payload bytes, both ways
   * @param payloadUp payload bytes sent
   * @param payloadDown payload bytes received
   * @param fallback whether a direct pull is on
   * @param trackerPeers on the origin, peers the tracker lists as connectable (else -1)
   */
  public record Stats(List<PartnerInfo> partners, double continuity, double originShare, int lagMs,
      double controlOverhead, long payloadUp, long payloadDown, boolean fallback,
      int trackerPeers) {}

  /** The origin node of a channel, signing with {@code key}. */
  public static SwarmNode origin(Settings settings, OriginKey key, EventLoopGroup group) {
    throw new UnsupportedOperationException("todo");
  }

  /** A peer node joining {@code join}, delivering to {@code listener}. */
  public static SwarmNode peer(Settings settings, JoinAddress join, EventLoopGroup group,
      Listener listener) {
    throw new UnsupportedOperationException("todo");
  }

  /** Starts dialing and scheduling (peer) or serving (origin); returns at once. */
  public void start() {
    throw new UnsupportedOperationException("todo");
  }

  /** The channel this node belongs to. */
  public ChannelKey channel() {
    throw new UnsupportedOperationException("todo");
  }

  /**
   * Origin only: signs and offers chunk {@code seq} of {@code epoch} (a new epoch resets the
   * swarm's buffers), whose first byte is at stream {@code position}. {@code payload} is copied.
   */
  public void publish(int epoch, long seq, long position, ByteBuffer payload, long originTimeMillis,
      int durationMicros) {
    throw new UnsupportedOperationException("todo");
  }

  /** Origin only: signs and offers a metadata change (StreamTitle etc.) in force from {@code position}. */
  public void publishMetadata(int epoch, long position, String title, String url) {
    throw new UnsupportedOperationException("todo");
  }

  /** Peer, during a fallback: the mount got direct bytes up to (excluding) {@code position}. */
  public void directBytes(int epoch, long position) {
    throw new UnsupportedOperationException("todo");
  }

  /**
   * Takes over an accepted connection whose first bytes were {@code PeerWire.MAGIC}: {@code
   * received} holds every byte read from it so far, magic included (ownership passes; it is
   * released here). The caller has removed its own handlers. The HELLO's channel key picks the
   * node through {@code nodes} (null: unknown channel, which gets REJECT and is closed).
   */
  public static void adopt(Channel channel, ByteBuf received,
      Function<ChannelKey, SwarmNode> nodes) {
    throw new UnsupportedOperationException("todo");
  }

  /** This node's figures now. */
  public Stats stats() {
    throw new UnsupportedOperationException("todo");
  }

  /** Says GOODBYE to partners and closes every connection. */
  @Override
  public void close() {
    throw new UnsupportedOperationException("todo");
  }
}
