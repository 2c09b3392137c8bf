package dev.floe.swarm.node;

import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.chunk.PeerRecord;
import dev.floe.swarm.gossip.PeerGossip;
import dev.floe.swarm.schedule.SchedulerConfig;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The origin's tracker: lists a peer as connectable only after a connect-back to the port it
 * announced, from the address the tracker observed, completed a HELLO exchange; answers with a
 * random sample of listed peers' signed records. A peer stays listed while its link to the origin
 * is open (and its record is re-signed before it expires). Not thread-safe: the origin's loop
 * owns it.
 */
final class Tracker {
  /** Validity of a signed peer record (shared with the gossip the simulation runs). */
  static final long RECORD_MS = PeerGossip.RECORD_MS;
  /** Records are re-signed when they have less than this left. */
  static final long RESIGN_MS = PeerGossip.RESIGN_MS;
  /** Most peers listed. */
  static final int MAX_LISTED = 50_000;

  private record Entry(PeerRecord record, Connection link) {}

  private final OriginKey key;
  private final SplittableRandom random;
  private final Map<NodeId, Entry> listed = new LinkedHashMap<>();
  private final List<NodeId> order = new ArrayList<>();
  private final Set<String> checking = new HashSet<>();
  private final Map<NodeId, Connection> announced = new LinkedHashMap<>();

  Tracker(OriginKey key, long seed) {
    this.key = key;
    this.random = new SplittableRandom(seed);
  }

  /**
   * An ANNOUNCE from {@code node} over {@code link}: true if a connect-back to {@code address}
   * :{@code port} should be started (not listed yet, not being checked, port not 0).
   */
  boolean needsCheck(NodeId node, InetAddress address, int port, long wallNow) {
    return needsCheck(node, address, port, wallNow, null);
  }

  /**
   * As {@link #needsCheck(NodeId, InetAddress, int, long)}, counting {@code link} (if not null)
   * towards the swarm's size until it closes.
   */
  boolean needsCheck(NodeId node, InetAddress address, int port, long wallNow, Connection link) {
    if (link != null && (announced.containsKey(node) || announced.size() < MAX_LISTED)) {
      announced.put(node, link);
    }
    Entry e = listed.get(node);
    if (e != null) {
      if (e.record().expiresAtMillis() - wallNow < RESIGN_MS) {
        listed.put(node, new Entry(sign(node, address, port, wallNow), e.link()));
      }
      return false;
    }
    return port > 0 && checking.add(address.getHostAddress() + "|" + port);
  }

  /** The connect-back to {@code address}:{@code port} ended; lists the node if it succeeded. */
  void checked(NodeId node, InetAddress address, int port, boolean ok, Connection link,
      long wallNow) {
    checking.remove(address.getHostAddress() + "|" + port);
    if (ok && link != null && !link.closed && listed.size() < MAX_LISTED
        && !listed.containsKey(node)) {
      listed.put(node, new Entry(sign(node, address, port, wallNow), link));
      order.add(node);
    }
  }

  /** The link of a listed peer closed: it is no longer offered. */
  void linkClosed(Connection link) {
    if (link.hello != null) {
      announced.remove(link.hello.node(), link);
      Entry e = listed.get(link.hello.node());
      if (e != null && e.link() == link) {
        listed.remove(link.hello.node());
        order.remove(link.hello.node());
      }
    }
  }

  /** Up to {@code n} records of listed peers other than {@code asker}, unexpired, at random. */
  List<PeerRecord> sample(NodeId asker, int n, long wallNow) {
    List<PeerRecord> out = new ArrayList<>();
    int size = order.size();
    if (size == 0) {
      return out;
    }
    int start = random.nextInt(size);
    int step = 1 + random.nextInt(Math.max(1, size));
    while (gcd(step, size) != 1) {
      step++;
    }
    for (int i = 0; i < size && out.size() < n; i++) {
      NodeId id = order.get((int) ((start + (long) i * step) % size));
      Entry e = listed.get(id);
      if (e != null && !id.equals(asker) && !e.record().expired(wallNow)) {
        out.add(e.record());
      }
    }
    return out;
  }

  /** The signed record of {@code node} if it is listed and unexpired, else null. */
  PeerRecord record(NodeId node, long wallNow) {
    Entry e = listed.get(node);
    return e != null && !e.record().expired(wallNow) ? e.record() : null;
  }

  /** Peers whose link to the origin is open and that announced over it (NATed ones included). */
  int swarmSize() {
    return announced.size();
  }

  /**
   * The smallest swarm the advice is sized for: every swarm of up to this many peers gets the
   * same lag, so its listeners on different nodes hear the same moment (sized by the momentary
   * count, the first peer of a swarm got 6 s and the next ones 6.5 s, and kept them).
   */
  static final int SMALLEST_ADVISED_SWARM = 100;

  /**
   * The playout lag advised to a joining peer: {@link SchedulerConfig#advisedLagMs} of the swarm's
   * size (the announced peers, the joiner included; at least {@link #SMALLEST_ADVISED_SWARM}),
   * kept to what a {@code chunkMs} configuration accepts.
   */
  int advisedLagMs(int chunkMs) {
    return SchedulerConfig.clampLagMs(SchedulerConfig.advisedLagMs(
        Math.max(SMALLEST_ADVISED_SWARM, announced.size())), chunkMs);
  }

  /** Peers listed as connectable. */
  int size() {
    return listed.size();
  }

  /** Whether {@code node} is listed. */
  boolean listed(NodeId node) {
    return listed.containsKey(node);
  }

  private PeerRecord sign(NodeId node, InetAddress address, int port, long wallNow) {
    return PeerRecord.sign(key, node, address, port, true, wallNow + RECORD_MS);
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
