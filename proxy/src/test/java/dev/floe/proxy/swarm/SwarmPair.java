package dev.floe.proxy.swarm;

import dev.floe.buffer.Chunk;
import dev.floe.buffer.Cursor;
import dev.floe.buffer.LappedException;
import dev.floe.buffer.StreamBuffer;
import dev.floe.icy.meta.IcyMetadata;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.join.JoinAddress;
import dev.floe.swarm.node.PeerServer;
import dev.floe.swarm.node.SwarmNode;
import dev.floe.swarm.schedule.SchedulerConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import static org.awaitility.Awaitility.await;

import dev.floe.icy.head.Headers;
import dev.floe.proxy.mount.Feed;
import dev.floe.proxy.mount.StreamInfo;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The proxy's swarm glue end to end in one JVM, with real nodes on loopback: an origin {@link
 * Mount} whose {@link OriginPublisher} publishes to a real origin {@link SwarmNode} (served by a
 * {@link PeerServer}), and a peer {@link SwarmNode} whose {@link PeerPlayout} writes into a peer
 * {@link Mount}. The peer's direct pull is only recorded ({@link #directs}). Stops what it started.
 */
final class SwarmPair implements AutoCloseable {
  static final int LAG_MS = 3000;

  record Title(long position, String title, String url) {}

  final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  final OriginKey key = OriginKey.generate();
  volatile Mount origin;
  volatile OriginPublisher publisher;
  volatile SwarmNode originNode;
  PeerServer server;
  private final SchedulerConfig peerConfig = SchedulerConfig.of(128, 512).withLagMs(LAG_MS);
  final Mount peer;
  final EventLoop peerLoop = group.next();
  final PeerPlayout playout;
  final SwarmNode peerNode;
  final PeerServer peerServer;
  final List<String> directs = new CopyOnWriteArrayList<>();
  private JoinAddress join;
  /** Every chunk the peer node played, in order: epoch, seq, position. */
  final List<long[]> played = new CopyOnWriteArrayList<>();
  /** The payload of every chunk the peer node played, in order. */
  final List<byte[]> playedBytes = new CopyOnWriteArrayList<>();
  /** Every stream header handed to the peer, in order. */
  final List<dev.floe.swarm.chunk.SignedStreamHeader> headers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService source = Executors.newSingleThreadScheduledExecutor();
  private volatile int fed;
  private byte[] audio;
  private Feed feed;

  SwarmPair() throws Exception {
    startOrigin(0);
    JoinAddress join = new JoinAddress(false, "127.0.0.1", server.port(), "/live",
        key.channelKey());
    this.join = join;
    peer = new Mount(Audio.mount("{ path = \"/live\", swarm { role = peer, join = \"" + join
        + "\" } }"), MountRegistry.fixed());
    playout = new PeerPlayout(peer, peerLoop, "swarm " + join, () -> new PeerPlayout.Direct() {
      @Override
      public void start() {
        directs.add("start");
      }

      @Override
      public void stop() {
        directs.add("stop");
      }
    });
    SwarmNode.Listener recording = new SwarmNode.Listener() {
      @Override
      public void play(dev.floe.swarm.chunk.SignedChunk chunk) {
        played.add(new long[] {chunk.epoch(), chunk.seq(), chunk.header().position()});
        ByteBuffer b = chunk.payload().duplicate();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        playedBytes.add(a);
        playout.play(chunk);
      }

      @Override
      public void metadata(dev.floe.swarm.chunk.MetadataRecord record) {
        playout.metadata(record);
      }

      @Override
      public void header(dev.floe.swarm.chunk.SignedStreamHeader header) {
        headers.add(header);
        playout.header(header);
      }

      @Override
      public void fallback(boolean on, int epoch, long position) {
        playout.fallback(on, epoch, position);
      }
    };
    AtomicReference<SwarmNode> peerRef = new AtomicReference<>();
    peerServer = PeerServer.bind(group, "127.0.0.1", 0,
        k -> k.equals(key.channelKey()) ? peerRef.get() : null);
    peerNode = SwarmNode.peer(new SwarmNode.Settings(peerConfig, peerServer.port(), "127.0.0.1"),
        join, group, recording);
    peerRef.set(peerNode);
    playout.node(peerNode::directBytes);
    playout.start();
    peerNode.start();
  }

  /**
   * Starts a source on the origin mount that feeds {@code bytes} at about 16,000 B/s (3,336
   * bytes every 200 ms, on one thread, which ticks the mount too). Give it more than the test
   * checks: it stops at the end.
   */
  void startSource(String contentType, byte[] bytes) throws Exception {
    audio = bytes;
    onSource(() -> feed = origin.startSource("test", new StreamInfo(contentType,
        Headers.EMPTY)));
    int step = 8 * Audio.FRAME;
    source.scheduleAtFixedRate(() -> {
      if (fed < audio.length && feed != null) {
        int n = Math.min(step, audio.length - fed);
        feed.audio(ByteBuffer.wrap(audio, fed, n));
        fed += n;
      }
      origin.tick();
    }, 0, 200, TimeUnit.MILLISECONDS);
  }

