package dev.floe.swarm.node;

import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.chunk.PeerRecord;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A peer node's gossip state (brief §2.5, "Gossip"): a bounded passive view of origin-signed,
 * unexpired, connectable {@link PeerRecord}s learnt from the tracker, from partners' PEERS and
 * from GOODBYE/REJECT alternatives; the node's own record when the tracker signed one; and the
 * timers of the slow gossip push, of asking partners, and of answering them. Records are checked
 * by the caller ({@link PeerRecord#verify}) before {@link #add}: the view trusts what it is given.
 * Not thread-safe: the node's event loop owns it.
 */
final class PeerView {
  /** Most records kept. */
  static final int MAX = 64;
  /**
   * Records in one periodic gossip push: this node's own while it has a free partner slot, else
   * one from the view. The push only keeps views fresh (a node short of partners asks for more),
   * and gossip must fit the control budget: a record a minute is 0.01% of a 128 kbit/s stream.
   */
  static final int PUSH_RECORDS = 1;
  /** Records in GOODBYE(FULL): fewer than the wire allows, as most may be full too. */
  static final int ALTERNATIVES = 4;
  /**
   * FULL refusals since the last ask after which a node short of partners asks the tracker rather
   * than its view: when connectable slots run short (half the peers behind NAT in the simulation),
   * gossip records are mostly of full nodes, while the tracker knows who has room.
   */
  static final int REFUSALS_TO_TRACKER = 4;
  /** A node that dropped or refused this one is not learnt again for this long. */
  static final long REFUSED_HOLD_MS = 120_000;
  /** Records in an answer to a partner's request (an empty PEERS). */
  static final int ANSWER_RECORDS = 8;
  /** Mean period of the gossip push (one partner each time, in turn), jittered by ±20%. */
  static final int PUSH_MS = 60_000;
  /** Least time between two rounds of asking partners for records. */
  static final int ASK_MS = 10_000;
  /** Least time between two answers to one partner's requests. */
  static final int ANSWER_MS = 10_000;
  /**
   * The node re-announces to the tracker when its own record has less than this left (under the
   * tracker's {@link Tracker#RESIGN_MS}, so that one ANNOUNCE has it re-signed).
   */
  static final long RENEW_MS = 90_000L;

  private final NodeId self;
  private final Random random;
  private final Map<NodeId, PeerRecord> records = new LinkedHashMap<>();
  private final Map<Integer, Long> answered = new HashMap<>();
  private final Map<NodeId, Long> refused = new LinkedHashMap<>();
  private PeerRecord own;
  private long nextPushAt = -1;
  private long askedAt = Long.MIN_VALUE / 2;
  private int turn;

  PeerView(NodeId self, long seed) {
    this.self = self;
    this.random = new Random(seed);
  }

  /**
   * Keeps a verified record if it is unexpired, connectable, has a port and is not this node's
   * (that one goes to {@link #own(PeerRecord)}). A record learnt again becomes the most recent
   * (keeping the later expiry): records heard lately are of peers more likely still up. When
   * full, the record learnt longest ago makes room.
   *
   * @return whether the record is new to the view
   */
  boolean add(PeerRecord r, long now) {
    if (r.expired(now) || !r.connectable() || r.port() == 0 || r.node().equals(self)) {
      return false;
    }
    Long held = refused.get(r.node());
    if (held != null) {
      if (now < held) {
        return false;
      }
      refused.remove(r.node());
    }
    PeerRecord old = records.remove(r.node());
    if (old != null) {
      records.put(r.node(), old.expiresAtMillis() >= r.expiresAtMillis() ? old : r);
      return false;
    }
    purge(now);
    if (records.size() >= MAX) {
      records.remove(records.keySet().iterator().next());
    }
    records.put(r.node(), r);
    return true;
  }

  /** This node's own record, from the tracker (kept if it expires later than the one held). */
  void own(PeerRecord r) {
    if (r.node().equals(self) && (own == null || r.expiresAtMillis() > own.expiresAtMillis())) {
      own = r;
    }
  }

  /** This node's own unexpired record, or null. */
  PeerRecord own(long now) {
    return own != null && !own.expired(now) ? own : null;
  }

  /** Whether this node should announce again to have its record re-signed before it expires. */
  boolean ownExpiring(long now) {
    return own != null && own.expiresAtMillis() - now < RENEW_MS;
  }

  /** Forgets the record of {@code node} (it left, or was found dead). */
  void forget(NodeId node) {
    records.remove(node);
  }

  /**
   * {@code node} dropped or refused this one as FULL: forgotten, and not learnt again for
   * {@link #REFUSED_HOLD_MS} (its record goes on circulating while it is full).
   */
  void refusedBy(NodeId node, long now) {
    records.remove(node);
    refused.remove(node);
    if (refused.size() >= MAX) {
      refused.remove(refused.keySet().iterator().next());
    }
    refused.put(node, now + REFUSED_HOLD_MS);
  }

  /** Forgets the records listing {@code address} (a dial to it failed). */
  void forget(InetSocketAddress address) {
    records.values().removeIf(r -> r.port() == address.getPort()
        && address.getAddress() != null && r.address().equals(address.getAddress()));
  }

  /** Unexpired records held (own record apart). */
  int size(long now) {
    purge(now);
    return records.size();
  }

  /** Whether {@code node}'s record is held. */
  boolean knows(NodeId node) {
    return records.containsKey(node);
  }

  /**
   * Up to {@code n} unexpired records to hand to {@code to} (whose own record is left out): this
   * node's own record first if {@code withOwn} (the caller passes whether it has a free partner
   * slot: a full node's record would only draw refused dials), then the rest at random.
   */
  List<PeerRecord> sample(int n, long now, NodeId to, boolean withOwn) {
    purge(now);
    List<PeerRecord> out = new ArrayList<>();
    PeerRecord mine = withOwn ? own(now) : null;
    if (mine != null && n > 0) {
      out.add(mine);
    }
    List<PeerRecord> rest = new ArrayList<>();
    for (PeerRecord r : records.values()) {
      if (!r.node().equals(to)) {
        rest.add(r);
      }
    }
    Collections.shuffle(rest, random);
    for (PeerRecord r : rest) {
      if (out.size() >= n) {
        break;
      }
      out.add(r);
    }
    return out;
  }

  /** Up to {@code n} unexpired records, most recently learnt first: dial candidates. */
  List<PeerRecord> candidates(int n, long now) {
    purge(now);
    List<PeerRecord> all = new ArrayList<>(records.values());
    Collections.reverse(all);
    return all.subList(0, Math.min(n, all.size()));
  }

  /**
   * Whether the periodic push is due; if so, schedules the next one and returns the index (taken
   * modulo the partner count by the caller) of the partner whose turn it is, else -1.
   */
  int pushTurn(long now) {
    if (nextPushAt < 0) {
      nextPushAt = now + jittered();
      return -1;
    }
    if (now < nextPushAt) {
      return -1;
    }
    nextPushAt = now + jittered();
    return turn++ & Integer.MAX_VALUE;
  }

  /** Whether partners may be asked for records now (at most once per {@link #ASK_MS}). */
  boolean mayAsk(long now) {
    if (now - askedAt < ASK_MS) {
      return false;
    }
    askedAt = now;
    return true;
  }

  /** Whether a request of partner {@code id} may be answered now (once per {@link #ANSWER_MS}). */
  boolean mayAnswer(int id, long now) {
    Long at = answered.get(id);
    if (at != null && now - at < ANSWER_MS) {
      return false;
    }
    if (answered.size() >= 4 * MAX) {
      answered.values().removeIf(t -> now - t >= ANSWER_MS);
    }
    if (answered.size() >= 4 * MAX) {
      return false;
    }
    answered.put(id, now);
    return true;
  }

  private long jittered() {
    return PUSH_MS * 8L / 10 + random.nextInt(PUSH_MS * 4 / 10 + 1);
  }

  private void purge(long now) {
    records.values().removeIf(r -> r.expired(now));
  }
}
