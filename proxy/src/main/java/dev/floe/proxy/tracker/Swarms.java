package dev.floe.proxy.tracker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The tracker's bookkeeping as a state machine: which connection holds which peer of which swarm
 * (one swarm per info hash), and what each message makes the tracker send. No sockets, no clock,
 * the randomness injected; not thread-safe ({@link Tracker} holds it behind a lock).
 *
 * <p>As the WebTorrent tracker does: an announce joins the peer to its swarm and is answered with
 * the swarm's counts; each offer it carries goes to a different other peer of the swarm, chosen
 * at random; an answer goes to the peer it names (and nowhere when that peer has left, a normal
 * race). A peer leaves on {@code stopped} or when its connection closes. A peer id announced again
 * from another connection moves to it (a browser that reconnected after a network change).
 *
 * <p>Bounded by {@link TrackerLimits}: swarms, peers per swarm, swarms per connection, offers per
 * announce; past a bound the message is refused with a {@link TrackerReply.Failure}.
 */
public final class Swarms {
  private final TrackerLimits limits;
  private final RandomGenerator random;
  private final Map<String, Swarm> swarms = new HashMap<>();
  private final Map<Long, Map<String, String>> joined = new HashMap<>(); // conn: hash -> peer

  public Swarms(TrackerLimits limits, RandomGenerator random) {
    this.limits = limits;
    this.random = random;
  }

  /** What connection {@code conn}'s message makes the tracker send. */
  public List<TrackerReply> onRequest(long conn, TrackerRequest request) {
    if (request instanceof TrackerRequest.Scrape s) {
      Map<String, TrackerReply.Counts> files = new LinkedHashMap<>();
      for (String hash : s.infoHashes()) {
        Swarm swarm = swarms.get(hash);
        files.put(hash, swarm == null ? new TrackerReply.Counts(0, 0) : swarm.counts());
      }
      return List.of(new TrackerReply.Scraped(conn, files));
    }
    return announce(conn, (TrackerRequest.Announce) request);
  }

  /** The connection closed: its peers leave their swarms. */
  public void onClose(long conn) {
    Map<String, String> mine = joined.remove(conn);
    if (mine != null) {
      mine.forEach((hash, peerId) -> leave(hash, peerId, conn));
    }
  }

  /** Swarms tracked now. */
  public int swarmCount() {
    return swarms.size();
  }

  /** Peers in all swarms now. */
  public int peerCount() {
    int n = 0;
    for (Swarm s : swarms.values()) {
      n += s.peers.size();
    }
    return n;
  }

  private List<TrackerReply> announce(long conn, TrackerRequest.Announce a) {
    String hash = a.infoHash();
    if (a.event() == TrackerRequest.Event.STOPPED) {
      Map<String, String> mine = joined.get(conn);
      if (mine != null && a.peerId().equals(mine.get(hash))) {
        mine.remove(hash);
        leave(hash, a.peerId(), conn);
      }
      Swarm swarm = swarms.get(hash);
      TrackerReply.Counts c = swarm == null ? new TrackerReply.Counts(0, 0) : swarm.counts();
      return List.of(announced(conn, hash, c));
    }
    Swarm swarm = swarms.get(hash);
    if (swarm == null) {
      if (swarms.size() >= limits.maxSwarms()) {
        return List.of(failure(conn, hash, "tracker full: " + limits.maxSwarms() + " swarms"));
      }
      swarm = new Swarm();
      swarms.put(hash, swarm);
    }
    Peer peer = swarm.byId.get(a.peerId());
    Map<String, String> mine = joined.computeIfAbsent(conn, c -> new HashMap<>());
    if (peer == null || peer.conn != conn) {
      String already = mine.get(hash);
      if (already != null && !already.equals(a.peerId())) {
        return List.of(failure(conn, hash, "one peer_id per swarm and connection"));
      }
      if (already == null && mine.size() >= limits.maxSwarmsPerConnection()) {
        dropIfEmpty(hash, swarm, conn);
        return List.of(failure(conn, hash,
            "too many swarms on one connection (" + limits.maxSwarmsPerConnection() + ")"));
      }
      if (peer == null && swarm.peers.size() >= limits.maxPeersPerSwarm()) {
        dropIfEmpty(hash, swarm, conn);
        return List.of(failure(conn, hash,
            "swarm full: " + limits.maxPeersPerSwarm() + " peers"));
      }
      if (peer == null) {
        peer = swarm.add(a.peerId(), conn);
      } else { // the same peer from a new connection: it moves
        Map<String, String> old = joined.get(peer.conn);
        if (old != null) {
          old.remove(hash);
        }
        peer.conn = conn;
      }
      mine.put(hash, a.peerId());
    }
    swarm.setSeeder(peer, a.left() == 0 || a.event() == TrackerRequest.Event.COMPLETED);

    List<TrackerReply> out = new ArrayList<>();
    if (a.answer() != null) {
      Peer to = swarm.byId.get(a.toPeerId());
      if (to != null && to != peer) {
        out.add(new TrackerReply.RelayedAnswer(to.conn, hash, a.peerId(), a.offerId(),
            a.answer()));
      }
      return out; // the WebTorrent tracker sends no counts for an answer
    }
    out.add(announced(conn, hash, swarm.counts()));
    List<Peer> targets = swarm.pick(Math.min(a.offers().size(), limits.maxOffers()), peer,
        random);
    for (int i = 0; i < targets.size(); i++) {
      TrackerRequest.Offer o = a.offers().get(i);
      out.add(new TrackerReply.RelayedOffer(targets.get(i).conn, hash, a.peerId(), o.offerId(),
          o.offer()));
    }
    return out;
  }

