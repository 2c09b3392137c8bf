package dev.floe.swarm.node;

import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.join.JoinAddress;
import dev.floe.swarm.schedule.SchedulerConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An origin on 127.0.0.1 publishing a synthetic 128 kbit/s stream (500 ms chunks of 8000 bytes,
 * contiguous positions, bytes from {@link Recorder#byteAt}) and peers joining it, each with its own
 * {@link PeerServer}. Stops everything it started.
 */
final class TestSwarm implements AutoCloseable {
  static final int RATE_KBPS = 128;
  static final int CHUNK_MS = 500;
  static final int CHUNK_BYTES = RATE_KBPS * CHUNK_MS / 8;

  /** One peer: node, server, recorder. */
  record Peer(SwarmNode node, PeerServer server, Recorder recorder, int uploadKbps,
      long joinedAtMillis) {}

  final EventLoopGroup group;
  final OriginKey key = OriginKey.generate();
  final SchedulerConfig peerConfig;
  private final SchedulerConfig originConfig;
  volatile SwarmNode origin;
  volatile PeerServer originServer;
  final JoinAddress join;
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
  private final List<Peer> peers = new ArrayList<>();
  private int epoch = 0x5eed;
  private long seq;
  private long position;
  private boolean down;

  TestSwarm(int threads, int lagMs) throws InterruptedException {
    group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    peerConfig = SchedulerConfig.of(RATE_KBPS, 512).withLagMs(lagMs);
    originConfig = new SchedulerConfig(RATE_KBPS, CHUNK_MS, 4, lagMs,
        (int) (2.5 * RATE_KBPS), 1, 8, true, 2, peerConfig.mapBudget());
    startOrigin(0);
    join = new JoinAddress(false, "127.0.0.1", originServer.port(), "/live.mp3", key.channelKey());
  }

  private void startOrigin(int port) throws InterruptedException {
    AtomicReference<SwarmNode> ref = new AtomicReference<>();
    originServer = PeerServer.bind(group, "127.0.0.1", port,
        k -> k.equals(key.channelKey()) ? ref.get() : null);
    SwarmNode o = SwarmNode.origin(new SwarmNode.Settings(originConfig, originServer.port(),
        "127.0.0.1"), key, group);
    ref.set(o);
    o.start();
    origin = o;
  }

  /**
   * The origin process dies: its node and server stop (every peer loses its link and the chunks
   * stop), and nothing is published until {@link #restartOrigin}.
   */
  synchronized void killOrigin() {
    down = true;
    origin.close();
    originServer.close();
  }

  /**
   * The origin comes back on its port with the same key (a new node: no peers, no chunks) and its
   * source reconnects: a new epoch from seq 0 and position 0.
   */
  synchronized void restartOrigin(int newEpoch) throws InterruptedException {
    startOrigin(join.port());
    restartEpoch(newEpoch);
    down = false;
  }

  /** Starts publishing one chunk every 500 ms. */
  void publish() {
    clock.scheduleAtFixedRate(this::cut, 0, CHUNK_MS, TimeUnit.MILLISECONDS);
  }

  private synchronized void cut() {
    if (down) {
      return;
    }
    origin.publish(epoch, seq, position, Recorder.payload(position, CHUNK_BYTES),
        System.currentTimeMillis(), CHUNK_MS * 1000);
    seq++;
    position += CHUNK_BYTES;
    for (Peer p : peers()) {
      long got = p.recorder().direct(position);
      if (got >= 0) {
        p.node().directBytes(epoch, got);
      }
    }
  }

  /** The source reconnected: a new epoch from seq 0 and position 0. */
  synchronized void restartEpoch(int newEpoch) {
    epoch = newEpoch;
    seq = 0;
    position = 0;
  }

  /** Publishes a title in force from the next chunk cut; returns that chunk's seq. */
  synchronized long publishTitle(String title) {
    origin.publishMetadata(epoch, position, title, "");
    return seq;
  }

  /**
   * Publishes a stream header (Ogg header pages) in force from the next chunk cut; returns that
   * chunk's seq.
   */
  synchronized long publishHeader(byte[] bytes) {
    origin.publishHeader(epoch, seq, java.nio.ByteBuffer.wrap(bytes));
    return seq;
  }

  /** The epoch being published. */
  synchronized int epoch() {
    return epoch;
  }

  /** Seq of the next chunk to cut. */
  synchronized long seq() {
    return seq;
  }

  /** A peer with upload {@code uploadKbps}; connectable (own listening port) unless 0 kbit/s. */
  Peer addPeer(int uploadKbps, boolean connectable) throws InterruptedException {
    AtomicReference<SwarmNode> ref = new AtomicReference<>();
    PeerServer server = connectable ? PeerServer.bind(group, "127.0.0.1", 0,
        k -> k.equals(key.channelKey()) ? ref.get() : null) : null;
    Recorder rec = new Recorder(key.channelKey());
    SwarmNode node = SwarmNode.peer(new SwarmNode.Settings(peerConfig.withUploadKbps(uploadKbps),
        server == null ? 0 : server.port(), "127.0.0.1"), join, group, rec);
    ref.set(node);
    node.start();
    Peer p = new Peer(node, server, rec, uploadKbps, System.currentTimeMillis());
    synchronized (peers) {
      peers.add(p);
    }
    return p;
  }

  /** Stops one peer (node and server). */
  void kill(Peer p) {
    p.node().close();
    if (p.server() != null) {
      p.server().close();
    }
    synchronized (peers) {
      peers.remove(p);
    }
  }

  List<Peer> peers() {
    synchronized (peers) {
      return List.copyOf(peers);
    }
  }

  @Override
  public void close() {
    clock.shutdownNow();
    for (Peer p : peers()) {
      kill(p);
    }
    origin.close();
    originServer.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
