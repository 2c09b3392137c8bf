package dev.floe.proxy.swarm;

import dev.floe.icy.head.HeadLimits;
import dev.floe.proxy.config.LimitSettings;
import dev.floe.proxy.config.MountSettings;
import dev.floe.proxy.config.SwarmSettings;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.status.SwarmStatus;
import dev.floe.proxy.upstream.UpstreamClient;
import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.join.JoinAddress;
import dev.floe.swarm.node.SwarmNode;
import dev.floe.swarm.schedule.SchedulerConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The swarm nodes of a running Floe, one per mount with a {@code swarm { }} block, and the
 * lookup the front uses to hand a peer connection to the node of its channel.
 *
 * <p>An origin mount gets short epochs and an {@link OriginPublisher}; its key is loaded (or
 * created, mode 0600) and its join address logged and printed. A peer mount gets a {@link
 * PeerPlayout}; its upstream client runs only while the node falls back. A node that cannot
 * start (unreadable key, ...) is logged and shown in the status; a peer mount without a node
 * pulls directly all the time, so its players still play.
 */
public final class SwarmMounts implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SwarmMounts.class);

  private final EventLoopGroup group;
  private final SslContext ssl;
  private final HeadLimits limits;
  private final String bind;
  private final String hostname;
  private final PrintStream out;
  private final LimitSettings peerLimits;
  private final Map<String, Running> byMount = new ConcurrentHashMap<>();
  private final Map<ChannelKey, SwarmNode> byChannel = new ConcurrentHashMap<>();
  private volatile int port;

  /** One mount's node and its glue. */
  private record Running(SwarmNode node, ChannelKey channel, PeerPlayout playout,
      UpstreamClient permanent) {}

  /**
   * @param bind the server's bind address (peers dial from it; the tracker's connect-back reaches
   *     it)
   * @param hostname the server's public host name, for the origin's join address
   * @param out where the origin prints its join address (stdout), or null
   */
  public SwarmMounts(EventLoopGroup group, SslContext ssl, HeadLimits limits, String bind,
      String hostname, PrintStream out) {
    this(group, ssl, limits, bind, hostname, out, LimitSettings.defaults());
  }

  /**
   * As above, with the server's {@code limits} block, whose {@code peer-*} keys bound every
   * node's peer connections and partners.
   */
  public SwarmMounts(EventLoopGroup group, SslContext ssl, HeadLimits limits, String bind,
      String hostname, PrintStream out, LimitSettings serverLimits) {
    this.peerLimits = serverLimits;
    this.group = group;
    this.ssl = ssl;
    this.limits = limits;
    this.bind = bind;
    this.hostname = hostname;
    this.out = out;
  }

  /** The port peers reach this node at (the HTTP port); set once it is bound, before any start. */
  public void port(int bound) {
    this.port = bound;
  }

  /** The node of a channel, or null: what the front hands peer connections to. */
  public SwarmNode node(ChannelKey channel) {
    return byChannel.get(channel);
  }

  /** Starts {@code mount}'s node when it has a swarm block; no-op otherwise. */
  public void start(Mount mount) {
    SwarmSettings s = mount.settings().swarm();
    if (s == null) {
      return;
    }
    try {
      if (s.origin()) {
        startOrigin(mount, s);
      } else {
        startPeer(mount, s);
      }
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      log.error("{}: swarm {} did not start: {}", mount.path(), s.role().word(), why);
      Running fallback = null;
      if (!s.origin()) {
        // Without a node the players still play: pull directly, all the time.
        UpstreamClient c = new UpstreamClient(mount, group.next(), ssl, limits);
        c.start();
        fallback = new Running(null, null, null, c);
        byMount.put(mount.path(), fallback);
      }
      String join = s.origin() ? null : s.join().toString();
      mount.swarm().status(() -> new SwarmStatus(s.role().word(), join, List.of(), 0, 0, 0, 0, 0,
          0, 0, 0, !s.origin(), -1, why));
    }
  }

  private SwarmNode.Settings settings(SwarmSettings s) {
    SchedulerConfig c = SchedulerConfig.of(s.bitrateKbps(), s.uploadKbps());
    c = new SchedulerConfig(c.streamKbps(), c.chunkMs(), c.substreams(), c.lagMs(),
        c.uploadKbps(), Math.min(s.partners(), peerLimits.peerPartners()),
        peerLimits.peerPartners(), false, s.copies(), c.mapBudget());
    if (s.lagMs() > 0) {
      c = c.withLagMs(s.lagMs());
    }
    if (s.origin()) {
      c = c.asOrigin(s.copies());
    }
    return new SwarmNode.Settings(c, port, bind, peerLimits.peer(), s.lagMs() == 0);
  }

  private void startOrigin(Mount mount, SwarmSettings s) throws IOException {
    OriginKey key = OriginKey.loadOrCreate(s.resolvedKeyFile(mount.path()));
    SwarmNode node = SwarmNode.origin(settings(s), key, group);
    mount.swarm().shortEpochs(true);
    OriginPublisher publisher = new OriginPublisher(mount, node);
    node.onFailure(publisher.errors()::failed);
    mount.swarm().onAppended(publisher);
    ChannelKey channel = key.channelKey();
    byChannel.put(channel, node);
    byMount.put(mount.path(), new Running(node, channel, null, null));
    node.start();
    String join = new JoinAddress(false, hostname, port, mount.path(), channel).toString();
    log.info("{}: swarm origin; join address {}", mount.path(), join);
    if (out != null) {
      out.println("Join address for " + mount.path() + ": " + join);
      out.flush();
    }
    mount.swarm().status(() -> {
      SwarmNode.Stats st = node.stats();
      return status("origin", join, st, publisher.errors(), false, st.lagMs(), Double.NaN);
    });
  }

  private void startPeer(Mount mount, SwarmSettings s) {
    EventLoop loop = group.next();
    PeerPlayout playout = new PeerPlayout(mount, loop, "swarm " + s.join(), () -> {
      UpstreamClient c = new UpstreamClient(mount, loop, ssl, limits);
      return new PeerPlayout.Direct() {
        @Override
        public void start() {
          c.start();
        }

        @Override
        public void stop() {
          c.close();
        }
      };
    });
    SwarmNode node = SwarmNode.peer(settings(s), s.join(), group, playout);
    playout.node(node::directBytes);
    StreamInfoProbe.probe(mount.settings().upstreams().get(0), mount.settings().userAgent())
        .thenAccept(info -> {
          if (info != null) {
            playout.announced(info);
          }
        });
    playout.start();
    byMount.put(mount.path(), new Running(node, s.join().channel(), playout, null));
    byChannel.put(s.join().channel(), node);
    node.start();
    log.info("{}: swarm peer of {} (fallback {})", mount.path(), s.join(),
        mount.settings().upstreams());
    String join = s.join().toString();
    RecentContinuity recent = new RecentContinuity();
    mount.swarm().status(() -> {
      SwarmNode.Stats st = node.stats();
      long lag = playout.measuredLagMs();
      return status("peer", join, st, playout.errors(), playout.fallback(),
          lag >= 0 ? (int) Math.min(Integer.MAX_VALUE, lag) : st.lagMs(),
          recent.update(node.playout()));
    });
  }

  static SwarmStatus status(String role, String join, SwarmNode.Stats st, SwarmErrors errors,
      boolean pulling, int lagMs, double recentContinuity) {
    List<SwarmStatus.Partner> partners = new ArrayList<>();
    for (SwarmNode.PartnerInfo p : st.partners()) {
      partners.add(new SwarmStatus.Partner(p.address(), p.bytesUp(), p.bytesDown(), p.rttMs(),
          p.node()));
    }
    return new SwarmStatus(role, join, partners, st.continuity(), st.originShare(), lagMs,
        st.controlOverhead(), st.payloadUp(), st.payloadDown(), st.wireUp(), st.wireDown(),
        st.fallback() || pulling, st.trackerPeers(), null, errors.count(), errors.last(),
        recentContinuity);
  }

  /**
   * Continuity over about the last minute, from the node's cumulative playout figures sampled
   * when the status is read (a sample at most every 5 s, kept for 60 s).
   */
  static final class RecentContinuity {
    private static final long WINDOW_NANOS = 60_000_000_000L;
    private final java.util.ArrayDeque<long[]> samples = new java.util.ArrayDeque<>();

    synchronized double update(SwarmNode.PlayoutStats p) {
      long now = System.nanoTime();
      if (samples.isEmpty() || now - samples.peekLast()[0] >= 5_000_000_000L) {
        samples.addLast(new long[] {now, p.due(), p.inTime()});
      }
      while (samples.size() > 1) { // keep the newest sample at least a window old
        java.util.Iterator<long[]> it = samples.iterator();
        it.next();
        if (now - it.next()[0] < WINDOW_NANOS) {
          break;
        }
        samples.removeFirst();
      }
      long[] first = samples.peekFirst();
      long due = p.due() - first[1];
      return due <= 0 ? 1.0 : (double) (p.inTime() - first[2]) / due;
    }
  }

  /** Stops {@code path}'s node (mount removed or changed). */
  public void stop(String path) {
    Running r = byMount.remove(path);
    if (r == null) {
      return;
    }
    if (r.channel() != null) {
      byChannel.remove(r.channel(), r.node());
    }
    if (r.playout() != null) {
      r.playout().close();
    }
    if (r.permanent() != null) {
      r.permanent().close();
    }
    if (r.node() != null) {
      try {
        r.node().close();
      } catch (RuntimeException e) {
        log.warn("{}: swarm node close: {}", path, e.toString());
      }
    }
  }

  /** Whether a mount's swarm block changed in a way that needs a new node. */
  public static boolean changed(MountSettings before, MountSettings after) {
    return !java.util.Objects.equals(before.swarm(), after.swarm());
  }

  @Override
  public void close() {
    for (String path : new ArrayList<>(byMount.keySet())) {
      stop(path);
    }
  }
}
