package dev.floe.swarm.node;

import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.guard.ChunkGate;
import dev.floe.swarm.join.JoinAddress;
import dev.floe.swarm.schedule.Action;
import dev.floe.swarm.schedule.Scheduler;
import dev.floe.swarm.schedule.SchedulerConfig;
import dev.floe.swarm.wire.Frame;
import dev.floe.swarm.wire.FrameException;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The event-loop shell of one {@link SwarmNode}: lifecycle (start, the tick, close) and routing.
 * It owns the node's parts and sends each event to the one whose job it is:
 *
 * <ul>
 *   <li>{@link Links}: connections by role and id, dials and redials, crossed dials, the
 *       tracker's connect-backs, closing, pings;
 *   <li>{@link Handshake}: HELLO both ways and promotion to partner;
 *   <li>{@link FrameIntake}: every frame after HELLO, chunks through the {@link ChunkGate};
 *   <li>{@link ActionOutput}: the {@link Scheduler}'s actions as frames;
 *   <li>{@link Publisher}: the origin's chunks, stream headers and metadata, signed;
 *   <li>{@link Gossip}: peer records (the shared {@code gossip.PeerGossip} machine), the
 *       tracker's answers and the advised lag;
 *   <li>{@link Offences}: misbehaviour, bans and incidents;
 *   <li>{@link Counters}: traffic and the figures {@link SwarmNode} reports.
 * </ul>
 *
 * <p>Time comes from one injected {@link NodeClock}. Every method but {@link #execute} must be
 * called on the loop.
 */
final class NodeRuntime {
  static final System.Logger LOG = System.getLogger(SwarmNode.class.getName());
  /** Scheduler tick and playout period. */
  static final int TICK_MS = 100;
  /** How often a node on the direct pull logs its state. */
  static final int DESCRIBE_MS = 10_000;

  final SwarmNode.Settings settings;
  final SchedulerConfig cfg;
  final boolean origin;
  final ChannelKey channel;
  final EventLoop loop;
  final NodeClock clock;
  final NodeId self = NodeId.random(new SecureRandom());
  final JoinAddress join;
  /** {@link PeerIds#ORIGIN} on the origin, else -2 (a peer is never addressed by itself). */
  final int selfId;
  final Scheduler scheduler;
  final ChunkGate gate;
  final ChunkStore store = new ChunkStore(Scheduler.WINDOW);
  final HeaderBook headers = new HeaderBook();
  final StreamState stream = new StreamState();
  /** Null on the origin. */
  final Playout playout;
  /** Null on a peer. */
  final Tracker tracker;
  /** Null on the origin. */
  final PeerIds directory;

  final Counters counters;
  final Offences offences;
  final Links links;
  final Handshake handshake;
  final Gossip gossip;
  final ActionOutput out;
  final FrameIntake intake;
  final Publisher publisher;

  private long nextDescribeAt;
  private ScheduledFuture<?> ticker;
  private boolean started;
  boolean closed;

  NodeRuntime(SwarmNode.Settings settings, SchedulerConfig cfg, OriginKey key, JoinAddress join,
      SwarmNode.Listener listener, EventLoop loop, NodeClock clock) {
    this.settings = settings;
    this.cfg = cfg;
    this.origin = key != null;
    this.join = join;
    this.channel = origin ? key.channelKey() : join.channel();
    this.loop = loop;
    this.clock = clock;
    SecureRandom seeds = new SecureRandom();
    this.selfId = origin ? PeerIds.ORIGIN : -2;
    this.scheduler = new Scheduler(cfg, selfId, PeerIds.ORIGIN, seeds.nextLong(),
        clock.wallMillis());
    scheduler.pullDuringFallback(true);
    this.gate = new ChunkGate(channel, ChunkGate.Settings.DEFAULTS, clock.wall());
    this.playout = origin ? null : new Playout(listener, store, headers);
    this.tracker = origin ? new Tracker(key, seeds.nextLong()) : null;
    this.directory = origin ? null
        : new PeerIds(InetSocketAddress.createUnresolved(join.host(), join.port()));
    this.counters = new Counters(this);
    this.offences = new Offences(this);
    this.links = new Links(this);
    this.handshake = new Handshake(this);
    this.gossip = new Gossip(this, seeds.nextLong());
    this.out = new ActionOutput(this);
    this.intake = new FrameIntake(this);
    this.publisher = new Publisher(this, key);
  }

  /** Runs {@code task} on the loop (at once if already on it). */
  void execute(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  // ---- lifecycle

  /** Starts; a peer dials the origin at {@code originAddress} (resolved by the caller). */
  void start(InetSocketAddress originAddress) {
    if (started || closed) {
      return;
    }
    started = true;
    if (directory != null && originAddress != null && !originAddress.isUnresolved()) {
      directory.origin(originAddress);
    }
    ticker = loop.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    dispatch(scheduler.start(clock.wallMillis()));
    links.start(originAddress);
  }

  void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (ticker != null) {
      ticker.cancel(false);
    }
    links.closeAll(Frame.Reason.SHUTDOWN);
    store.close();
  }

  private void tick() {
    if (closed) {
      return;
    }
    try {
      long now = clock.wallMillis();
      long mono = clock.millis();
      if (!origin) {
        scheduler.repairFrom(playout.stalledOn(now, scheduler::deadline));
      }
      dispatch(scheduler.tick(now));
      afterScheduler(now);
      if ((origin || scheduler.inFallback()) && mono >= nextDescribeAt) {
        nextDescribeAt = mono + DESCRIBE_MS;
        LOG.log(origin ? System.Logger.Level.DEBUG : System.Logger.Level.INFO, "swarm node " + self
            + (origin ? " (origin): " : " on the direct pull: ") + scheduler.describe(now));
      }
      links.tick(mono);
      if (!origin) {
        gossip.tick(now);
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "swarm node tick failed", e);
    }
  }

  /** After every scheduler event: a peer's playout starts once it can, and plays what is due. */
  void afterScheduler(long now) {
    if (!origin) {
      if (!playout.started() && stream.epochKnown && scheduler.epoch() == stream.localEpoch
          && scheduler.playSeq() >= 0) {
        playout.start(scheduler.playSeq());
      }
      playout.run(now, scheduler::deadline);
    }
  }

  /** Sends the scheduler's actions out. */
  void dispatch(List<Action> actions) {
    out.dispatch(actions);
  }

  /** Bytes a peer pulled directly from the mount (its fallback), for playout. */
  void directBytes(int epoch, long position) {
    if (!origin && !closed) {
      playout.directBytes(epoch, position);
    }
  }

  // ---- connections (called by Connection on the loop)

  void onConnected(Connection c) {
    if (c.closed) {
      return;
    }
    if (closed) {
      links.close(c, null);
      return;
    }
    handshake.greet(c);
  }

  void onRead(Connection c, int bytes, List<Frame> frames, FrameException error) {
    if (!links.admit(c)) {
      return;
    }
    c.bytesDown += bytes;
    for (Frame f : frames) {
      if (c.closed) {
        return;
      }
      try {
        route(c, f);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "swarm: handling " + f.type() + " from " + c.address(), e);
        links.close(c, Frame.Reason.PROTOCOL_ERROR);
      }
    }
    if (error != null && !c.closed) {
      offences.offence(c, error.kind().name(), false, error.getMessage());
    }
  }

  void onClosed(Connection c) {
    if (!links.forget(c)) {
      return;
    }
    counters.closed(c);
    links.afterClose(c);
    if (tracker != null) {
      tracker.linkClosed(c);
    }
    gossip.closed(c);
    if (links.unpartner(c) && !closed) {
      long now = clock.wallMillis();
      dispatch(scheduler.onPartnerRemoved(now, c.id));
      afterScheduler(now);
    }
  }

  // ---- routing

  private void route(Connection c, Frame f) {
    long now = clock.wallMillis();
    if (f instanceof Frame.Hello h) {
      handshake.onHello(c, h, now);
      return;
    }
    if (c.hello == null) {
      return;
    }
    if (f instanceof dev.floe.swarm.wire.BufferMap m) {
      intake.onMap(c, m, now);
    } else if (f instanceof Frame.ChunkData d) {
      intake.onChunk(c, d.chunk(), now);
    } else if (f instanceof Frame.Request r) {
      intake.onRequest(c, r, now);
    } else if (f instanceof Frame.NotFound n) {
      intake.onNotFound(c, n, now);
    } else if (f instanceof Frame.Subscribe s) {
      intake.onSubscribe(c, s, now);
    } else if (f instanceof Frame.Unsubscribe u) {
      intake.onUnsubscribe(c, u, now);
    } else if (f instanceof Frame.Ping p) {
      c.send(new Frame.Pong(p.token()));
    } else if (f instanceof Frame.Pong p) {
      links.onPong(c, p.token());
    } else if (f instanceof Frame.Metadata m) {
      intake.onMetadata(c, m.record());
    } else if (f instanceof Frame.Header h) {
      intake.onHeader(c, h.header());
    } else if (f instanceof Frame.Announce a) {
      if (origin) {
        gossip.onAnnounce(c, a, now);
      }
    } else if (f instanceof Frame.Peers p) {
      if (!origin) {
        gossip.onPeers(c, p, now);
      }
    } else if (f instanceof Frame.Goodbye g) {
      gossip.onLeave(c, g.reason(), g.alternatives(), now);
    } else if (f instanceof Frame.Reject r) {
      gossip.onLeave(c, r.reason(), r.alternatives(), now);
    }
    afterScheduler(now);
  }
}
