package dev.floe.swarm.node;

import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.chunk.Chunk;
import dev.floe.swarm.chunk.ChunkHeader;
import dev.floe.swarm.chunk.MetadataRecord;
import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.chunk.PeerRecord;
import dev.floe.swarm.chunk.StreamHeader;
import dev.floe.swarm.guard.BanList;
import dev.floe.swarm.guard.ChunkGate;
import dev.floe.swarm.guard.RequestBucket;
import dev.floe.swarm.join.JoinAddress;
import dev.floe.swarm.schedule.Action;
import dev.floe.swarm.schedule.Candidate;
import dev.floe.swarm.schedule.Hello;
import dev.floe.swarm.schedule.PartnerStats;
import dev.floe.swarm.schedule.Scheduler;
import dev.floe.swarm.schedule.SchedulerConfig;
import dev.floe.swarm.schedule.SwarmStats;
import dev.floe.swarm.wire.Frame;
import dev.floe.swarm.wire.FrameException;
import dev.floe.swarm.wire.PeerWire;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Everything of one {@link SwarmNode} that runs on its event loop: the {@link Scheduler}, the
 * chunk gate and store, the connections (ids both ways), the playout, the tracker (origin) and the
 * misbehaviour rules. Scheduler actions become frames here and frames become scheduler events.
 * Every method but {@link #execute} must be called on the loop.
 */
final class NodeRuntime {
  static final System.Logger LOG = System.getLogger(SwarmNode.class.getName());
  /** Scheduler tick and playout period. */
  static final int TICK_MS = 100;
  /** RTT probe period per partner. */
  static final int PING_MS = 10_000;
  /** Dial and connect-back timeout. */
  static final int CONNECT_TIMEOUT_MS = 3000;
  /** Honest-looking rejections (replays, stale, skewed) tolerated per {@link #REPLAY_WINDOW_MS}. */
  static final int REPLAY_LIMIT = 8;
  static final int REPLAY_WINDOW_MS = 30_000;
  /** NOT_FOUNDs for chunks the peer's map claimed, with no chunk from it in between. */
  static final int LIE_LIMIT = 16;
  /** A buffer map may claim at most this many chunks beyond the origin's estimated edge. */
  static final int AHEAD_SLACK = 8;
  /** Most incidents kept for {@link SwarmNode#incidents()}. */
  static final int MAX_INCIDENTS = 256;
  /** Peer records asked for. */
  static final int SAMPLE = 8;
  /**
   * A peer closes an accepted connection that has not become a partner (no BUFFERMAP) after this
   * long. (The origin keeps its peers' links: they carry ANNOUNCE and last-resort requests.)
   */
  static final int PENDING_MS = 30_000;
  /** How often a node on the direct pull logs its state. */
  static final int DESCRIBE_MS = 10_000;
  /** Origin link redial backoff bounds. */
  static final int LINK_RETRY_MS = 1000;
  static final int LINK_RETRY_MAX_MS = 30_000;

  final SwarmNode.Settings settings;
  final SchedulerConfig cfg;
  final boolean origin;
  final ChannelKey channel;
  final EventLoop loop;
  final NodeId self = NodeId.random(new SecureRandom());
  private final OriginKey key;
  private final JoinAddress join;
  private final Scheduler scheduler;
  private final ChunkGate gate;
  private final BanList<String> bans = new BanList<>(Clock.systemUTC(), 4096);
  private final ChunkStore store = new ChunkStore(Scheduler.WINDOW);
  private final HeaderBook headers = new HeaderBook();
  private final Playout playout;
  private final Tracker tracker;
  private final Directory directory;
  /** Gossip state of a peer (null on the origin). */
  private final PeerView view;
  private boolean askedTracker;
  private boolean askedPartners;
  private boolean learnt;
  /** GOODBYE(FULL)s received since the scheduler last asked for candidates. */
  private int refusals;
  private boolean lagAdvised;
  private long nextRenewAt;
  private int trackerAnswers;
  private int announces;
  private final java.util.SplittableRandom random = new java.util.SplittableRandom();
  private final int selfId;
  private int nextAcceptedId = 1;

  private final Set<Connection> connections = new LinkedHashSet<>();
  private final Map<Integer, Connection> byId = new HashMap<>();
  private final Map<Integer, Connection> partners = new LinkedHashMap<>();
  private Connection link;
  private InetSocketAddress originAddress;
  private long nextLinkDialAt;
  private int linkBackoff = LINK_RETRY_MS;
  private boolean announcePending;

  private int realEpoch;
  private int localEpoch = -1;
  private boolean epochKnown;
  private ChunkHeader edge;
  private MetadataRecord latestMetadata;
  private final ArrayDeque<String> seenMetadata = new ArrayDeque<>();

  private long closedUp;
  private long closedDown;
  private long closedPayloadUp;
  private long closedPayloadDown;
  private final ArrayDeque<SwarmNode.Incident> incidents = new ArrayDeque<>();

  private long nextDescribeAt;
  /** When a node that is not tuned in may ask a partner for its newest chunk again. */
  private long nextTuneInAt;
  private static final long TUNE_IN_RETRY_MS = 1_000;
  /** Chunk durations without a chunk after which a partner's other epoch is asked for. */
  private static final int STALE_EPOCH_CHUNKS = 4;
  /** When the last chunk was accepted (0: never). */
  private long lastChunkAt;
  private ScheduledFuture<?> ticker;
  private boolean started;
  private boolean closed;

  NodeRuntime(SwarmNode.Settings settings, SchedulerConfig cfg, OriginKey key, JoinAddress join,
      SwarmNode.Listener listener, EventLoop loop) {
    this.settings = settings;
    this.cfg = cfg;
    this.origin = key != null;
    this.key = key;
    this.join = join;
    this.channel = origin ? key.channelKey() : join.channel();
    this.loop = loop;
    SecureRandom seeds = new SecureRandom();
    this.selfId = origin ? Directory.ORIGIN : -2;
    this.scheduler = new Scheduler(cfg, selfId, Directory.ORIGIN, seeds.nextLong(), now());
    scheduler.pullDuringFallback(true);
    this.gate = new ChunkGate(channel, ChunkGate.Settings.DEFAULTS, Clock.systemUTC());
    this.playout = origin ? null : new Playout(listener, store, headers);
    this.tracker = origin ? new Tracker(key, seeds.nextLong()) : null;
    this.directory = origin ? null
        : new Directory(InetSocketAddress.createUnresolved(join.host(), join.port()));
    this.view = origin ? null : new PeerView(self, seeds.nextLong());
  }

  String joinHost() {
    return join.host();
  }

  int joinPort() {
    return join.port();
  }

  /** Runs {@code task} on the loop (at once if already on it). */
  void execute(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  static long now() {
    return System.currentTimeMillis();
  }

  // ---- lifecycle

  /** Starts; a peer dials the origin at {@code originAddress} (resolved by the caller). */
  void start(InetSocketAddress originAddress) {
    if (started || closed) {
      return;
    }
    started = true;
    this.originAddress = originAddress;
    if (directory != null && originAddress != null && !originAddress.isUnresolved()) {
      directory.origin(originAddress);
    }
    ticker = loop.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    dispatch(scheduler.start(now()));
    if (!origin) {
      dialLink();
    }
  }

  void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (ticker != null) {
      ticker.cancel(false);
    }
    for (Connection c : List.copyOf(connections)) {
      close(c, Frame.Reason.SHUTDOWN);
    }
    store.close();
  }

  private void tick() {
    if (closed) {
      return;
    }
    try {
      long now = now();
      if (!origin) {
        scheduler.repairFrom(playout.stalledOn(now, scheduler::deadline));
      }
      dispatch(scheduler.tick(now));
      afterScheduler(now);
      if ((origin || scheduler.inFallback()) && now >= nextDescribeAt) {
        nextDescribeAt = now + DESCRIBE_MS;
        LOG.log(origin ? System.Logger.Level.DEBUG : System.Logger.Level.INFO, "swarm node " + self
            + (origin ? " (origin): " : " on the direct pull: ") + scheduler.describe(now));
      }
      if (!origin) {
        for (Connection c : List.copyOf(connections)) {
          if (c.role == Connection.Role.ACCEPTED && !c.promoted && now - c.openedAt > PENDING_MS) {
            close(c, Frame.Reason.IDLE);
          }
        }
      }
      for (Connection c : List.copyOf(partners.values())) {
        if (c.slow) {
          offence(c, "SLOW_READER", false, c.queued() + " bytes unsent");
        } else if (now >= c.nextPingAt && c.writable()) {
          c.nextPingAt = now + PING_MS;
          c.send(new Frame.Ping(now));
        }
      }
      if (!origin && link == null && now >= nextLinkDialAt) {
        dialLink();
      }
      if (!origin) {
        gossip(now);
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "swarm node tick failed", e);
    }
  }

  private void afterScheduler(long now) {
    if (!origin) {
      if (!playout.started() && epochKnown && scheduler.epoch() == localEpoch
          && scheduler.playSeq() >= 0) {
        playout.start(scheduler.playSeq());
      }
      playout.run(now, scheduler::deadline);
    }
  }

  // ---- origin API

  void publish(int epoch, long seq, long position, byte[] payload, long originTime,
      int durationMicros) {
    if (closed) {
      return;
    }
    if (!epochKnown || epoch != realEpoch) {
      realEpoch = epoch;
      localEpoch++;
      epochKnown = true;
    }
    Chunk c = Chunk.sign(key, epoch, seq, position, originTime, durationMicros,
        headerFlags(epoch, seq), payload);
    store.put(c);
    edge = c.header();
    dispatch(scheduler.onChunk(now(), selfId, localEpoch, seq, c.heldLength(), originTime, true));
  }

  /** The chunk flags for chunk {@code seq} of {@code epoch}: none without a stream header. */
  private int headerFlags(int epoch, long seq) {
    StreamHeader h = headers.inForce(epoch, seq);
    return h == null ? 0 : StreamHeader.CHUNK_FLAG_IN_FORCE
        | (h.fromSeq() == seq ? ChunkHeader.FLAG_HEADER_CHANGE : 0);
  }

  void publishHeader(int epoch, long fromSeq, byte[] bytes) {
    if (closed) {
      return;
    }
    StreamHeader h = StreamHeader.sign(key, epoch, fromSeq, bytes);
    if (headers.add(h)) {
      LOG.log(System.Logger.Level.DEBUG, "swarm origin: stream header " + h);
      for (Connection c : List.copyOf(connections)) {
        if (c.hello != null && c.role == Connection.Role.ACCEPTED && !c.closed) {
          c.send(new Frame.Header(h));
        }
      }
    }
  }

  void publishMetadata(int epoch, long position, String title, String url) {
    if (closed) {
      return;
    }
    long fromSeq = 0;
    if (edge != null && edge.epoch() == epoch) {
      fromSeq = edge.seq() + 1;
      for (long s = edge.seq(); s > edge.seq() - Scheduler.WINDOW && s >= 0; s--) {
        Chunk c = store.get(epoch, s);
        if (c != null && c.header().position() <= position) {
          long end = c.header().position() + c.header().payloadLength();
          fromSeq = position < end ? s : s + 1;
          break;
        }
      }
    }
    MetadataRecord m = MetadataRecord.sign(key, epoch, fromSeq, title, url);
    latestMetadata = m;
    for (Connection c : partners.values()) {
      c.send(new Frame.Metadata(m));
    }
  }

  // ---- peer API

  void directBytes(int epoch, long position) {
    if (!origin && !closed) {
      playout.directBytes(epoch, position);
    }
  }

  // ---- connections

  private void dialLink() {
    InetSocketAddress to = originAddress;
    if (to == null || to.isUnresolved()) {
      LOG.log(System.Logger.Level.WARNING, "swarm: cannot resolve the origin " + join.host());
      retryLink();
      return;
    }
    link = dial(to, Connection.Role.ORIGIN_LINK, Directory.ORIGIN, null);
  }

  private void retryLink() {
    nextLinkDialAt = now() + linkBackoff;
    linkBackoff = Math.min(LINK_RETRY_MAX_MS, linkBackoff * 2);
  }

  private Connection dial(InetSocketAddress to, Connection.Role role, int id, NodeId expected) {
    Connection c = new Connection(role, this, now());
    c.dialId = id;
    c.expectedNode = expected;
    Bootstrap b = new Bootstrap().group(loop).channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
        .handler(c);
    ChannelFuture f = settings.bind() == null ? b.connect(to)
        : b.connect(to, new InetSocketAddress(settings.bind(), 0));
    c.bind(f.channel());
    connections.add(c);
    f.addListener((ChannelFutureListener) done -> {
      if (!done.isSuccess()) {
        execute(() -> onClosed(c));
      }
    });
    if (role == Connection.Role.CONNECT_BACK) {
      loop.schedule(() -> {
        if (!c.closed) {
          close(c, null);
        }
      }, CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
    return c;
  }

  void onConnected(Connection c) {
    if (c.closed) {
      return;
    }
    if (closed) {
      close(c, null);
      return;
    }
    c.sendRaw(PeerWire.magicBytes(), 0);
    c.send(ownHello());
    c.helloSent = true;
  }

  private Frame.Hello ownHello() {
    return new Frame.Hello(PeerWire.VERSION, 0, channel, self, settings.advertisedPort(), edge);
  }

  void onRead(Connection c, int bytes, List<Frame> frames, FrameException error) {
    if (c.role == Connection.Role.ACCEPTED && !connections.contains(c) && !c.closed) {
      if (closed) {
        c.closed = true;
        c.channel.close();
        return;
      }
      connections.add(c);
    }
    c.bytesDown += bytes;
    for (Frame f : frames) {
      if (c.closed) {
        return;
      }
      try {
        handle(c, f);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "swarm: handling " + f.type() + " from " + c.address(), e);
        close(c, Frame.Reason.PROTOCOL_ERROR);
      }
    }
    if (error != null && !c.closed) {
      offence(c, error.kind().name(), false, error.getMessage());
    }
  }

  void onClosed(Connection c) {
    if (!connections.remove(c)) {
      c.closed = true;
      return;
    }
    c.closed = true;
    closedUp += c.bytesUp;
    closedDown += c.bytesDown;
    closedPayloadUp += c.payloadUp;
    closedPayloadDown += c.payloadDown;
    if (byId.get(c.id) == c) {
      byId.remove(c.id);
    }
    if (c.role == Connection.Role.CONNECT_BACK && c.expectedNode != null) {
      InetSocketAddress a = c.remote() != null ? c.remote() : null;
      finishConnectBack(c, false, a);
    }
    if (tracker != null) {
      tracker.linkClosed(c);
    }
    if (view != null && c.role == Connection.Role.DIALED && c.hello == null) {
      InetSocketAddress a = directory.address(c.dialId);
      if (a != null) {
        view.forget(a);
      }
    }
    if (c == link) {
      link = null;
      retryLink();
    }
    if (partners.get(c.id) == c) {
      partners.remove(c.id);
      if (!closed) {
        dispatch(scheduler.onPartnerRemoved(now(), c.id));
        afterScheduler(now());
      }
    }
  }

  private void close(Connection c, Frame.Reason reason) {
    if (c.closed) {
      return;
    }
    if (reason != null && c.helloSent) {
      c.send(new Frame.Goodbye(reason, reason == Frame.Reason.FULL ? alternatives(c) : List.of()));
    }
    // Closes at once (a peer that does not read must not keep it open); what the socket took
    // before, GOODBYE included, still goes out.
    c.channel.close();
    onClosed(c);
  }

  /** Refuses a connection at HELLO: magic and HELLO (the first frame each way), then REJECT. */
  private void reject(Connection c, Frame.Reason reason) {
    if (!c.helloSent) {
      c.sendRaw(PeerWire.magicBytes(), 0);
      c.send(ownHello());
      c.helloSent = true;
    }
    c.send(new Frame.Reject(reason, List.of()));
    c.send(new Frame.Goodbye(reason, List.of()));
    close(c, null);
  }

  // ---- frames

  private void handle(Connection c, Frame f) {
    long now = now();
    if (f instanceof Frame.Hello h) {
      onHello(c, h, now);
      return;
    }
    if (c.hello == null) {
      return;
    }
    if (f instanceof dev.floe.swarm.wire.BufferMap m) {
      onMap(c, m, now);
    } else if (f instanceof Frame.ChunkData d) {
      onChunk(c, d.chunk(), now);
    } else if (f instanceof Frame.Request r) {
      onRequest(c, r, now);
    } else if (f instanceof Frame.NotFound n) {
      onNotFound(c, n, now);
    } else if (f instanceof Frame.Subscribe s) {
      if (c.promoted) {
        dispatch(scheduler.onSubscribe(now, c.id, s.substream(), local(s.epoch()), s.fromSeq()));
      }
    } else if (f instanceof Frame.Unsubscribe u) {
      if (c.promoted && u.substream() < cfg.substreams()) {
        dispatch(scheduler.parent(u.substream()) == c.id
            ? scheduler.onSubscribeRefused(now, c.id, u.substream())
            : scheduler.onUnsubscribe(now, c.id, u.substream()));
      }
    } else if (f instanceof Frame.Ping p) {
      c.send(new Frame.Pong(p.token()));
    } else if (f instanceof Frame.Pong p) {
      long rtt = now - p.token();
      if (rtt >= 0 && rtt < 60_000) {
        c.rttMs = (int) rtt;
      }
    } else if (f instanceof Frame.Metadata m) {
      onMetadata(c, m.record());
    } else if (f instanceof Frame.Header h) {
      onHeader(c, h.header());
    } else if (f instanceof Frame.Announce a) {
      if (origin) {
        onAnnounce(c, a, now);
      }
    } else if (f instanceof Frame.Peers p) {
      if (!origin) {
        onPeers(c, p, now);
      }
    } else if (f instanceof Frame.Goodbye g) {
      onLeave(c, g.reason(), g.alternatives(), now);
    } else if (f instanceof Frame.Reject r) {
      onLeave(c, r.reason(), r.alternatives(), now);
    }
    afterScheduler(now);
  }

  private void onHello(Connection c, Frame.Hello h, long now) {
    if (c.hello != null) {
      offence(c, "PROTOCOL", false, "second HELLO");
      return;
    }
    InetSocketAddress remote = c.remote();
    c.banKey = banKey(remote, h.node());
    if (bans.banned(c.banKey)) {
      LOG.log(System.Logger.Level.INFO, "swarm peer " + c.address() + " is banned; rejected");
      reject(c, Frame.Reason.BANNED);
      return;
    }
    if (h.version() != PeerWire.VERSION) {
      reject(c, Frame.Reason.VERSION);
      return;
    }
    if (!h.channel().equals(channel)) {
      reject(c, Frame.Reason.WRONG_CHANNEL);
      return;
    }
    if (h.node().equals(self)) {
      close(c, null);
      return;
    }
    c.hello = h;
    if (c.role == Connection.Role.ACCEPTED) {
      c.sendRaw(PeerWire.magicBytes(), 0);
      c.send(ownHello());
      c.helloSent = true;
      if (origin) {
        sendHeaders(c); // every peer's link, partner or not: the origin also serves last resorts
      }
    }
    if (h.latest() != null && !origin) {
      ChunkGate.Verdict v = gate.tuneIn(h.latest());
      if (v == ChunkGate.Verdict.FORGED) {
        offence(c, "FORGED", true, "HELLO carries a forged chunk header");
        return;
      }
      if (v.accepted()) {
        syncEpoch();
        if (edge == null || h.latest().epoch() != edge.epoch() || h.latest().seq() > edge.seq()) {
          if (gate.epoch() == h.latest().epoch()) {
            edge = h.latest();
          }
        }
        if (edge != null && edge.epoch() == realEpoch && scheduler.epoch() >= 0
            && scheduler.epoch() != localEpoch) {
          // A new epoch (the origin restarted): the scheduler takes it now (the origin link's
          // HELLO is never a partner's), else it kept the old epoch's play point and playout
          // started the new one there. A node joining waits for the tracker's answer instead,
          // whose advised lag must come before anything anchors the clock.
          scheduler.onEdge(now, localEpoch, edge.seq(), edge.originTimeMillis());
        }
      }
    }
    c.rttMs = (int) Math.max(1, Math.min(5000, now - c.openedAt));
    switch (c.role) {
      case CONNECT_BACK -> {
        boolean ok = h.node().equals(c.expectedNode);
        finishConnectBack(c, ok, remote);
        close(c, null);
      }
      case ORIGIN_LINK -> {
        c.id = Directory.ORIGIN;
        byId.put(c.id, c);
        linkBackoff = LINK_RETRY_MS;
        // A link dialled again announces again: the tracker unlisted this node when the old link
        // closed, and an origin that restarted knows no peer at all (without it, it had no first
        // tier and pushed its new stream to nobody until peers happened to ask the tracker).
        if (announcePending || announces > 0) {
          sendAnnounce();
        }
      }
      case DIALED -> {
        c.id = c.dialId;
        byId.putIfAbsent(c.id, c);
        promote(c, now);
      }
      case ACCEPTED -> {
        c.id = origin ? nextAcceptedId++
            : directory.idFor(new InetSocketAddress(remote.getAddress(),
                h.listenPort() > 0 ? h.listenPort() : remote.getPort()));
        byId.putIfAbsent(c.id, c);
        if (c.requests == null) {
          c.requests = new RequestBucket(settings.limits().requestsPerSecond(),
              settings.limits().requestBurst(), Clock.systemUTC());
        }
      }
      default -> throw new IllegalStateException();
    }
    if (c.requests == null) {
      c.requests = new RequestBucket(settings.limits().requestsPerSecond(),
          settings.limits().requestBurst(), Clock.systemUTC());
    }
  }

  private void promote(Connection c, long now) {
    if (c.promoted || c.closed || c.role == Connection.Role.CONNECT_BACK) {
      return;
    }
    Connection other = partners.get(c.id);
    if (other != null && other != c) {
      if (!crossedAndKept(c, other)) {
        close(c, Frame.Reason.REPLACED);
        return;
      }
      LOG.log(System.Logger.Level.INFO, "swarm node " + self + ": crossed dials with "
          + c.address() + "; keeps the link node " + minDialer(c, other) + " dialed");
      byId.put(c.id, c);
      close(other, Frame.Reason.REPLACED); // takes it out of partners and the scheduler
      if (c.closed) {
        return;
      }
    }
    if (c.id == selfId) {
      close(c, null);
      return;
    }
    c.promoted = true;
    partners.put(c.id, c);
    byId.put(c.id, c);
    c.nextPingAt = now + PING_MS;
    ChunkHeader h = c.hello.latest();
    boolean edgeKnown = h != null && epochKnown && h.epoch() == realEpoch;
    boolean dialed = c.role != Connection.Role.ACCEPTED;
    Hello sh = new Hello(c.id, dialed, c.hello.listenPort() > 0, c.rttMs, 0,
        edgeKnown ? localEpoch : Math.max(localEpoch, 0), edgeKnown ? h.seq() : -1,
        edgeKnown ? h.originTimeMillis() : 0);
    if (!origin && c.id != Directory.ORIGIN) {
      sendHeaders(c); // before any chunk can go to it
    }
    dispatch(scheduler.onPartnerAdded(now, sh));
    if (latestMetadata != null && !c.closed) {
      c.send(new Frame.Metadata(latestMetadata));
    }
  }

  /**
   * Whether {@code c}, a second connection with the partner {@code other} links to, replaces it:
   * when the two nodes dialed each other at once, each end keeps the connection that the lower
   * node id dialed (both ends decide alike, so one link survives instead of none).
   */
  private boolean crossedAndKept(Connection c, Connection other) {
    boolean roles = c.role == Connection.Role.DIALED && other.role == Connection.Role.ACCEPTED
        || c.role == Connection.Role.ACCEPTED && other.role == Connection.Role.DIALED;
    return roles && c.hello != null && other.hello != null
        && c.hello.node().equals(other.hello.node())
        && Arrays.compareUnsigned(dialer(c).raw(), dialer(other).raw()) < 0;
  }

  private NodeId dialer(Connection c) {
    return c.role == Connection.Role.ACCEPTED ? c.hello.node() : self;
  }

  private NodeId minDialer(Connection a, Connection b) {
    return Arrays.compareUnsigned(dialer(a).raw(), dialer(b).raw()) <= 0 ? dialer(a) : dialer(b);
  }

  private void onMap(Connection c, dev.floe.swarm.wire.BufferMap m, long now) {
    if (!origin && epochKnown && edge != null && m.span() > 0 && m.epoch() == realEpoch) {
      long estimate = edge.seq() + Math.max(0, now - edge.originTimeMillis()) / cfg.chunkMs();
      if (m.edgeSeq() > estimate + AHEAD_SLACK) {
        offence(c, "LYING_MAP", false,
            "claims seq " + m.edgeSeq() + ", the origin is near " + estimate);
        return;
      }
    }
    c.lastMap = m;
    if (!c.promoted) {
      promote(c, now);
      if (!c.promoted) {
        return;
      }
    }
    boolean stale = epochKnown && m.epoch() != realEpoch
        && now - lastChunkAt > STALE_EPOCH_CHUNKS * cfg.chunkMs();
    if (!origin && (!epochKnown || stale) && m.span() > 0 && now >= nextTuneInAt) {
      // Not tuned in: every partner's HELLO came before the stream had a chunk (a swarm that
      // started before its source). Or stale: this node's epoch stopped and a partner holds
      // another (the origin restarted; its link came back before the new epoch had a chunk, and
      // subscriptions of the old epoch carry nothing). Ask this one for its newest chunk; a
      // signed chunk tunes the gate in (a new epoch only if its origin time is newer), and then
      // maps and subscriptions work as usual.
      nextTuneInAt = now + TUNE_IN_RETRY_MS;
      c.send(new Frame.Request(m.epoch(), List.of(m.edgeSeq())));
    }
    dispatch(scheduler.onBufferMap(now, c.id,
        MapCodec.toScheduler(m, local(m.epoch()), cfg.substreams())));
  }

  private void onChunk(Connection c, Chunk chunk, long now) {
    c.payloadDown += chunk.heldLength();
    if (origin) {
      return;
    }
    ChunkGate.Verdict v = gate.offer(chunk);
    if (v.accepted()) {
      lastChunkAt = now;
      syncEpoch();
      store.put(chunk);
      if (edge == null || edge.epoch() != chunk.epoch() || chunk.seq() > edge.seq()) {
        edge = chunk.header();
      }
      c.lies = 0;
      c.noteSeq(chunk.seq());
      dispatch(scheduler.onChunk(now, c.id, localEpoch, chunk.seq(), chunk.heldLength(),
          chunk.header().originTimeMillis(), true));
      return;
    }
    if (v.banWorthy()) {
      offence(c, v.name(), true, chunk.toString());
      return;
    }
    if (v == ChunkGate.Verdict.OVERSIZED) {
      offence(c, v.name(), false, chunk.toString());
      return;
    }
    if (v == ChunkGate.Verdict.DUPLICATE && !chunk.verify(channel)) {
      // The gate skips the signature of a chunk it already took; a copy that does not verify
      // was altered by its sender all the same.
      offence(c, "FORGED", true, "a copy of a chunk already held: " + chunk);
      return;
    }
    boolean again = c.noteSeq(chunk.seq());
    if (v == ChunkGate.Verdict.DUPLICATE && !again) {
      dispatch(scheduler.onChunk(now, c.id, localEpoch, chunk.seq(), chunk.heldLength(),
          chunk.header().originTimeMillis(), true));
      return;
    }
    if (now - c.replaysSince > REPLAY_WINDOW_MS) {
      c.replaysSince = now;
      c.replays = 0;
    }
    if (++c.replays >= REPLAY_LIMIT) {
      offence(c, "REPLAY", false, c.replays + " chunks rejected in " + REPLAY_WINDOW_MS
          + " ms, last " + v + " " + chunk);
    }
  }

  private void onRequest(Connection c, Frame.Request r, long now) {
    RequestBucket.Outcome o = c.requests.take(r.seqs().size());
    if (o == RequestBucket.Outcome.FLOOD) {
      offence(c, "FLOODING", false, "requests far over " + settings.limits().requestsPerSecond()
          + "/s (peer-requests-per-second)");
      return;
    }
    if (o == RequestBucket.Outcome.REFUSE) {
      c.send(new Frame.NotFound(r.epoch(), r.seqs()));
      return;
    }
    if (tuneIn(c, r)) {
      return;
    }
    int le = local(r.epoch());
    List<Action> all = new ArrayList<>();
    for (long seq : r.seqs()) {
      long ms = epochKnown ? scheduler.deadline(seq) - now : 0;
      all.addAll(scheduler.onRequest(now, c.id, le, seq,
          (int) Math.max(Integer.MIN_VALUE / 2, Math.min(Integer.MAX_VALUE / 2, ms))));
    }
    dispatch(all);
  }

  /**
   * Serves a partner that is not tuned in (its last map holds nothing of this epoch) the one
   * chunk it asks for, once per epoch, outside the scheduler's rules (the origin serves only
   * last-resort chunks near their deadline, and an untuned node has no deadlines yet).
   */
  private boolean tuneIn(Connection c, Frame.Request r) {
    if (!epochKnown || r.epoch() != realEpoch || r.seqs().size() != 1
        || c.tunedInEpoch == realEpoch || !c.promoted
        || c.lastMap != null && c.lastMap.span() > 0 && c.lastMap.epoch() == realEpoch) {
      return false;
    }
    Chunk chunk = store.get(realEpoch, r.seqs().get(0));
    if (chunk == null) {
      return false;
    }
    c.tunedInEpoch = realEpoch;
    c.send(store.frame(realEpoch, chunk.seq()), chunk.heldLength());
    return true;
  }

  private void onNotFound(Connection c, Frame.NotFound n, long now) {
    if (c.id != Directory.ORIGIN && c.lastMap != null && c.lastMap.epoch() == n.epoch()) {
      for (long seq : n.seqs()) {
        c.lies += c.lastMap.has(seq) ? 1 : 0;
      }
      if (c.lies >= LIE_LIMIT) {
        offence(c, "LYING_MAP", false, c.lies + " chunks its map claimed were NOT_FOUND");
        return;
      }
    }
    if (c.promoted || c.id == Directory.ORIGIN) {
      int le = local(n.epoch());
      List<Action> all = new ArrayList<>();
      for (long seq : n.seqs()) {
        all.addAll(scheduler.onRefused(now, c.id, le, seq));
      }
      dispatch(all);
    }
  }

  private void onMetadata(Connection c, MetadataRecord m) {
    if (!m.verify(channel)) {
      offence(c, "FORGED", true, "metadata " + m);
      return;
    }
    if (origin) {
      return;
    }
    String id = m.epoch() + ":" + m.fromSeq() + ":" + m.title() + ":" + m.url();
    if (seenMetadata.contains(id)) {
      return;
    }
    seenMetadata.addLast(id);
    if (seenMetadata.size() > 64) {
      seenMetadata.removeFirst();
    }
    if (latestMetadata == null || latestMetadata.epoch() != m.epoch()
        || latestMetadata.fromSeq() <= m.fromSeq()) {
      latestMetadata = m;
    }
    playout.metadata(m);
    for (Connection p : partners.values()) {
      if (p != c) {
        p.send(new Frame.Metadata(m));
      }
    }
  }

  /**
   * A stream header: a forged one bans the sender; a new one is kept (for playout and for new
   * partners) and forwarded once to the other partners.
   */
  private void onHeader(Connection c, StreamHeader h) {
    if (!h.verify(channel)) {
      offence(c, "FORGED", true, "stream header " + h);
      return;
    }
    if (origin || !headers.add(h)) {
      return;
    }
    for (Connection p : partners.values()) {
      if (p != c) {
        p.send(new Frame.Header(h));
      }
    }
  }

  /**
   * Sends {@code c} the stream headers it may need: those of the current epoch from the one in
   * force at the bottom of the chunk window on (all held before any epoch is known).
   */
  private void sendHeaders(Connection c) {
    List<StreamHeader> all = epochKnown ? headers.of(realEpoch) : headers.all();
    StreamHeader base = epochKnown && edge != null && edge.epoch() == realEpoch
        ? headers.inForce(realEpoch, Math.max(0, edge.seq() - Scheduler.WINDOW)) : null;
    for (StreamHeader h : all) {
      if (c.closed) {
        return;
      }
      if (base == null || h.fromSeq() >= base.fromSeq()) {
        c.send(new Frame.Header(h));
      }
    }
  }

  private void onAnnounce(Connection c, Frame.Announce a, long now) {
    InetSocketAddress remote = c.remote();
    NodeId node = c.hello.node();
    if (remote != null
        && tracker.needsCheck(node, remote.getAddress(), a.listenPort(), now, c)) {
      Connection probe = dial(new InetSocketAddress(remote.getAddress(), a.listenPort()),
          Connection.Role.CONNECT_BACK, Integer.MIN_VALUE, node);
      probe.probeLink = c;
      probe.probePort = a.listenPort();
    }
    List<PeerRecord> answer = new ArrayList<>(tracker.sample(node, SAMPLE, now));
    PeerRecord own = tracker.record(node, now);
    if (own != null) {
      answer.add(own);
    }
    trackerAnswers++;
    c.send(new Frame.Peers(tracker.advisedLagMs(cfg.chunkMs()), answer));
    int firstTier = Math.min(cfg.partnerMax(), cfg.substreams() * cfg.originPushCopies());
    if (!c.promoted && a.listenPort() > 0 && a.uploadKbps() >= 3 * cfg.streamKbps()
        && partners.size() < firstTier) {
      promote(c, now);
    }
  }

  private void finishConnectBack(Connection probe, boolean ok, InetSocketAddress remote) {
    if (probe.expectedNode == null || tracker == null) {
      return;
    }
    NodeId node = probe.expectedNode;
    probe.expectedNode = null;
    InetAddress address = remote != null ? remote.getAddress()
        : probe.probeLink != null && probe.probeLink.remote() != null
            ? probe.probeLink.remote().getAddress() : null;
    if (address == null) {
      return;
    }
    tracker.checked(node, address, probe.probePort, ok, probe.probeLink, now());
    PeerRecord own = ok ? tracker.record(node, now()) : null;
    if (own != null && probe.probeLink != null && !probe.probeLink.closed) {
      probe.probeLink.send(new Frame.Peers(tracker.advisedLagMs(cfg.chunkMs()), List.of(own)));
    }
    LOG.log(System.Logger.Level.DEBUG, "swarm tracker: connect-back to " + address.getHostAddress()
        + ":" + probe.probePort + (ok ? " succeeded" : " failed"));
  }

  private void onPeers(Connection c, Frame.Peers p, long now) {
    boolean fromTracker = c == link;
    if (!fromTracker && p.peers().isEmpty()) {
      answerGossip(c, now);
      return;
    }
    List<Candidate> offered = learn(c, p.peers(), now, fromTracker);
    if (offered == null) {
      return;
    }
    if (!fromTracker) {
      dispatch(scheduler.onCandidates(now, offered, Math.max(0, localEpoch), -1, 0));
      return;
    }
    if (!lagAdvised) {
      lagAdvised = true;
      adoptLag(p.advisedLagMillis());
    }
    boolean known = edge != null && epochKnown && edge.epoch() == realEpoch;
    dispatch(scheduler.onCandidates(now, offered, known ? localEpoch : Math.max(0, localEpoch),
        known ? edge.seq() : -1, known ? edge.originTimeMillis() : 0));
  }

  private void sendAnnounce() {
    if (link == null || link.hello == null) {
      announcePending = true;
      return;
    }
    announcePending = false;
    announces++;
    SwarmStats st = scheduler.stats();
    link.send(new Frame.Announce(settings.advertisedPort(), Math.min(10_000_000, cfg.uploadKbps()),
        Math.min(1000, partners.size()), (int) Math.round(st.continuity() * 1_000_000)));
  }

  // ---- actions

  private void dispatch(List<Action> actions) {
    if (actions.isEmpty()) {
      return;
    }
    Map<Integer, TreeSet<Long>> requests = new LinkedHashMap<>();
    Map<Integer, TreeSet<Long>> refusals = new LinkedHashMap<>();
    for (Action a : actions) {
      if (a instanceof Action.SendBufferMap m) {
        Connection c = partners.get(m.to());
        if (c != null && c.writable()) {
          c.send(MapCodec.toWire(m.map(), realEpoch, origin || cfg.uploadKbps() > 0));
        }
      } else if (a instanceof Action.Push p) {
        sendChunk(p.to(), p.seq());
      } else if (a instanceof Action.Serve s) {
        sendChunk(s.to(), s.seq());
      } else if (a instanceof Action.Request r) {
        requests.computeIfAbsent(r.to(), k -> new TreeSet<>()).add(r.seq());
      } else if (a instanceof Action.OriginRequest r) {
        requests.computeIfAbsent(Directory.ORIGIN, k -> new TreeSet<>()).add(r.seq());
      } else if (a instanceof Action.Refuse r) {
        refusals.computeIfAbsent(r.to(), k -> new TreeSet<>()).add(r.seq());
      } else if (a instanceof Action.Subscribe s) {
        Connection c = partners.get(s.to());
        if (s.to() == Directory.ORIGIN) {
          LOG.log(System.Logger.Level.DEBUG, "swarm node " + self + ": subscribes to the origin for"
              + " substream " + s.substream() + (c == null ? " (not a partner)" : ""));
        }
        if (c != null) {
          c.send(new Frame.Subscribe(realEpoch, s.substream(), s.fromSeq()));
        }
      } else if (a instanceof Action.Unsubscribe u) {
        Connection c = partners.get(u.to());
        if (c != null) {
          c.send(new Frame.Unsubscribe(u.substream()));
        }
      } else if (a instanceof Action.RefuseSubscribe u) {
        Connection c = partners.get(u.to());
        if (origin) {
          LOG.log(System.Logger.Level.DEBUG, "swarm origin: refuses partner " + u.to()
              + " substream " + u.substream());
        }
        if (c != null) {
          c.send(new Frame.Unsubscribe(u.substream()));
        }
      } else if (a instanceof Action.FallbackStart) {
        LOG.log(System.Logger.Level.INFO, "swarm node " + self + ": the swarm is not keeping up;"
            + " direct pull from the mount; " + scheduler.describe(now()));
        playout.fallbackStart();
      } else if (a instanceof Action.FallbackStop) {
        LOG.log(System.Logger.Level.INFO, "swarm node " + self + ": the swarm delivers again;"
            + " direct pull stopped; " + scheduler.describe(now()));
        playout.fallbackStop();
      } else if (a instanceof Action.Connect k) {
        InetSocketAddress to = directory.address(k.peer());
        if (to != null && !to.isUnresolved() && !partners.containsKey(k.peer())) {
          dial(to, Connection.Role.DIALED, k.peer(), null);
        }
      } else if (a instanceof Action.Drop d) {
        Connection c = byId.get(d.peer());
        LOG.log(System.Logger.Level.INFO, "swarm node " + self + ": drops partner " + d.peer()
            + (c != null ? " " + c.address() : "") + (c == link ? " (origin link kept)" : ""));
        if (c != null && c != link) {
          close(c, Frame.Reason.FULL);
        } else if (c != null && partners.get(d.peer()) == c) {
          partners.remove(d.peer());
          c.promoted = false;
        }
      } else if (a instanceof Action.AskTracker) {
        askForPeers(now());
      }
    }
    requests.forEach((to, seqs) -> sendSeqs(to, seqs, true));
    refusals.forEach((to, seqs) -> sendSeqs(to, seqs, false));
  }

  private void sendChunk(int to, long seq) {
    Connection c = byId.get(to);
    Chunk chunk = store.get(realEpoch, seq);
    if (c != null && chunk != null && !c.closed) {
      if (!c.send(store.frame(realEpoch, seq), chunk.heldLength()) && c.slow) {
        offence(c, "SLOW_READER", false, c.queued() + " bytes unsent");
      }
    }
  }

  private void sendSeqs(int to, TreeSet<Long> seqs, boolean request) {
    Connection c = to == Directory.ORIGIN && !origin ? (link != null ? link : byId.get(to))
        : byId.get(to);
    if (c == null || c.hello == null) {
      return;
    }
    List<Long> all = new ArrayList<>(seqs);
    for (int i = 0; i < all.size(); i += Frame.MAX_SEQS) {
      List<Long> part = all.subList(i, Math.min(all.size(), i + Frame.MAX_SEQS));
      c.send(request ? new Frame.Request(realEpoch, part) : new Frame.NotFound(realEpoch, part));
    }
  }

  // ---- epochs, misbehaviour

  private void syncEpoch() {
    if (gate.edge() >= 0 && (!epochKnown || gate.epoch() != realEpoch)) {
      realEpoch = gate.epoch();
      localEpoch++;
      epochKnown = true;
      edge = null;
      playout.reset(realEpoch, scheduler.deadlines());
    }
  }

  private int local(int epoch) {
    return epochKnown && epoch == realEpoch ? localEpoch : -1;
  }

  private void offence(Connection c, String kind, boolean ban, String detail) {
    if (c.closed) {
      return;
    }
    String who = c.address() + (c.hello != null ? " (" + c.hello.node() + ")" : "");
    LOG.log(System.Logger.Level.WARNING, "swarm peer " + who + ": " + kind + ": " + detail
        + "; dropped" + (ban ? ", banned for " + BanList.FORGED_BAN.toMinutes() + " min" : ""));
    if (incidents.size() >= MAX_INCIDENTS) {
      incidents.removeFirst();
    }
    incidents.addLast(new SwarmNode.Incident(c.address(), kind, ban, now()));
    if (ban && c.banKey != null) {
      bans.ban(c.banKey, BanList.FORGED_BAN);
    }
    close(c, switch (kind) {
      case "FORGED", "TRUNCATED" -> Frame.Reason.FORGED;
      case "FLOODING" -> Frame.Reason.FLOODING;
      case "SLOW_READER" -> Frame.Reason.IDLE;
      default -> Frame.Reason.PROTOCOL_ERROR;
    });
  }

  /**
   * Bans key on the IP address (node ids are self-chosen); on loopback, where every local node
   * shares one address, on the address and the node id.
   */
  private static String banKey(InetSocketAddress remote, NodeId node) {
    if (remote == null) {
      return "?#" + node;
    }
    InetAddress a = remote.getAddress();
    return a.isLoopbackAddress() ? a.getHostAddress() + "#" + node : a.getHostAddress();
  }

  // ---- gossip (PEX), alternatives, advised lag

  /**
   * Takes verified records: this node's own one is kept as such, the others go to the view and
   * become candidates ({@code all}, or while the node is short of partners). A forged record bans
   * the sender (null is returned).
   */
  private List<Candidate> learn(Connection c, List<PeerRecord> records, long now, boolean all) {
    List<Candidate> offered = new ArrayList<>();
    for (PeerRecord r : records) {
      if (!r.verify(channel)) {
        offence(c, "FORGED", true, "peer record " + r);
        return null;
      }
      if (r.node().equals(self)) {
        view.own(r);
        continue;
      }
      if (r.expired(now) || !r.connectable() || r.port() == 0) {
        continue;
      }
      learnt |= view.add(r, now);
      if (all || partners.size() < cfg.partnerTarget()) {
        offered.add(new Candidate(directory.idFor(new InetSocketAddress(r.address(), r.port())),
            true));
      }
    }
    return offered;
  }

  /**
   * The scheduler is short of candidates. On joining, the tracker. Then the view's freshest
   * records; without any, one partner (an empty PEERS asks it); the tracker only when the
   * partner had nothing new last time, when the node has no partner to ask, or when
   * {@link PeerView#REFUSALS_TO_TRACKER} nodes refused it as FULL since the last ask.
   */
  private void askForPeers(long now) {
    if (!askedTracker) {
      askedTracker = true;
      sendAnnounce();
      return;
    }
    if (refusals >= PeerView.REFUSALS_TO_TRACKER) {
      // The records gossip gave were mostly of full nodes: the tracker knows better.
      refusals = 0;
      askedPartners = false;
      sendAnnounce();
      return;
    }
    refusals = 0;
    List<Candidate> known = new ArrayList<>();
    for (PeerRecord r : view.candidates(SAMPLE, now)) {
      int id = directory.idFor(new InetSocketAddress(r.address(), r.port()));
      if (!partners.containsKey(id)) {
        known.add(new Candidate(id, true));
      }
    }
    if (!known.isEmpty()) {
      dispatch(scheduler.onCandidates(now, known, Math.max(0, localEpoch), -1, 0));
    }
    List<Connection> asked = gossipPartners();
    if (!asked.isEmpty() && !known.isEmpty()) {
      return;
    }
    if (!asked.isEmpty() && (!askedPartners || learnt) && view.mayAsk(now)) {
      askedPartners = true;
      learnt = false;
      asked.get(random.nextInt(asked.size())).send(new Frame.Peers(0, List.of()));
      return;
    }
    askedPartners = false;
    sendAnnounce();
  }

  /** A partner's request (an empty PEERS): records from the view, at most once per 10 s. */
  private void answerGossip(Connection c, long now) {
    if (origin || !c.promoted || !view.mayAnswer(c.id, now)) {
      return;
    }
    List<PeerRecord> some = view.sample(PeerView.ANSWER_RECORDS, now, c.hello.node(), roomy());
    if (!some.isEmpty()) {
      c.send(new Frame.Peers(0, some));
    }
  }

  /** The slow push to one partner in turn, and the renewal of this node's own record. */
  private void gossip(long now) {
    int turn = view.pushTurn(now);
    if (turn >= 0) {
      List<Connection> to = gossipPartners();
      if (!to.isEmpty()) {
        Connection c = to.get(turn % to.size());
        List<PeerRecord> some = view.sample(PeerView.PUSH_RECORDS, now, c.hello.node(), roomy());
        if (!some.isEmpty() && c.writable()) {
          c.send(new Frame.Peers(0, some));
        }
      }
    }
    if (view.ownExpiring(now) && now >= nextRenewAt) {
      nextRenewAt = now + 60_000;
      sendAnnounce();
    }
  }

  /** Partners other than the origin. */
  private List<Connection> gossipPartners() {
    List<Connection> out = new ArrayList<>();
    for (Connection c : partners.values()) {
      if (c.id != Directory.ORIGIN && c.hello != null && !c.closed) {
        out.add(c);
      }
    }
    return out;
  }

  /** Whether this node has a free partner slot (its own record is worth passing on). */
  private boolean roomy() {
    return partners.size() < cfg.partnerMax();
  }

  /** Records to hand a partner dropped or refused as FULL (at most {@link PeerView#ALTERNATIVES}). */
  private List<PeerRecord> alternatives(Connection c) {
    if (c.hello == null) {
      return List.of();
    }
    long now = now();
    return origin ? tracker.sample(c.hello.node(), PeerView.ALTERNATIVES, now)
        : view.sample(PeerView.ALTERNATIVES, now, c.hello.node(), false);
  }

  /**
   * GOODBYE or REJECT: a peer leaving is forgotten, a full one held off for a while; its
   * alternatives go to the view, and are candidates at once if this node is badly short.
   */
  private void onLeave(Connection c, Frame.Reason reason, List<PeerRecord> alternatives,
      long now) {
    if (origin) {
      close(c, null);
      return;
    }
    List<Candidate> offered = learn(c, alternatives, now, true);
    if (offered == null) {
      return;
    }
    if (c.hello != null && reason == Frame.Reason.FULL) {
      view.refusedBy(c.hello.node(), now);
      refusals++;
    } else if (c.hello != null && reason == Frame.Reason.SHUTDOWN) {
      view.forget(c.hello.node());
    }
    close(c, null);
    // Alternatives are dialed at once only by a node badly short of partners: most may be full
    // too, and each refusal hands out more (in the simulation, dialing them all cascaded into
    // thousands of refusals a minute when connectable slots ran short). Otherwise they wait in
    // the view for the scheduler's next ask.
    if (!offered.isEmpty() && !closed && partners.size() < (cfg.partnerTarget() + 1) / 2) {
      dispatch(scheduler.onCandidates(now, offered, Math.max(0, localEpoch), -1, 0));
    }
  }

  /** The tracker's first answer: a peer whose lag is automatic adopts the advised one. */
  private void adoptLag(int advised) {
    if (!settings.autoLag() || advised <= 0) {
      return;
    }
    int lag = SchedulerConfig.clampLagMs(advised, cfg.chunkMs());
    if (scheduler.adoptLag(lag)) {
      LOG.log(System.Logger.Level.INFO, "swarm node " + self + ": plays " + lag
          + " ms behind the origin (the tracker's advice)");
    } else {
      LOG.log(System.Logger.Level.INFO, "swarm node " + self + ": the tracker advises " + lag
          + " ms but playout already started; keeps " + scheduler.lagMs() + " ms");
    }
  }

  // ---- figures

  List<SwarmNode.Incident> incidents() {
    return List.copyOf(incidents);
  }

  boolean banned(String key) {
    return bans.banned(key);
  }

  SwarmNode.Traffic traffic() {
    long up = closedUp;
    long down = closedDown;
    long pu = closedPayloadUp;
    long pd = closedPayloadDown;
    for (Connection c : connections) {
      up += c.bytesUp;
      down += c.bytesDown;
      pu += c.payloadUp;
      pd += c.payloadDown;
    }
    return new SwarmNode.Traffic(up, down, pu, pd);
  }

  SwarmNode.Stats stats() {
    SwarmStats st = scheduler.stats();
    Map<Integer, PartnerStats> byPeer = new HashMap<>();
    st.partners().forEach(p -> byPeer.put(p.peer(), p));
    List<SwarmNode.PartnerInfo> list = new ArrayList<>();
    for (Connection c : partners.values()) {
      PartnerStats ps = byPeer.get(c.id);
      InetSocketAddress seen = c.remote();
      int port = c.hello != null ? c.hello.listenPort() : 0;
      String address = seen != null && port > 0 && c.role == Connection.Role.ACCEPTED
          ? seen.getAddress().getHostAddress() + ":" + port : c.address();
      list.add(new SwarmNode.PartnerInfo(address, c.role != Connection.Role.ACCEPTED,
          c.bytesUp, c.bytesDown, c.rttMs, ps != null && ps.parentOf() != 0,
          ps != null && ps.childOf() != 0, c.hello == null ? "" : c.hello.node().toString()));
    }
    SwarmNode.Traffic t = traffic();
    long payload = t.payloadUp() + t.payloadDown();
    double overhead = payload == 0 ? 0
        : (double) (t.bytesUp() + t.bytesDown() - payload) / payload;
    return new SwarmNode.Stats(list, st.continuity(), st.originShare(), scheduler.lagMs(), overhead,
        t.payloadUp(), t.payloadDown(), t.bytesUp(), t.bytesDown(), scheduler.inFallback(),
        origin ? tracker.size() : -1);
  }

  SwarmNode.Playout playoutFigures() {
    SwarmStats st = scheduler.stats();
    return origin ? new SwarmNode.Playout(0, 0, 0, 0, 0)
        : new SwarmNode.Playout(st.due(), st.inTime(), playout.playedChunks(),
            playout.playedBytes(), st.fallbacks());
  }

  int trackerAnswers() {
    return origin ? trackerAnswers : -1;
  }

  int announces() {
    return origin ? -1 : announces;
  }

  int viewSize() {
    return origin ? -1 : view.size(now());
  }

  boolean trackerLists(NodeId node) {
    return tracker != null && tracker.listed(node);
  }
}