  private TrackerReply announced(long conn, String hash, TrackerReply.Counts c) {
    return new TrackerReply.Announced(conn, hash, c.complete(), c.incomplete(),
        limits.interval().toSeconds());
  }

  private static TrackerReply failure(long conn, String hash, String reason) {
    return new TrackerReply.Failure(conn, "announce", hash, reason);
  }

  private void leave(String hash, String peerId, long conn) {
    Swarm swarm = swarms.get(hash);
    if (swarm == null) {
      return;
    }
    Peer p = swarm.byId.get(peerId);
    if (p != null && p.conn == conn) {
      swarm.remove(p);
    }
    dropIfEmpty(hash, swarm, conn);
  }

  private void dropIfEmpty(String hash, Swarm swarm, long conn) {
    if (swarm.peers.isEmpty()) {
      swarms.remove(hash);
    }
    Map<String, String> mine = joined.get(conn);
    if (mine != null && mine.isEmpty()) {
      joined.remove(conn);
    }
  }

  /** One peer: its id and the connection it announced on. */
  private static final class Peer {
    final String id;
    long conn;
    int index; // in Swarm.peers
    boolean seeder;

    Peer(String id, long conn) {
      this.id = id;
      this.conn = conn;
    }
  }

  /** One info hash's peers: by id, and in a list for picking at random in O(1). */
  private static final class Swarm {
    final Map<String, Peer> byId = new HashMap<>();
    final List<Peer> peers = new ArrayList<>();
    int seeders;

    Peer add(String id, long conn) {
      Peer p = new Peer(id, conn);
      p.index = peers.size();
      peers.add(p);
      byId.put(id, p);
      return p;
    }

    void remove(Peer p) {
      Peer last = peers.remove(peers.size() - 1);
      if (last != p) {
        last.index = p.index;
        peers.set(p.index, last);
      }
      byId.remove(p.id);
      if (p.seeder) {
        seeders--;
      }
    }

    void setSeeder(Peer p, boolean seeder) {
      if (p.seeder != seeder) {
        seeders += seeder ? 1 : -1;
        p.seeder = seeder;
      }
    }

    TrackerReply.Counts counts() {
      return new TrackerReply.Counts(seeders, peers.size() - seeders);
    }

    /**
     * Up to {@code n} distinct peers other than {@code self} and not on its connection, at
     * random: a partial Fisher-Yates over a copy of the indices, so O(n) draws.
     */
    List<Peer> pick(int n, Peer self, RandomGenerator random) {
      List<Peer> out = new ArrayList<>(n);
      int size = peers.size();
      if (n <= 0 || size <= 1) {
        return out;
      }
      Map<Integer, Integer> swapped = new HashMap<>(); // a virtual shuffle of the indices
      for (int i = 0; i < size && out.size() < n; i++) {
        int j = i + random.nextInt(size - i);
        int atJ = swapped.getOrDefault(j, j);
        swapped.put(j, swapped.getOrDefault(i, i));
        Peer p = peers.get(atJ);
        if (p != self && p.conn != self.conn) {
          out.add(p);
        }
      }
      return out;
    }
  }
}
