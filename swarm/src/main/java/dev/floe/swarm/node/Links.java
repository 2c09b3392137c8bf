package dev.floe.swarm.node;

import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.wire.Frame;
import dev.floe.swarm.wire.PeerWire;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A node's connections: who is linked (all connections, by id, partners, the origin link), dials
 * (partners, the origin link redialled with backoff, the tracker's connect-backs), crossed dials,
 * closing, and keeping links alive (pings and their round-trip times, idle accepted links).
 * Timers run on the node's monotonic clock. Not thread-safe: the node's loop owns it.
 */
final class Links {
  /** RTT probe period per partner. */
  static final int PING_MS = 10_000;
  /** Dial and connect-back timeout. */
  static final int CONNECT_TIMEOUT_MS = 3000;
  /**
   * A peer closes an accepted connection that has not become a partner (no BUFFERMAP) after this
   * long. (The origin keeps its peers' links: they carry ANNOUNCE and last-resort requests.)
   */
  static final int PENDING_MS = 30_000;
  /** Origin link redial backoff bounds. */
  static final int LINK_RETRY_MS = 1000;
  static final int LINK_RETRY_MAX_MS = 30_000;

  private final NodeRuntime n;
  final Set<Connection> connections = new LinkedHashSet<>();
  final Map<Integer, Connection> byId = new HashMap<>();
  final Map<Integer, Connection> partners = new LinkedHashMap<>();
  /** A peer's link to the origin (null while down, and on the origin). */
  Connection link;
  private InetSocketAddress originAddress;
  private long nextLinkDialAt;
  private int linkBackoff = LINK_RETRY_MS;

  Links(NodeRuntime n) {
    this.n = n;
  }

  /** A peer dials the origin at {@code originAddress} (resolved by the caller). */
  void start(InetSocketAddress originAddress) {
    this.originAddress = originAddress;
    if (!n.origin) {
      dialLink();
    }
  }

  /** Per tick: idle accepted links closed, slow readers dropped, pings sent, the link redialled. */
  void tick(long mono) {
    if (!n.origin) {
      for (Connection c : List.copyOf(connections)) {
        if (c.role == Connection.Role.ACCEPTED && !c.promoted && mono - c.openedAt > PENDING_MS) {
          close(c, Frame.Reason.IDLE);
        }
      }
    }
    for (Connection c : List.copyOf(partners.values())) {
      if (c.slow) {
        n.offences.offence(c, "SLOW_READER", false, c.queued() + " bytes unsent");
      } else if (mono >= c.nextPingAt && c.writable()) {
        c.nextPingAt = mono + PING_MS;
        c.send(new Frame.Ping(mono));
      }
    }
    if (!n.origin && link == null && mono >= nextLinkDialAt) {
      dialLink();
    }
  }

  /** A PONG: its token is the monotonic time its PING left. */
  void onPong(Connection c, long token) {
    long rtt = n.clock.millis() - token;
    if (rtt >= 0 && rtt < 60_000) {
      c.rttMs = (int) rtt;
    }
  }

  // ---- dials

  private void dialLink() {
    InetSocketAddress to = originAddress;
    if (to == null || to.isUnresolved()) {
      NodeRuntime.LOG.log(System.Logger.Level.WARNING,
          "swarm: cannot resolve the origin " + n.join.host());
      retryLink();
      return;
    }
    link = dial(to, Connection.Role.ORIGIN_LINK, PeerIds.ORIGIN, null);
  }

  private void retryLink() {
    nextLinkDialAt = n.clock.millis() + linkBackoff;
    linkBackoff = Math.min(LINK_RETRY_MAX_MS, linkBackoff * 2);
  }

  /** The origin link completed its HELLO: the next redial starts from the shortest backoff. */
  void linkUp() {
    linkBackoff = LINK_RETRY_MS;
  }

  /** Dials partner {@code id} at {@code to} unless it is one already. */
  void dialPartner(int id, InetSocketAddress to) {
    if (to != null && !to.isUnresolved() && !partners.containsKey(id)) {
      dial(to, Connection.Role.DIALED, id, null);
    }
  }

  /**
   * The tracker checks that {@code node}, which announced over {@code announcer}, accepts
   * connections at {@code address}:{@code port}: a HELLO from that node within {@link
   * #CONNECT_TIMEOUT_MS} lists it.
   */
  void connectBack(Connection announcer, InetAddress address, int port, NodeId node) {
    Connection probe = dial(new InetSocketAddress(address, port), Connection.Role.CONNECT_BACK,
        Integer.MIN_VALUE, node);
    probe.probeLink = announcer;
    probe.probePort = port;
  }

  private Connection dial(InetSocketAddress to, Connection.Role role, int id, NodeId expected) {
    Connection c = new Connection(role, n, n.clock.millis());
    c.dialId = id;
    c.expectedNode = expected;
    Bootstrap b = new Bootstrap().group(n.loop).channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
        .handler(c);
    ChannelFuture f = n.settings.bind() == null ? b.connect(to)
        : b.connect(to, new InetSocketAddress(n.settings.bind(), 0));
    c.bind(f.channel());
    connections.add(c);
    f.addListener((ChannelFutureListener) done -> {
      if (!done.isSuccess()) {
        n.execute(() -> n.onClosed(c));
      }
    });
    if (role == Connection.Role.CONNECT_BACK) {
      n.loop.schedule(() -> {
        if (!c.closed) {
          close(c, null);
        }
      }, CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
    return c;
  }

  /** A connect-back ended ({@code ok}: the expected node answered); the tracker learns it. */
  void finishConnectBack(Connection probe, boolean ok, InetSocketAddress remote) {
    if (probe.expectedNode == null || n.tracker == null) {
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
    long wall = n.clock.wallMillis();
    n.tracker.checked(node, address, probe.probePort, ok, probe.probeLink, wall);
    if (ok) {
      n.gossip.sendOwnRecord(probe.probeLink, node, wall);
    }
    NodeRuntime.LOG.log(System.Logger.Level.DEBUG, "swarm tracker: connect-back to "
        + address.getHostAddress() + ":" + probe.probePort + (ok ? " succeeded" : " failed"));
  }

  // ---- partners

  /**
   * Makes {@code c} a partner under its id; a second connection with the same node replaces the
   * first only when the two were crossed dials ({@link #crossedAndKept}). False if {@code c} was
   * closed instead.
   */
  boolean enlist(Connection c) {
    Connection other = partners.get(c.id);
    if (other != null && other != c) {
      if (!crossedAndKept(c, other)) {
        close(c, Frame.Reason.REPLACED);
        return false;
      }
      NodeRuntime.LOG.log(System.Logger.Level.INFO, "swarm node " + n.self + ": crossed dials with "
          + c.address() + "; keeps the link node " + minDialer(c, other) + " dialed");
      byId.put(c.id, c);
      close(other, Frame.Reason.REPLACED); // takes it out of partners and the scheduler
      if (c.closed) {
        return false;
      }
    }
    if (c.id == n.selfId) {
      close(c, null);
      return false;
    }
    c.promoted = true;
    partners.put(c.id, c);
    byId.put(c.id, c);
    return true;
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
    return c.role == Connection.Role.ACCEPTED ? c.hello.node() : n.self;
  }

  private NodeId minDialer(Connection a, Connection b) {
    return Arrays.compareUnsigned(dialer(a).raw(), dialer(b).raw()) <= 0 ? dialer(a) : dialer(b);
  }

  /** Partners other than the origin, with a HELLO and open: the ones gossip talks to. */
  List<Connection> gossipPartners() {
    List<Connection> out = new ArrayList<>();
    for (Connection c : partners.values()) {
      if (c.id != PeerIds.ORIGIN && c.hello != null && !c.closed) {
        out.add(c);
      }
    }
    return out;
  }

  /** Whether this node has a free partner slot. */
  boolean roomy() {
    return partners.size() < n.cfg.partnerMax();
  }

  /** The connection to send requests for node {@code to} over (a peer reaches the origin by its link). */
  Connection to(int to) {
    return to == PeerIds.ORIGIN && !n.origin ? (link != null ? link : byId.get(to))
        : byId.get(to);
  }

  // ---- closing

  /** Takes an accepted connection in on its first read; false if the node is closed (it is too). */
  boolean admit(Connection c) {
    if (c.role == Connection.Role.ACCEPTED && !connections.contains(c) && !c.closed) {
      if (n.closed) {
        c.closed = true;
        c.channel.close();
        return false;
      }
      connections.add(c);
    }
    return true;
  }

  void closeAll(Frame.Reason reason) {
    for (Connection c : List.copyOf(connections)) {
      close(c, reason);
    }
  }

  void close(Connection c, Frame.Reason reason) {
    if (c.closed) {
      return;
    }
    if (reason != null && c.helloSent) {
      c.send(new Frame.Goodbye(reason,
          reason == Frame.Reason.FULL ? n.gossip.alternatives(c) : List.of()));
    }
    // Closes at once (a peer that does not read must not keep it open); what the socket took
    // before, GOODBYE included, still goes out.
    c.channel.close();
    n.onClosed(c);
  }

  /** Refuses a connection at HELLO: magic and HELLO (the first frame each way), then REJECT. */
  void reject(Connection c, Frame.Reason reason) {
    if (!c.helloSent) {
      c.sendRaw(PeerWire.magicBytes(), 0);
      c.send(n.handshake.ownHello());
      c.helloSent = true;
    }
    c.send(new Frame.Reject(reason, List.of()));
    c.send(new Frame.Goodbye(reason, List.of()));
    close(c, null);
  }

  /** Forgets a closed connection: false if it was not open (it is marked closed all the same). */
  boolean forget(Connection c) {
    c.closed = true;
    return connections.remove(c);
  }

  /** After {@link #forget}: its id, a connect-back's outcome, the origin link's redial. */
  void afterClose(Connection c) {
    if (byId.get(c.id) == c) {
      byId.remove(c.id);
    }
    if (c.role == Connection.Role.CONNECT_BACK && c.expectedNode != null) {
      finishConnectBack(c, false, c.remote());
    }
    if (c == link) {
      link = null;
      retryLink();
    }
  }

  /** Takes a closed connection out of the partners; true if it was one. */
  boolean unpartner(Connection c) {
    if (partners.get(c.id) == c) {
      partners.remove(c.id);
      return true;
    }
    return false;
  }

  /** The scheduler dropped partner {@code peer}: closed as FULL (the origin link only demoted). */
  void drop(int peer) {
    Connection c = byId.get(peer);
    NodeRuntime.LOG.log(System.Logger.Level.INFO, "swarm node " + n.self + ": drops partner "
        + peer + (c != null ? " " + c.address() : "") + (c == link ? " (origin link kept)" : ""));
    if (c != null && c != link) {
      close(c, Frame.Reason.FULL);
    } else if (c != null && partners.get(peer) == c) {
      partners.remove(peer);
      c.promoted = false;
    }
  }
}
