package dev.floe.swarm.node;

import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.MetadataRecord;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.chunk.SignedStreamHeader;
import dev.floe.swarm.join.JoinAddress;
import dev.floe.swarm.schedule.SchedulerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One node of one channel's swarm. It is over 400 lines because it is the package's whole public
 * API: its settings, listener and figure records with their documentation; the work is done on the
 * node's loop by {@code NodeRuntime} and its parts.
 *
 * <p>The origin ({@link #origin}) cuts nothing itself: the proxy hands it each chunk of the mount's
 * back buffer through {@link #publish}, and it signs, stores, pushes and serves them and answers
 * ANNOUNCE as tracker (listing a peer as connectable only after a connect-back to its announced
 * port succeeds). A peer ({@link #peer}) dials the origin from the join address, asks the tracker,
 * keeps partners, exchanges the tracker's signed peer records with them (gossip, so the tracker
 * is asked mostly on joining), adopts the tracker's advised lag when its lag is automatic, and
 * calls {@link Listener#play} for each verified chunk in seq order when it is due (origin time
 * plus the lag), after the stream header in force for it if there is one ({@link
 * Listener#header}, Ogg). When the swarm cannot deliver it calls
 * {@link Listener#fallback}, and the proxy pulls the mount directly from that position.
 *
 * <p>Peer connections arrive on the HTTP port: the front sniffs the magic and calls
 * {@link #adopt(Channel, java.util.function.Function)}, which routes by the channel key in HELLO.
 * Everything of one node runs on one event loop taken from the group; all methods are thread-safe.
 *
 * <p>Wire mapping of the scheduler's actions (see {@code docs/swarm-protocol.md}, "Runtime"): a
 * refused request is NOT_FOUND, a refused subscription is UNSUBSCRIBE sent by the parent, a peer's
 * connection to the origin carries ANNOUNCE/PEERS and last-resort requests and becomes a partner
 * when the origin sends it a BUFFERMAP; an accepted connection becomes a partner at its first
 * BUFFERMAP.
 */
public final class SwarmNode implements AutoCloseable {
  private static final long CALL_TIMEOUT_MS = 5000;

  /**
   * The peer's own address when a trusted reverse proxy named it (the PROXY protocol) on a
   * connection handed to {@link #adopt}: logs, bans and the tracker's connect-back use it instead
   * of the proxy's.
   */
  public static final AttributeKey<InetSocketAddress> CLIENT_ADDRESS =
      AttributeKey.valueOf("floe.client");

  /**
   * @param scheduler the scheduler's settings (origin ones for the origin)
   * @param advertisedPort the port peers can dial back (the HTTP port; 0: not connectable)
   * @param bind local address to dial from and that the tracker's connect-back must reach
   * @param limits what each peer connection is allowed (frame size, request rate, unsent bytes)
   * @param autoLag whether a peer adopts the lag the tracker advises in its first answer (before
   *     its playout starts) instead of the scheduler's {@code lagMs}, which stays in force if the
   *     advice comes too late or not at all; ignored by the origin
   */
  public record Settings(SchedulerConfig scheduler, int advertisedPort, String bind,
      PeerLimits limits, boolean autoLag) {
    /** @throws IllegalArgumentException if the scheduler is missing or the port out of range */
    public Settings {
      Objects.requireNonNull(scheduler, "scheduler");
      Objects.requireNonNull(limits, "limits");
      if (advertisedPort < 0 || advertisedPort > 0xFFFF) {
        throw new IllegalArgumentException("swarm: advertisedPort " + advertisedPort
            + " outside 0..65535");
      }
    }

    /** Settings with the default {@link PeerLimits#DEFAULTS peer limits}, the lag not automatic. */
    public Settings(SchedulerConfig scheduler, int advertisedPort, String bind) {
      this(scheduler, advertisedPort, bind, PeerLimits.DEFAULTS, false);
    }

    /** Settings with these peer limits, the lag not automatic. */
    public Settings(SchedulerConfig scheduler, int advertisedPort, String bind,
        PeerLimits limits) {
      this(scheduler, advertisedPort, bind, limits, false);
    }

    /** Settings with the default peer limits. */
    public Settings(SchedulerConfig scheduler, int advertisedPort, String bind,
        boolean autoLag) {
      this(scheduler, advertisedPort, bind, PeerLimits.DEFAULTS, autoLag);
    }
  }

  /** What a peer node asks of its mount. Called on the node's event loop; must not block. */
  public interface Listener {
    /** The next chunk in order (verified), at its deadline. Positions are contiguous within an epoch. */
    void play(SignedChunk chunk);

    /** A signed metadata record in force from {@code record}'s position on. */
    void metadata(MetadataRecord record);

    /**
     * A verified stream header (Ogg header pages) in force from chunk {@code header.fromSeq()} of
     * its epoch on, handed over before the first chunk it applies to that is played, and again
     * whenever another header comes into force (a chained stream, a new epoch). A chunk flagged
     * {@link SignedStreamHeader#CHUNK_FLAG_IN_FORCE} is never played before its header. MP3 and AAC
     * streams have none. The default ignores it.
     */
    default void header(SignedStreamHeader header) {}

    /**
     * {@code on}: the swarm is not keeping up; pull directly from the stream URL starting at
     * {@code position} of {@code epoch} (what {@link #play} would have given next). {@code off}:
     * the swarm delivers again; {@link #play} resumes right after the last byte the mount got
     * through {@link SwarmNode#directBytes}.
     */
    void fallback(boolean on, int epoch, long position);
  }

  /**
   * One partner's figures.
   *
   * @param address the address it can be dialled at (its advertised port), or as seen when it
   *     advertises none
   * @param node its node id
   */
  public record PartnerInfo(String address, boolean dialed, long bytesUp, long bytesDown,
      int rttMs, boolean parent, boolean child, String node) {}

  /**
   * @param partners current partners
   * @param continuity chunks in time over chunks due (1 until any was due)
   * @param originShare share of received payload that came from the origin
   * @param lagMs playout lag behind the origin
   * @param controlOverhead non-payload over payload bytes, both ways
   * @param payloadUp payload bytes sent
   * @param payloadDown payload bytes received
   * @param wireUp bytes sent on the wire (payload, frames, signatures, maps, control)
   * @param wireDown bytes received on the wire
   * @param fallback whether a direct pull is on
   * @param trackerPeers on the origin, peers the tracker lists as connectable (else -1)
   */
  public record Stats(List<PartnerInfo> partners, double continuity, double originShare, int lagMs,
      double controlOverhead, long payloadUp, long payloadDown, long wireUp, long wireDown,
      boolean fallback,
      int trackerPeers) {}

  /**
   * Bytes on the real wire since the node started, over every connection it had (magic, frame
   * prefixes and signatures included).
   */
  public record Traffic(long bytesUp, long bytesDown, long payloadUp, long payloadDown) {}

  /**
   * A peer dropped for misbehaving.
   *
   * @param address the peer's address and port as seen
   * @param kind what it did: a {@link dev.floe.swarm.wire.FrameException.Kind} name, a {@link
   *     dev.floe.swarm.guard.ChunkGate.Verdict} name (FORGED, TRUNCATED, OVERSIZED), REPLAY,
   *     LYING_MAP, FLOODING, SLOW_READER or PROTOCOL
   * @param banned whether its address was banned
   * @param atMillis when (UTC)
   */
  public record Incident(String address, String kind, boolean banned, long atMillis) {}

  /**
   * A peer's playout figures.
   *
   * @param due chunks whose deadline passed after the scheduler's warm-up
   * @param inTime of those, chunks held by their deadline
   * @param playedChunks chunks handed to {@link Listener#play}
   * @param playedBytes their payload bytes
   * @param fallbacks direct pulls started
   */
  public record PlayoutStats(long due, long inTime, long playedChunks, long playedBytes,
      int fallbacks) {}

  private final NodeRuntime runtime;
  private volatile java.util.function.BiConsumer<String, Throwable> failures =
      (what, e) -> NodeRuntime.LOG.log(System.Logger.Level.ERROR, "swarm " + what, e);

  private SwarmNode(NodeRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * Where a published record that fails on the node's loop (after {@code publish*} returned) is
   * reported, with what it was; the default logs it. The node goes on with the next record.
   */
  public void onFailure(java.util.function.BiConsumer<String, Throwable> sink) {
    this.failures = Objects.requireNonNull(sink, "sink");
  }

  /** Runs {@code task} on the node's loop; a failure is reported as {@code what}. */
  private void guarded(java.util.function.Supplier<String> what, Runnable task) {
    runtime.execute(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        failures.accept(what.get(), e);
      }
    });
  }

  /**
   * The origin node of a channel, signing with {@code key}. A scheduler configuration that is not
   * an origin one is turned into one ({@link SchedulerConfig#asOrigin}).
   */
  public static SwarmNode origin(Settings settings, OriginKey key, EventLoopGroup group) {
    SchedulerConfig c = settings.scheduler();
    if (!c.origin()) {
      c = c.asOrigin(c.originPushCopies());
    }
    return new SwarmNode(new NodeRuntime(settings, c, Objects.requireNonNull(key, "key"), null,
        null, group.next(), NodeClock.SYSTEM));
  }

  /**
   * A peer node joining {@code join}, delivering to {@code listener}.
   *
   * @throws IllegalArgumentException if the scheduler configuration is an origin one
   */
  public static SwarmNode peer(Settings settings, JoinAddress join, EventLoopGroup group,
      Listener listener) {
    if (settings.scheduler().origin()) {
      throw new IllegalArgumentException("swarm: a peer node needs a peer scheduler configuration");
    }
    return new SwarmNode(new NodeRuntime(settings, settings.scheduler(), null,
        Objects.requireNonNull(join, "join"), Objects.requireNonNull(listener, "listener"),
        group.next(), NodeClock.SYSTEM));
  }

  NodeRuntime runtime() {
    return runtime;
  }

  /**
   * Starts dialing and scheduling (peer) or serving (origin); returns at once (after resolving the
   * origin's host name on the caller's thread, never on the event loop).
   */
  public void start() {
    java.net.InetSocketAddress origin = runtime.origin ? null
        : new java.net.InetSocketAddress(runtime.join.host(), runtime.join.port());
    runtime.execute(() -> runtime.start(origin));
  }

  /** The channel this node belongs to. */
  public ChannelKey channel() {
    return runtime.channel;
  }

  /** This node's id (random, chosen at construction). */
  public dev.floe.swarm.chunk.NodeId nodeId() {
    return runtime.self;
  }

  /** The event loop this node runs on. */
  public EventLoop loop() {
    return runtime.loop;
  }

  /**
   * Origin only: signs and offers chunk {@code seq} of {@code epoch} (a new epoch resets the
   * swarm's buffers), whose first byte is at stream {@code position}. {@code payload} is copied.
   */
  public void publish(int epoch, long seq, long position, ByteBuffer payload, long originTimeMillis,
      int durationMicros) {
    requireOrigin();
    if (seq < 0 || position < 0 || originTimeMillis < 0 || durationMicros < 0) {
      throw new IllegalArgumentException("swarm publish: negative seq, position, time or duration");
    }
    ByteBuffer src = payload.duplicate();
    byte[] copy = new byte[src.remaining()];
    src.get(copy);
    if (copy.length > SignedChunk.MAX_PAYLOAD) {
      throw new IllegalArgumentException("chunk payload " + copy.length + " exceeds "
          + SignedChunk.MAX_PAYLOAD);
    }
    guarded(() -> "chunk " + seq + " at " + position + " not published", () -> runtime.publisher.publish(
        epoch, seq, position, copy, originTimeMillis, durationMicros));
  }

  /**
   * Origin only: signs and offers a metadata change (StreamTitle etc.) in force from {@code
   * position}. A null title or url is sent empty (most titles have no StreamUrl).
   */
  public void publishMetadata(int epoch, long position, String title, String url) {
    requireOrigin();
    if (position < 0) {
      throw new IllegalArgumentException("swarm metadata: negative position " + position);
    }
    String t = title == null ? "" : title;
    String u = url == null ? "" : url;
    if (t.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MetadataRecord.MAX_TEXT
        || u.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MetadataRecord.MAX_TEXT) {
      throw new IllegalArgumentException("swarm metadata: title or url over "
          + MetadataRecord.MAX_TEXT + " bytes");
    }
    guarded(() -> "title at " + position + " not published",
        () -> runtime.publisher.publishMetadata(epoch, position, t, u));
  }

  /**
   * Origin only: signs and offers the stream header (Ogg header pages) in force from chunk {@code
   * fromSeq} of {@code epoch} on; call it before publishing that chunk. From then on every chunk of
   * the epoch is flagged {@link SignedStreamHeader#CHUNK_FLAG_IN_FORCE} (chunk {@code fromSeq} also
   * {@link dev.floe.swarm.chunk.ChunkHeader#FLAG_HEADER_CHANGE}), partners get the header at once
   * and new partners when they join. MP3 and AAC streams never call it. {@code bytes} is copied.
   *
   * @throws IllegalArgumentException if {@code fromSeq} is negative or the header is over {@link
   *     SignedStreamHeader#MAX_BYTES}
   */
  public void publishHeader(int epoch, long fromSeq, ByteBuffer bytes) {
    requireOrigin();
    if (fromSeq < 0) {
      throw new IllegalArgumentException("swarm header: negative fromSeq " + fromSeq);
    }
    ByteBuffer src = bytes.duplicate();
    if (src.remaining() > SignedStreamHeader.MAX_BYTES) {
      throw new IllegalArgumentException("swarm header: " + src.remaining() + " bytes exceeds "
          + SignedStreamHeader.MAX_BYTES);
    }
    byte[] copy = new byte[src.remaining()];
    src.get(copy);
    guarded(() -> "stream header from chunk " + fromSeq + " not published",
        () -> runtime.publisher.publishHeader(epoch, fromSeq, copy));
  }

  /** Peer, during a fallback: the mount got direct bytes up to (excluding) {@code position}. */
  public void directBytes(int epoch, long position) {
    runtime.execute(() -> runtime.directBytes(epoch, position));
  }

  /**
   * Takes over an accepted connection whose first bytes were {@code PeerWire.MAGIC}: {@code
   * received} holds every byte read from it so far, magic included (ownership passes; it is
   * released here). The caller has removed its own handlers. The HELLO's channel key picks the
   * node through {@code nodes} (null: unknown channel, which gets REJECT and is closed).
   */
  public static void adopt(Channel channel, ByteBuf received,
      Function<ChannelKey, SwarmNode> nodes) {
    Connection c = new Connection(channel, nodes, NodeClock.SYSTEM.millis());
    Runnable take = () -> {
      channel.pipeline().addLast("floe-peer", c);
      channel.pipeline().fireChannelRead(received);
      if (!channel.config().isAutoRead()) {
        channel.config().setAutoRead(true);
      }
    };
    if (channel.eventLoop().inEventLoop()) {
      take.run();
    } else {
      channel.eventLoop().execute(take);
    }
  }

  /** This node's figures now. */
  public Stats stats() {
    return call(runtime.counters::stats, null);
  }

  /** Playout figures (zeros on the origin). */
  public PlayoutStats playout() {
    return call(runtime.counters::playoutFigures, new PlayoutStats(0, 0, 0, 0, 0));
  }

  /** Bytes on the wire so far. */
  public Traffic traffic() {
    return call(runtime.counters::traffic, new Traffic(0, 0, 0, 0));
  }

  /** The most recent peers dropped for misbehaving (at most 256), oldest first. */
  public List<Incident> incidents() {
    return call(runtime.offences::incidents, List.of());
  }

  /** Origin: whether the tracker lists {@code node} as connectable. */
  public boolean trackerLists(dev.floe.swarm.chunk.NodeId node) {
    return call(() -> runtime.counters.trackerLists(node), false);
  }

  /** Origin: ANNOUNCEs the tracker has answered (-1 on a peer); for tests and figures. */
  int trackerAnswers() {
    return call(runtime.counters::trackerAnswers, -1);
  }

  /** Peer: ANNOUNCEs sent to the tracker (-1 on the origin); for tests. */
  int announces() {
    return call(runtime.counters::announces, -1);
  }

  /** Peer: records in its gossip view (-1 on the origin); for tests. */
  int viewSize() {
    return call(runtime.gossip::viewSize, -1);
  }

  /** Says GOODBYE to partners and closes every connection. */
  @Override
  public void close() {
    call(() -> {
      runtime.close();
      return null;
    }, null);
  }

  private void requireOrigin() {
    if (!runtime.origin) {
      throw new IllegalStateException("swarm: only the origin publishes");
    }
  }

  private <T> T call(Callable<T> task, T fallback) {
    try {
      if (runtime.loop.inEventLoop()) {
        return task.call();
      }
      return runtime.loop.submit(task).get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fallback;
    } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
      NodeRuntime.LOG.log(System.Logger.Level.WARNING, "swarm node call failed: " + e);
      return fallback;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
