package dev.floe.swarm.gossip;

import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.chunk.PeerRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * One peer node's gossip (brief §2.5, "Gossip") as a pure state machine: no sockets, the time
 * passed in. It holds a bounded passive view of unexpired, dialable peer records learnt from the
 * tracker, from partners' PEERS and from GOODBYE/REJECT alternatives; the node's own record when
 * the tracker signed one; and the rules of the slow gossip push, of asking partners or the tracker
 * when the scheduler is short of candidates ({@link #ask}), of answering a partner's request and
 * of renewing the own record. The node runtime ({@code node.NodeRuntime}, records are signed
 * {@code PeerRecord}s) and the simulation ({@code sim.Simulation}, records are ids with an expiry)
 * both run this class, so the simulation measures the code that ships.
 * It is about 400 lines because these rules share one state (the view, its timers and the ask
 * state) and each rule's constant carries the reason for its value.
 *
 * <p>Records are checked by the caller (signatures) before they get here: the machine trusts what
 * it is given. {@code now} is the wall clock in milliseconds, the clock of the records' signed
 * expiry. Not thread-safe: the node's event loop owns it.
 *
 * @param <K> a node's identity
 * @param <R> a record naming a node, with an expiry
 */
public final class PeerGossip<K, R> {
  /** Validity of a record the tracker signs. */
  public static final long RECORD_MS = 10 * 60_000L;
  /** The tracker re-signs a record that has less than this left when its node announces. */
  public static final long RESIGN_MS = 2 * 60_000L;
  /**
   * The node re-announces to the tracker when its own record has less than this left (under
   * {@link #RESIGN_MS}, so that one ANNOUNCE has it re-signed).
   */
  public static final long RENEW_MS = 90_000L;
  /** Least time between two renewals asked for (an answer may be lost with its link). */
  public static final long RENEW_RETRY_MS = 60_000L;
  /** Most records kept. */
  public static final int MAX = 64;
  /** Records taken from the view as dial candidates, and asked of the tracker. */
  public static final int SAMPLE = 8;
  /**
   * Records in one periodic gossip push: this node's own while it has a free partner slot, else
   * one from the view. The push only keeps views fresh (a node short of partners asks for more),
   * and gossip must fit the control budget: a record a minute is 0.01% of a 128 kbit/s stream.
   */
  public static final int PUSH_RECORDS = 1;
  /** Records in GOODBYE(FULL): fewer than the wire allows, as most may be full too. */
  public static final int ALTERNATIVES = 4;
  /**
   * FULL refusals since the last ask after which a node short of partners asks the tracker rather
   * than its view: when connectable slots run short (half the peers behind NAT in the simulation),
   * gossip records are mostly of full nodes, while the tracker knows who has room.
   */
  public static final int REFUSALS_TO_TRACKER = 4;
  /** A node that dropped or refused this one is not learnt again for this long. */
  public static final long REFUSED_HOLD_MS = 120_000;
  /** Records in an answer to a partner's request (an empty PEERS). */
  public static final int ANSWER_RECORDS = 8;
  /** Mean period of the gossip push (one partner each time, in turn), jittered by ±20%. */
  public static final int PUSH_MS = 60_000;
  /** Least time between two rounds of asking partners for records. */
  public static final int ASK_MS = 10_000;
  /** Least time between two answers to one partner's requests. */
  public static final int ANSWER_MS = 10_000;

  /** How the machine reads a record. */
  public interface Records<K, R> {
    /** The node the record names. */
    K node(R r);

    /** When the record expires (wall clock, ms). */
    long expiresAt(R r);

    /** Whether the record may be dialed (connectable, with a port). */
    boolean dialable(R r);

    /** Records read by the three functions given. */
    static <K, R> Records<K, R> of(Function<R, K> node, ToLongFunction<R> expiresAt,
        Predicate<R> dialable) {
      return new Records<>() {
        @Override
        public K node(R r) {
          return node.apply(r);
        }

        @Override
        public long expiresAt(R r) {
          return expiresAt.applyAsLong(r);
        }

        @Override
        public boolean dialable(R r) {
          return dialable.test(r);
        }
      };
    }
  }

  /** The node runtime's records: origin-signed, dialable when connectable with a port. */
  public static final Records<NodeId, PeerRecord> SIGNED = Records.of(PeerRecord::node,
      PeerRecord::expiresAtMillis, r -> r.connectable() && r.port() != 0);

  /**
   * What to do when the scheduler is short of candidates: offer {@code known} (records from the
   * view, never of a current partner), then ask the partner at index {@code partner} of the list
   * passed to {@link #ask} (-1: none), or announce to the tracker.
   */
  public record Ask<R>(List<R> known, int partner, boolean tracker) {}

  private final K self;
  private final Records<K, R> of;
  private final Random random;
  private final Map<K, R> records = new LinkedHashMap<>();
  private final Map<Integer, Long> answered = new HashMap<>();
  private final Map<K, Long> refused = new LinkedHashMap<>();
  private R own;
  private long nextPushAt = -1;
  private long askedAt = Long.MIN_VALUE / 2;
  private long nextRenewAt;
  private int turn;
  private boolean askedTracker;
  private boolean askedPartners;
  private boolean learnt;
  /** FULL refusals since the last ask. */
  private int refusals;

  /** The gossip of node {@code self}, its random draws seeded with {@code seed}. */
  public PeerGossip(K self, Records<K, R> of, long seed) {
    this.self = self;
    this.of = of;
    this.random = new Random(seed);
  }

  /**
   * Keeps a record if it is unexpired, dialable and not this node's (that one goes to {@link
   * #own(Object)}). A record learnt again becomes the most recent (keeping the later expiry):
   * records heard lately are of peers more likely still up. When full, the record learnt longest
   * ago makes room.
   *
   * @return whether the record is new to the view
   */
  public boolean add(R r, long now) {
    K node = of.node(r);
    if (expired(r, now) || !of.dialable(r) || node.equals(self)) {
      return false;
    }
    Long held = refused.get(node);
    if (held != null) {
      if (now < held) {
        return false;
      }
      refused.remove(node);
    }
    R old = records.remove(node);
    if (old != null) {
      records.put(node, of.expiresAt(old) >= of.expiresAt(r) ? old : r);
      return false;
    }
    purge(now);
    if (records.size() >= MAX) {
      records.remove(records.keySet().iterator().next());
    }
    records.put(node, r);
    learnt = true;
    return true;
  }

  /**
   * Learns {@code given} (this node's own record as such, the others through {@link #add}) and
   * returns the unexpired dialable ones of other nodes as dial candidates if {@code offer}.
   */
  public List<R> learn(List<R> given, long now, boolean offer) {
    List<R> offered = new ArrayList<>();
    for (R r : given) {
      if (of.node(r).equals(self)) {
        own(r);
        continue;
      }
      if (expired(r, now) || !of.dialable(r)) {
        continue;
      }
      add(r, now);
      if (offer) {
        offered.add(r);
      }
    }
    return offered;
  }

  /** This node's own record, from the tracker (kept if it expires later than the one held). */
  public void own(R r) {
    if (of.node(r).equals(self) && (own == null || of.expiresAt(r) > of.expiresAt(own))) {
      own = r;
    }
  }

  /** This node's own unexpired record, or null. */
  public R own(long now) {
    return own != null && !expired(own, now) ? own : null;
  }

  /** Whether this node's own record has less than {@link #RENEW_MS} left. */
  public boolean ownExpiring(long now) {
    return own != null && of.expiresAt(own) - now < RENEW_MS;
  }

  /**
   * Whether this node should announce now to have its own record re-signed before it expires
   * (at most once per {@link #RENEW_RETRY_MS}).
   */
  public boolean renewDue(long now) {
    if (!ownExpiring(now) || now < nextRenewAt) {
      return false;
    }
    nextRenewAt = now + RENEW_RETRY_MS;
    return true;
  }

  /** Forgets the record of {@code node} (it left, or was found dead). */
  public void forget(K node) {
    records.remove(node);
  }

  /** Forgets the records {@code which} matches (a dial to their address failed). */
  public void forgetIf(Predicate<R> which) {
    records.values().removeIf(which);
  }

  /**
   * {@code node} dropped or refused this one as FULL: forgotten, not learnt again for {@link
   * #REFUSED_HOLD_MS} (its record goes on circulating while it is full), and counted towards
   * {@link #REFUSALS_TO_TRACKER}.
   */
  public void refusedBy(K node, long now) {
    records.remove(node);
    refused.remove(node);
    if (refused.size() >= MAX) {
      refused.remove(refused.keySet().iterator().next());
    }
    refused.put(node, now + REFUSED_HOLD_MS);
    refusals++;
  }

  /** Unexpired records held (own record apart). */
  public int size(long now) {
    purge(now);
    return records.size();
  }

  /** Whether {@code node}'s record is held. */
  public boolean knows(K node) {
    return records.containsKey(node);
  }

  /**
   * Up to {@code n} unexpired records to hand to {@code to} (whose own record is left out): this
   * node's own record first if {@code withOwn} (the caller passes whether it has a free partner
   * slot: a full node's record would only draw refused dials), then the rest at random.
   */
  public List<R> sample(int n, long now, K to, boolean withOwn) {
    purge(now);
    List<R> out = new ArrayList<>();
    R mine = withOwn ? own(now) : null;
    if (mine != null && n > 0) {
      out.add(mine);
    }
    List<R> rest = new ArrayList<>();
    for (R r : records.values()) {
      if (!of.node(r).equals(to)) {
        rest.add(r);
      }
    }
    Collections.shuffle(rest, random);
    for (R r : rest) {
      if (out.size() >= n) {
        break;
      }
      out.add(r);
    }
    return out;
  }

  /** Up to {@code n} unexpired records, most recently learnt first: dial candidates. */
  public List<R> candidates(int n, long now) {
    purge(now);
    List<R> all = new ArrayList<>(records.values());
    Collections.reverse(all);
    return all.subList(0, Math.min(n, all.size()));
  }

  /**
   * Whether the periodic push is due; if so, schedules the next one and returns the index (taken
   * modulo the partner count by the caller) of the partner whose turn it is, else -1. The first
   * call only schedules.
   */
  public int pushTurn(long now) {
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

  /**
   * The periodic push: the partner of {@code partners} whose turn it is and the records for it
   * ({@link #PUSH_RECORDS}), or null when none is due.
   *
   * @param roomy whether this node has a free partner slot (its own record is worth passing on)
   */
  public <P> Push<P, R> push(long now, List<P> partners, Function<P, K> node,
      boolean roomy) {
    int t = pushTurn(now);
    if (t < 0 || partners.isEmpty()) {
      return null;
    }
    P to = partners.get(t % partners.size());
    List<R> some = sample(PUSH_RECORDS, now, node.apply(to), roomy);
    return some.isEmpty() ? null : new Push<>(to, some);
  }

  /** Records {@code records} to push to partner {@code to}. */
  public record Push<P, R>(P to, List<R> records) {}

  /** Whether partners may be asked for records now (at most once per {@link #ASK_MS}). */
  public boolean mayAsk(long now) {
    if (now - askedAt < ASK_MS) {
      return false;
    }
    askedAt = now;
    return true;
  }

  /** Whether a request of partner {@code id} may be answered now (once per {@link #ANSWER_MS}). */
  public boolean mayAnswer(int id, long now) {
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

  /**
   * A partner's request (an empty PEERS): up to {@link #ANSWER_RECORDS} records for partner
   * {@code id} (node {@code asker}), at most once per {@link #ANSWER_MS}; empty when none.
   */
  public List<R> answer(int id, K asker, long now, boolean roomy) {
    return mayAnswer(id, now) ? sample(ANSWER_RECORDS, now, asker, roomy) : List.of();
  }

  /**
   * The scheduler is short of candidates. On joining, the tracker. Then the view's freshest
   * records that are not partners; without any, one partner (an empty PEERS asks it); the tracker
   * only when the partner had nothing new last time, when the node has no partner to ask, or when
   * {@link #REFUSALS_TO_TRACKER} nodes refused it as FULL since the last ask.
   *
   * @param partners how many partners (the origin apart) could be asked
   * @param partner whether a record names a partner already
   */
  public Ask<R> ask(long now, int partners, Predicate<R> partner) {
    if (!askedTracker) {
      askedTracker = true;
      return new Ask<>(List.of(), -1, true);
    }
    if (refusals >= REFUSALS_TO_TRACKER) {
      // The records gossip gave were mostly of full nodes: the tracker knows better.
      refusals = 0;
      askedPartners = false;
      return new Ask<>(List.of(), -1, true);
    }
    refusals = 0;
    List<R> known = new ArrayList<>();
    for (R r : candidates(SAMPLE, now)) {
      if (!partner.test(r)) {
        known.add(r);
      }
    }
    if (partners > 0 && !known.isEmpty()) {
      return new Ask<>(known, -1, false);
    }
    if (partners > 0 && (!askedPartners || learnt) && mayAsk(now)) {
      askedPartners = true;
      learnt = false;
      return new Ask<>(known, random.nextInt(partners), false);
    }
    askedPartners = false;
    return new Ask<>(known, -1, true);
  }

  private long jittered() {
    return PUSH_MS * 8L / 10 + random.nextInt(PUSH_MS * 4 / 10 + 1);
  }

  private boolean expired(R r, long now) {
    return now >= of.expiresAt(r);
  }

  private void purge(long now) {
    records.values().removeIf(r -> expired(r, now));
  }
}