  /** Bytes the source fed so far. */
  int fed() {
    return fed;
  }

  /** Runs {@code r} on the source's thread (the origin mount's writer). */
  void onSource(Runnable r) throws Exception {
    source.submit(r).get(5, TimeUnit.SECONDS);
  }

  /**
   * Waits until the origin mount holds {@code position} and returns its newest position then
   * (the source goes on feeding: a swarm whose stream stops falls back for the chunks it expects).
   */
  long awaitOriginHolds(long position) {
    await().atMost(Duration.ofSeconds(60)).until(() -> origin.buffer() != null
        && origin.buffer().newest() >= position);
    return origin.buffer().newest();
  }

  /** Waits until the peer mount holds {@code position}; fails with both nodes' figures. */
  void awaitPeerHolds(long position) {
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> peer.buffer() != null
          && peer.buffer().newest() >= position);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("the peer holds " + (peer.buffer() == null ? "nothing"
          : peer.buffer().newest()) + " of " + position + "; played " + played.size()
          + " chunks; peer " + peerNode.stats() + " " + peerNode.playout() + "; origin "
          + originNode.stats(), e);
    }
  }

  /** A new origin mount and node with the same key on {@code port} (0: any). */
  private void startOrigin(int port) throws Exception {
    origin = new Mount(Audio.mount("{ path = \"/live\", swarm { role = origin } }"),
        MountRegistry.fixed());
    origin.swarm().shortEpochs(true);
    AtomicReference<SwarmNode> ref = new AtomicReference<>();
    Function<ChannelKey, SwarmNode> nodes =
        k -> k.equals(key.channelKey()) ? ref.get() : null;
    // A restart binds the old port again: a connection elsewhere on the machine may hold it as
    // its ephemeral port for a moment (seen once in CI: "Address already in use"), so retry.
    server = await("port " + port + " to bind").atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100)).ignoreExceptionsInstanceOf(BindException.class)
        .until(() -> PeerServer.bind(group, "127.0.0.1", port, nodes), s -> true);
    originNode = SwarmNode.origin(new SwarmNode.Settings(peerConfig.asOrigin(2), server.port(),
        "127.0.0.1"), key, group);
    ref.set(originNode);
    publisher = new OriginPublisher(origin, originNode);
    originNode.onFailure(publisher.errors()::failed);
    origin.swarm().onAppended(publisher);
    originNode.start();
  }

  /**
   * The origin process restarts: its node and mount stop (its source with them), and a new node
   * with the same key listens on the same port, with a new mount and no source yet.
   */
  void restartOrigin() throws Exception {
    int port = server.port();
    onSource(() -> {
      origin.feedEnded(feed);
      feed = null; // the old source stops
    });
    originNode.close();
    server.close();
    origin.close("restart");
    startOrigin(port);
  }

  /** A source connects to the (restarted) origin and feeds {@code bytes}: a new epoch. */
  void sourceAgain(String contentType, byte[] bytes) throws Exception {
    onSource(() -> {
      fed = 0;
      audio = bytes;
      feed = origin.startSource("test", new StreamInfo(contentType, Headers.EMPTY));
    });
  }

  /** Runs {@code task} on the peer mount's writer loop. */
  <T> T onPeer(Callable<T> task) throws Exception {
    return peerLoop.submit(task).get(5, TimeUnit.SECONDS);
  }

  /** Where each title starts in {@code buffer}: the chunks whose metadata differs from before. */
  static List<Title> titles(StreamBuffer buffer) throws LappedException {
    List<Title> out = new ArrayList<>();
    IcyMetadata last = null;
    Cursor c = buffer.open(buffer.oldest());
    for (Chunk ch = c.next(); ch != null; ch = c.next()) {
      IcyMetadata m = ch.metadata();
      if (m != null && !m.equals(last) && !m.equals(IcyMetadata.EMPTY)) {
        out.add(new Title(ch.start(), m.title(), m.url()));
      }
      last = m;
    }
    return out;
  }

  /** The start of every chunk in {@code buffer}, oldest first. */
  static List<Long> starts(StreamBuffer buffer) throws LappedException {
    List<Long> out = new ArrayList<>();
    Cursor c = buffer.open(buffer.oldest());
    for (Chunk ch = c.next(); ch != null; ch = c.next()) {
      out.add(ch.start());
    }
    return out;
  }

  @Override
  public void close() {
    source.shutdownNow();
    playout.close();
    peerNode.close();
    originNode.close();
    server.close();
    peerServer.close();
    origin.close("test over");
    peer.close("test over");
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
