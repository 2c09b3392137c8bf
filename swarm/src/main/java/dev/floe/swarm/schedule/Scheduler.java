package dev.floe.swarm.schedule;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One node's swarm scheduler: push substreams plus deadline-first, rarest-first repair pulls, an
 * upload token bucket shared fairly, the origin's fixed budget, and a fallback to a direct pull.
 * Every method takes the time ({@code now}, milliseconds on one monotonic clock) and returns the
 * actions to carry out, in order. Deterministic for a given seed and event sequence.
 *
 * <p>Policies (brief §2.5 to §2.9; where they differ from the brief, the simulation showed why):
 * <ul>
 *   <li><b>Push.</b> One parent per substream, chosen among partners not lagging the best one by
 *       {@code 2K} seqs (New Coolstreaming's Tp), by the least expected time for a chunk
 *       ({@code rtt/2 + size/rate}, with 20% random spread to share load). A subscription starts
 *       after the newest chunk of the substream already held or requested, so a new parent's first
 *       pushes are not duplicates. A parent is <i>late</i> by how much the chunk after the last one
 *       it pushed is overdue against the usual push delay on that substream (an EWMA; the brief's
 *       stall rule made relative to the node's depth in the tree). Late by 1 s, the substream is
 *       pulled at once; late by {@code K} chunk durations plus 1 s, or gone, or refusing, the
 *       parent is replaced at once; every {@value #PARENT_CHECK_MS} ms (Ta), within a hold of
 *       {@value #SWITCH_HOLD_MS} ms, it is also replaced when it lags the best partner by
 *       {@code 2K} (Tp) or two of its chunks had to be pulled. The origin as a parent is never
 *       replaced by these rules (only when gone or refusing): it is the source, so a late origin is
 *       late for everyone, and a first-tier copy given up left a substream without any copy under
 *       churn (holes nobody could repair; the real-process churn test's every node fell back). A
 *       node accepts a child while its pushes stay within 80% of its cap.
 *   <li><b>Pull.</b> Each tick, every missing chunk between the play point and the newest one known
 *       whose push is not expected (no parent, a late parent, older than the subscription, or under
 *       {@value #PUSH_GRACE_MS} ms to its deadline) is requested, ordered by deadline in
 *       {@value #DEADLINE_SLOT_MS} ms slots, then fewest holders, from the holder with the least
 *       expected completion time and a free pipeline slot ({@code rate x (rtt + 0.5 s)}, 1 to 8
 *       chunks). Buffer maps are seconds old, so for urgent chunks a partner whose last map showed
 *       it keeping up on that substream, and that predates the chunk, counts as a likely holder (a
 *       wrong guess costs one NOT_FOUND). A request that times out
 *       ({@code eta + 2 rtt + 500 ms}) or is refused goes elsewhere; the refusing partner may be
 *       asked again a second later (NOT_FOUND means "not yet": this matters when a first-tier
 *       copy dies and a whole subtree repairs from each other). A chunk no partner has, under
 *       {@value #LAST_RESORT_MS} ms from its deadline, is asked of the origin once; a chunk the
 *       in-order playout is stuck on that no partner's map shows is asked of it again every
 *       {@value #ORIGIN_RETRY_MS} ms (within the origin's grants).
 *   <li><b>Upload.</b> One token bucket at the cap (1 s burst). Pushes are committed and always go
 *       (they may take the bucket below zero); a request is served only if the bucket holds the
 *       chunk and either the requester is within its fair share (cap over active partners) or the
 *       bucket is at least half full (unused share is lent). Otherwise it is refused at once, so the
 *       requester asks elsewhere instead of queueing.
 *   <li><b>Origin.</b> Accepts {@code originPushCopies} children per substream, one substream per
 *       partner while another partner of the origin has none, more when all have one (a swarm of
 *       two takes all the slots) or for a substream with no copy; a partner with none may take the
 *       slot of one holding several (which is told UNSUBSCRIBE), and advertises free
 *       slots in its buffer map's subscribed mask; a partner of the origin that is not yet a
 *       first-tier child takes a free slot (any free one, from a random start; a refusal holds
 *       that slot back for {@value #ORIGIN_REJECT_HOLD_MS} ms only, as partners race for a free
 *       slot). Serves requests only under {@value #LAST_RESORT_MS} ms
 *       from their deadline, at most {@value #ORIGIN_GRANTS} per requester per 10 s, from a bucket
 *       of 0.4 r with a 4 s burst (counting chunk headers and signatures): with two copies that is
 *       2 r of pushes plus 0.4 r, and with headers and buffer maps under 2.5 r whatever the
 *       audience (the brief's 0.5 r would reach 2.56 r with headers).
 *   <li><b>Fallback.</b> {@value #FALLBACK_MISSES} misses among the last {@value #FALLBACK_WINDOW}
 *       chunks due start a direct pull; after {@value #FALLBACK_HOLD_MS} ms, once the swarm (whose
 *       pushes continue: a parent pushes every new chunk whatever the child's map says) delivered
 *       each of the last {@value #FALLBACK_WINDOW} chunks in time, it stops. Meanwhile the node
 *       advertises and forwards what the direct pull brings, like a first-tier node.
 *   <li><b>Buffer maps</b> go to each partner on connect and then every
 *       {@code partners x 40 B / (mapBudget x r)}, between 1 s and min(6 s, 3/4 of the lag): map
 *       traffic stays within a fixed share of the stream whatever the partner count (the brief's
 *       one per second per partner is 1.5% at 128 kbit/s with 6 partners, which with 100-byte chunk
 *       headers breaks the 2% overhead target). A partner not heard from for {@value #SILENT_MS}
 *       ms is dropped.
 *   <li><b>Playout.</b> The tracker's answer (or the first HELLO or chunk) anchors origin times,
 *       and every newer verified chunk moves the anchor to itself (chunk durations are only
 *       nominal: 522 ms MP3 chunks counted as 500 ms drift 7 s in 3 minutes); chunk {@code seq} is
 *       due at its origin time, extrapolated from the anchor, plus the lag. The node starts at the
 *       first chunk due {@value #STARTUP_MS} ms or more after it is anchored; continuity counts
 *       chunks due from {@value #WARMUP_MS} ms after joining (DONet's definition).
 *   <li><b>Partners.</b> Connectable candidates from the tracker are dialed (at most 5 per second)
 *       up to {@code partnerTarget}; inbound connections beyond {@code partnerMax} are dropped; the
 *       tracker is asked again, with doubling backoff from {@value #TRACKER_RETRY_MS} ms to 60 s,
 *       while the node is short of partners and candidates.
 * </ul>
 * Limits: one epoch at a time (a verified chunk or chunk header of a newer epoch resets the
 * buffer, {@link #onChunk} or {@link #onEdge}; a buffer map alone never does); the back buffer is {@value #WINDOW} chunks; no partner refinement, exploration
 * slot, HAVE or CANCEL yet.
 */
public final class Scheduler {
  /** No peer. */
  public static final int NONE = Integer.MIN_VALUE;
  /** The sender id of chunks from the direct (fallback) pull. */
  public static final int FALLBACK = -1;
  /** Back buffer in chunks; also the span of the buffer map. */
  public static final int WINDOW = BufferMap.SPAN;
  /** Ta: how often parents are re-checked. */
  public static final int PARENT_CHECK_MS = 2000;
  /** Least time between two voluntary parent switches of one substream. */
  public static final int SWITCH_HOLD_MS = 10_000;
  /** A pushed chunk is not pulled before it is this close to its deadline. */
  public static final int PUSH_GRACE_MS = 2000;
  /** The origin is asked only this close to the deadline, and only serves that close. */
  public static final int LAST_RESORT_MS = 1500;
  /** Pull ordering: deadlines within one slot count as equal, and then the rarest goes first. */
  public static final int DEADLINE_SLOT_MS = 1000;
  /** A joining node plays from the first chunk due at least this long after it is anchored. */
  public static final int STARTUP_MS = 1000;
  /** Chunks due this soon after joining do not count towards continuity. */
  public static final int WARMUP_MS = 10_000;
  /** Chunks considered by the fallback rules. */
  public static final int FALLBACK_WINDOW = 20;
  /** Misses in that window that start the direct pull. */
  public static final int FALLBACK_MISSES = 3;
  /** Least time on the direct pull. */
  public static final int FALLBACK_HOLD_MS = 20_000;
  /** Last-resort chunks the origin grants one requester per 10 s. */
  public static final int ORIGIN_GRANTS = 2;
  /** A partner that refused a subscription is not asked again for this long. */
  public static final int REJECT_HOLD_MS = 30_000;
  /**
   * The origin refusing a first-tier slot is not asked for it again for this long: its free slots
   * are raced for by all its partners, and a slot left empty is a substream without any copy.
   */
  public static final int ORIGIN_REJECT_HOLD_MS = 4000;
  /** A chunk playout is stuck on is asked of the origin again after this long. */
  public static final int ORIGIN_RETRY_MS = 2000;
  /** First wait before asking the tracker again (doubles up to 60 s). */
  public static final int TRACKER_RETRY_MS = 5000;
  /**
   * A partner not heard from for this long (buffer maps come every 4 s at most) is dropped as
   * dead: faster than the 30 s dead-link timer, which matters most for the origin's first tier.
   */
  public static final int SILENT_MS = 15_000;
  /** A dial without an answer is forgotten after this long. */
  public static final int DIAL_TIMEOUT_MS = 3000;
  /**
   * A transport whose in-order playout is stuck on a missing chunk this long past its deadline
   * ({@link #repairFrom}) starts the direct pull.
   */
  public static final int STALL_MS = 2000;

  private SchedulerConfig cfg;
  private final int self;
  private final int originPeer;
  private final SplittableRandom random;
  private final int k;
  private final int chunkBytes;
  private final int chunkCost;
  private final double capBytesPerSec;
  private final int lagThreshold;
  private final Map<Integer, Partner> partners = new LinkedHashMap<>();
  private final List<Action> out = new ArrayList<>();

  private final long[] slotSeq = new long[WINDOW];
  private final int[] slotSize = new int[WINDOW];
  private final long[] slotArrive = new long[WINDOW];
  private final boolean[] slotSwarm = new boolean[WINDOW];
  private final long[] reqSeq = new long[WINDOW];
  private final int[] reqPeer = new int[WINDOW];
  private final long[] reqAt = new long[WINDOW];
  private final long[] reqTimeout = new long[WINDOW];
  private final long[] originAsked = new long[WINDOW];
  private final long[] originAskedAt = new long[WINDOW];

  private int epoch = -1;
  private boolean anchored;
  private long anchorSeq;
  private long anchorTime;
  private long playSeq = -1;
  private long firstPlaySeq = -1;
  private long highest = -1;
  private final long[] ownLatest;
  private long joinedAt;
  private long startupMs = -1;

  private final int[] parent;
  private final long[] switchedAt;
  private final long[] pushedLatest;
  private final long[] subscribedFrom;
  private final double[] pushDelay;
  private final int[] pushMisses;
  private long nextParentCheck;

  private final TokenBucket upload;
  private final TokenBucket lastResort;
  private final TokenBucket dials;
  private final Map<Integer, long[]> grants = new HashMap<>();
  private final ArrayDeque<Integer> candidates = new ArrayDeque<>();
  private final Map<Integer, Long> dialing = new LinkedHashMap<>();
  private long nextTrackerAsk;
  private long trackerBackoff = TRACKER_RETRY_MS;

  private long due;
  private long inTime;
  private final boolean[] recentHit = new boolean[FALLBACK_WINDOW];
  private final boolean[] recentSwarm = new boolean[FALLBACK_WINDOW];
  private int recentN;
  private boolean fallback;
  private long fallbackSince;
  private int fallbacks;

  private long repairFrom = -1;
  private boolean pullInFallback;
  private long payloadUp;
  private long payloadDown;
  private long controlBytes;
  private long originBytes;
  private long fallbackBytes;
  private long duplicateBytes;

  /**
   * A scheduler for node {@code self}; {@code originPeer} is the id chunks from the origin arrive
   * with (equal to {@code self} on the origin). {@code now} starts the clocks; call {@link #start}.
   */
  public Scheduler(SchedulerConfig cfg, int self, int originPeer, long seed, long now) {
    this.cfg = cfg;
    this.self = self;
    this.originPeer = originPeer;
    this.random = new SplittableRandom(seed);
    this.k = cfg.substreams();
    this.chunkBytes = cfg.chunkBytes();
    this.chunkCost = chunkBytes + WireSizes.CHUNK_HEADER + WireSizes.SIGNATURE;
    this.capBytesPerSec = cfg.uploadKbps() * 125.0;
    this.lagThreshold = 2 * k;
    this.ownLatest = new long[k];
    this.parent = new int[k];
    this.switchedAt = new long[k];
    this.pushedLatest = new long[k];
    this.subscribedFrom = new long[k];
    this.pushDelay = new double[k];
    Arrays.fill(pushDelay, 1000);
    this.pushMisses = new int[k];
    Arrays.fill(slotSeq, -1);
    Arrays.fill(reqSeq, -1);
    Arrays.fill(originAsked, -1);
    Arrays.fill(ownLatest, -1);
    Arrays.fill(parent, NONE);
    Arrays.fill(switchedAt, Long.MIN_VALUE / 2);
    this.upload = new TokenBucket(capBytesPerSec, Math.max(capBytesPerSec, 2 * chunkCost), now);
    double r = cfg.streamKbps() * 125.0;
    this.lastResort = new TokenBucket(0.4 * r, 1.6 * r, now);
    this.dials = new TokenBucket(5, 5, now);
    this.joinedAt = now;
  }

  /** Joins: asks the tracker for peers (the origin only waits for partners). */
  public List<Action> start(long now) {
    out.clear();
    joinedAt = now;
    nextTrackerAsk = now + trackerBackoff;
    if (!cfg.origin()) {
      emit(new Action.AskTracker());
    }
    return done();
  }

  /**
   * The tracker's answer: a sample of peers (connectable ones are kept as dial candidates and
   * dialed as needed) and the origin's latest chunk header ({@code edgeSeq} -1 if none), which
   * anchors this node's playout clock.
   */
  public List<Action> onCandidates(long now, List<Candidate> offered, int epoch, long edgeSeq,
      long edgeOriginTimeMs) {
    out.clear();
    edge(now, epoch, edgeSeq, edgeOriginTimeMs);
    controlBytes += (long) WireSizes.PEER_RECORD * offered.size();
    for (Candidate c : offered) {
      if (c.connectable() && c.peer() != self && !partners.containsKey(c.peer())
          && !dialing.containsKey(c.peer()) && !candidates.contains(c.peer())
          && candidates.size() < 32) {
        candidates.add(c.peer());
      }
    }
    dial(now);
    return done();
  }

  /**
   * A verified chunk header of the origin's (a HELLO's, or the tracker's) that the node tuned in
   * with: of a newer (local) epoch, it resets the buffer and play point to that epoch at once,
   * before any chunk of it came, and anchors on it; of the current epoch, it anchors as a chunk
   * would. Without it a node that tuned in to a restarted origin's new epoch from a HELLO kept the
   * old epoch's play point, and its playout waited for that seq of the new epoch (silently, for
   * as long as the proxy's safety net let it).
   */
  public void onEdge(long now, int epoch, long edgeSeq, long edgeOriginTimeMs) {
    edge(now, epoch, edgeSeq, edgeOriginTimeMs);
  }

  private void edge(long now, int epoch, long edgeSeq, long edgeOriginTimeMs) {
    if (edgeSeq >= 0 && epoch >= this.epoch) {
      if (epoch > this.epoch) {
        resetEpoch(epoch);
      }
      anchor(now, edgeSeq, edgeOriginTimeMs);
    }
  }

  /** The (local) epoch this scheduler is on; -1 before any. */
  public int epoch() {
    return epoch;
  }

  /**
   * Adopts another playout lag (the tracker's advice to a node whose lag is automatic), only
   * before the node is anchored, i.e. before its play point is set and anything plays: a lag
   * changed while playing would gap or repeat audio.
   *
   * @return whether the lag is now {@code lagMs}
   * @throws IllegalArgumentException if {@code lagMs} is out of {@link SchedulerConfig}'s range
   */
  public boolean adoptLag(int lagMs) {
    if (anchored || cfg.origin()) {
      return cfg.lagMs() == lagMs;
    }
    cfg = cfg.withLagMs(lagMs);
    return true;
  }

  /** The playout lag in force. */
  public int lagMs() {
    return cfg.lagMs();
  }

  /** A connection is up (either way). Beyond {@code partnerMax} it is dropped. */
  public List<Action> onPartnerAdded(long now, Hello h) {
    out.clear();
    dialing.remove(h.peer());
    controlBytes += 2L * WireSizes.HELLO;
    if (h.peer() == self || partners.containsKey(h.peer())) {
      return done();
    }
    if (partners.size() >= cfg.partnerMax()) {
      emit(new Action.Drop(h.peer()));
      return done();
    }
    double seedRate = h.capacityKbps() > 0 ? h.capacityKbps() * 125.0 / 2 : cfg.streamKbps() * 125.0;
    Partner p = new Partner(h, k, seedRate, now, now + mapPeriod());
    partners.put(p.id, p);
    edge(now, h.epoch(), h.edgeSeq(), h.edgeOriginTimeMs());
    emit(new Action.SendBufferMap(p.id, ownMap()));
    return done();
  }

  /** A connection is gone: its substreams are re-subscribed elsewhere and its requests re-sent. */
  public List<Action> onPartnerRemoved(long now, int peer) {
    out.clear();
    Partner p = partners.remove(peer);
    if (p != null) {
      forget(p, now);
    }
    return done();
  }

  /** A partner's buffer map. A newer epoch is believed only from a verified chunk. */
  public List<Action> onBufferMap(long now, int from, BufferMap map) {
    out.clear();
    controlBytes += WireSizes.BUFFER_MAP;
    Partner p = heard(from, now);
    if (p != null && map.substreams() == k) {
      p.map = map;
      p.mapAt = now;
      if (anchored && !cfg.origin()) {
        selectMissingParents(now);
      }
    }
    return done();
  }

  /**
   * A chunk from a partner, the origin or the direct pull ({@link #FALLBACK}); the origin passes its
   * own id for a chunk it has just cut. A forged chunk ({@code verified} false) drops the sender.
   * A new chunk is stored and pushed to the children of its substream.
   */
  public List<Action> onChunk(long now, int from, int epoch, long seq, int size, long originTimeMs,
      boolean verified) {
    out.clear();
    Partner p = heard(from, now);
    if (!verified) {
      if (p != null) {
        partners.remove(from);
        forget(p, now);
      }
      emit(new Action.Drop(from));
      return done();
    }
    if (from != self) {
      controlBytes += WireSizes.CHUNK_HEADER;
      payloadDown += size;
      if (from == originPeer) {
        originBytes += size;
      } else if (from == FALLBACK) {
        fallbackBytes += size;
      }
    }
    if (epoch < this.epoch) {
      duplicateBytes += size;
      return done();
    }
    if (epoch > this.epoch) {
      resetEpoch(epoch);
    }
    anchor(now, seq, originTimeMs);
    int sub = (int) (seq % k);
    if (p != null) {
      p.bytesDown += size;
      p.live[sub] = Math.max(p.live[sub], seq);
      if (parent[sub] == from) {
        pushedLatest[sub] = Math.max(pushedLatest[sub], seq);
        pushDelay[sub] += 0.1 * (now - originTimeMs - cfg.chunkMs() - pushDelay[sub]);
      }
    }
    int slot = slot(seq);
    if (reqSeq[slot] == seq) {
      Partner q = partners.get(reqPeer[slot]);
      if (q != null) {
        q.inflight--;
        if (q.id == from) {
          double sample = size * 1000.0 / Math.max(1, now - reqAt[slot]);
          q.rate = 0.8 * q.rate + 0.2 * sample;
        }
      }
      reqSeq[slot] = -1;
    }
    boolean swarmInTime = from != FALLBACK && (cfg.origin() || now <= deadline(seq));
    if (has(seq) || seq <= highest - WINDOW) {
      duplicateBytes += size;
      if (has(seq)) {
        slotSwarm[slot] |= swarmInTime;
      }
      return done();
    }
    slotSeq[slot] = seq;
    slotSize[slot] = size;
    slotArrive[slot] = now;
    slotSwarm[slot] = swarmInTime;
    highest = Math.max(highest, seq);
    ownLatest[sub] = Math.max(ownLatest[sub], seq);
    if (startupMs < 0 && firstPlaySeq >= 0 && seq >= firstPlaySeq) {
      startupMs = now - joinedAt;
    }
    for (Partner c : partners.values()) {
      if (c.isChild(sub) && c.id != from) {
        push(c, seq, size, now);
      }
    }
    return done();
  }

  /** A partner subscribes to substream {@code sub} from {@code fromSeq}: accepted within budget. */
  public List<Action> onSubscribe(long now, int from, int sub, int epoch, long fromSeq) {
    out.clear();
    controlBytes += WireSizes.SUBSCRIBE;
    Partner p = heard(from, now);
    if (p == null || sub < 0 || sub >= k) {
      return done();
    }
    if (!p.isChild(sub)) {
      boolean ok;
      if (cfg.origin()) {
        ok = originAdmits(p, sub);
      } else {
        int pairs = partners.values().stream().mapToInt(c -> Integer.bitCount(c.childMask)).sum();
        ok = (pairs + 1) * cfg.streamKbps() * 125.0 / k <= 0.8 * capBytesPerSec;
      }
      if (!ok || parent[sub] == from) {
        emit(new Action.RefuseSubscribe(from, sub));
        return done();
      }
      p.childMask |= 1 << sub;
      p.lastActiveAt = now;
    }
    if (epoch == this.epoch && highest >= 0) {
      long s = Math.max(fromSeq, highest - WINDOW + 1);
      s += Math.floorMod(sub - s, k);
      for (; s <= highest; s += k) {
        if (has(s) && (p.map == null || !p.map.has(s))) {
          push(p, s, slotSize[slot(s)], now);
        }
      }
    }
    return done();
  }

  /** A child stops its subscription to substream {@code sub}. */
  public List<Action> onUnsubscribe(long now, int from, int sub) {
    out.clear();
    controlBytes += WireSizes.UNSUBSCRIBE;
    Partner p = heard(from, now);
    if (p != null && sub >= 0 && sub < k) {
      p.childMask &= ~(1 << sub);
    }
    return done();
  }

  /** A partner refused this node's subscription: another parent is chosen now. */
  public List<Action> onSubscribeRefused(long now, int from, int sub) {
    out.clear();
    controlBytes += WireSizes.UNSUBSCRIBE;
    Partner p = heard(from, now);
    if (p != null && sub >= 0 && sub < k) {
      p.rejectedUntil[sub] = now + (from == originPeer ? ORIGIN_REJECT_HOLD_MS : REJECT_HOLD_MS);
      if (parent[sub] == from) {
        parent[sub] = NONE;
        selectParent(now, sub);
      }
    }
    return done();
  }

  /**
   * A request for a chunk, with the requester's time left to its deadline: served or refused at
   * once (see the class description for the rules, and the origin's).
   */
  public List<Action> onRequest(long now, int from, int epoch, long seq, int msToDeadline) {
    out.clear();
    controlBytes += WireSizes.REQUEST;
    Partner p = heard(from, now);
    if (p != null) {
      p.lastActiveAt = now;
    }
    boolean ok = epoch == this.epoch && has(seq);
    if (ok && cfg.origin()) {
      long[] times = grants.computeIfAbsent(from, f -> newGrants());
      ok = msToDeadline <= LAST_RESORT_MS && times[0] <= now - 10_000
          && lastResort.tryTake(now, chunkCost);
      if (ok) {
        System.arraycopy(times, 1, times, 0, times.length - 1);
        times[times.length - 1] = now;
      }
      if (grants.size() > 4096) {
        grants.values().removeIf(t -> t[t.length - 1] < now - 10_000);
      }
    } else if (ok) {
      ok = p != null && mayServe(p, now);
    }
    if (!ok) {
      emit(new Action.Refuse(from, epoch, seq));
      return done();
    }
    int size = slotSize[slot(seq)];
    if (p != null) {
      p.bytesUp += size;
    }
    emit(new Action.Serve(from, epoch, seq, size));
    return done();
  }

  /** A partner (or the origin) refused this node's request: it goes elsewhere next tick. */
  public List<Action> onRefused(long now, int from, int epoch, long seq) {
    out.clear();
    controlBytes += WireSizes.REFUSE;
    Partner p = heard(from, now);
    if (p != null) {
      p.markRefused(seq, now);
    }
    int slot = slot(seq);
    if (reqSeq[slot] == seq && reqPeer[slot] == from) {
      reqSeq[slot] = -1;
      if (p != null) {
        p.inflight--;
      }
    }
    return done();
  }

  /**
   * Time passes: plays out due chunks, expires requests, checks fallback and parents, pulls, sends
   * buffer maps and keeps the partner count up. Call it every 250 ms or so.
   */
  public List<Action> tick(long now) {
    out.clear();
    dropSilent(now);
    if (!cfg.origin()) {
      dial(now);
      if (anchored) {
        playout(now);
        expireRequests(now);
        checkFallback(now);
        checkParents(now);
        if (!fallback || pullInFallback) {
          pull(now);
        }
      }
    }
    sendMaps(now);
    return done();
  }

  /** This node's figures now. */
  public SwarmStats stats() {
    List<PartnerStats> list = new ArrayList<>();
    for (Partner p : partners.values()) {
      int parentOf = 0;
      for (int s = 0; s < k; s++) {
        parentOf |= parent[s] == p.id ? 1 << s : 0;
      }
      list.add(new PartnerStats(p.id, p.dialed, p.connectable, p.bytesUp, p.bytesDown, parentOf,
          p.childMask));
    }
    return new SwarmStats(list, due, inTime, payloadUp, payloadDown, originBytes, fallbackBytes,
        duplicateBytes, controlBytes, cfg.lagMs(), startupMs, fallback, fallbacks);
  }

  /**
   * Whether the origin takes partner {@code p} as a first-tier child of {@code sub}. First tier
   * is spread: a partner gets one substream while another partner of the origin has none (it
   * will ask); more only when every partner already has one (a small swarm: two peers must share
   * all 8 slots) or when {@code sub} has no copy at all. A partner with none that finds the
   * substream full takes the slot of a partner holding several, which is told UNSUBSCRIBE and
   * finds another parent, so slots granted to a small swarm go back to spreading as it grows.
   */
  private boolean originAdmits(Partner p, int sub) {
    long copies = partners.values().stream().filter(c -> c.isChild(sub)).count();
    if (copies == 0) {
      return true;
    }
    if (copies < cfg.originPushCopies()) {
      return p.childMask == 0
          || partners.values().stream().noneMatch(c -> c != p && c.childMask == 0);
    }
    if (p.childMask != 0) {
      return false;
    }
    Partner extra = partners.values().stream()
        .filter(c -> c.isChild(sub) && Integer.bitCount(c.childMask) > 1).findFirst().orElse(null);
    if (extra == null) {
      return false;
    }
    extra.childMask &= ~(1 << sub);
    emit(new Action.RefuseSubscribe(extra.id, sub));
    return true;
  }

  /** This node's buffer map now. */
  public BufferMap ownMap() {
    long base = Math.max(0, highest - WINDOW + 1);
    long bits = 0;
    for (int i = 0; i < WINDOW; i++) {
      if (has(base + i)) {
        bits |= 1L << i;
      }
    }
    int subscribed = 0;
    for (int s = 0; s < k; s++) {
      int sub = s;
      subscribed |= cfg.origin()
          ? partners.values().stream().filter(c -> c.isChild(sub)).count() < cfg.originPushCopies()
              || partners.values().stream().anyMatch(c -> c.isChild(sub)
                  && Integer.bitCount(c.childMask) > 1) ? 1 << s : 0
          : parent[s] != NONE ? 1 << s : 0;
    }
    return new BufferMap(Math.max(epoch, 0), base, bits, ownLatest, subscribed);
  }

  /** Whether this node holds chunk {@code seq} of the current epoch. */
  public boolean has(long seq) {
    return seq >= 0 && slotSeq[slot(seq)] == seq;
  }

  /** The partner pushing substream {@code sub}, or {@link #NONE}. */
  public int parent(int sub) {
    return parent[sub];
  }

  /** The next chunk to play (-1 before the node is anchored). */
  public long playSeq() {
    return playSeq;
  }

  /** When chunk {@code seq} is due for playout (meaningful once anchored). */
  public long deadline(long seq) {
    return anchorTime + (seq - anchorSeq) * cfg.chunkMs() + cfg.lagMs();
  }

  /**
   * The deadlines of the current epoch as they stand now (a copy that a later anchor or epoch
   * does not move): what the old epoch's last chunks keep when a new epoch comes.
   */
  public java.util.function.LongUnaryOperator deadlines() {
    long t = anchorTime;
    long s0 = anchorSeq;
    int chunkMs = cfg.chunkMs();
    int lag = cfg.lagMs();
    return seq -> t + (seq - s0) * chunkMs + lag;
  }

  /**
   * The transport plays strictly in order and is stuck on missing chunk {@code seq}, already past
   * its deadline (-1: not stuck). Pulls then cover it too, first of all (a chunk behind the play
   * point is otherwise given up), and after {@link #STALL_MS} the direct pull starts.
   */
  public void repairFrom(long seq) {
    repairFrom = seq;
  }

  /**
   * Whether repair pulls go on during a fallback (default off: the simulation's direct pull feeds
   * the node chunks, see {@link #onChunk}). A transport whose direct pull goes to the mount only,
   * outside the swarm, turns it on, so the swarm recovers while the mount is fed directly.
   */
  public void pullDuringFallback(boolean on) {
    pullInFallback = on;
  }

  /** Whether the node pulls the stream directly now. */
  public boolean inFallback() {
    return fallback;
  }

  /**
   * A one-line picture of this node's state for logs: play point, newest chunk, parents, the
   * fallback window and each partner's newest chunk per substream and child mask.
   */
  public String describe(long now) {
    StringBuilder b = new StringBuilder();
    b.append("play ").append(playSeq).append(" highest ").append(highest).append(" repairFrom ")
        .append(repairFrom).append(" parents ").append(Arrays.toString(parent))
        .append(" own ").append(Arrays.toString(ownLatest)).append(" fallback ").append(fallback)
        .append(" recent ");
    int n = (int) Math.min(recentN, FALLBACK_WINDOW);
    for (int i = 0; i < n; i++) {
      b.append(recentHit[i] ? recentSwarm[i] ? 'S' : 'h' : '.');
    }
    b.append(" partners");
    for (Partner p : partners.values()) {
      b.append(' ').append(p.id).append(p.id == originPeer ? "(o)" : "").append(":[");
      for (int s = 0; s < k; s++) {
        b.append(s == 0 ? "" : ",").append(p.latest(s, epoch));
      }
      b.append("] c").append(p.childMask).append(" heard ").append(now - p.lastHeardAt);
    }
    return b.toString();
  }

  /** Current partner ids, in the order they were added. */
  public List<Integer> partnerIds() {
    return List.copyOf(partners.keySet());
  }

  // ---- internals

  private Partner heard(int from, long now) {
    Partner p = partners.get(from);
    if (p != null) {
      p.lastHeardAt = now;
    }
    return p;
  }

  private void dropSilent(long now) {
    for (Partner p : List.copyOf(partners.values())) {
      if (p.lastHeardAt < now - SILENT_MS) {
        partners.remove(p.id);
        forget(p, now);
        emit(new Action.Drop(p.id));
      }
    }
  }

  private List<Action> done() {
    return out.isEmpty() ? List.of() : List.copyOf(out);
  }

  private void emit(Action a) {
    controlBytes += WireSizes.control(a);
    if (a instanceof Action.Push push) {
      payloadUp += push.size();
    } else if (a instanceof Action.Serve serve) {
      payloadUp += serve.size();
    }
    out.add(a);
  }

  private int slot(long seq) {
    return (int) Math.floorMod(seq, (long) WINDOW);
  }

  private long[] newGrants() {
    long[] t = new long[ORIGIN_GRANTS];
    Arrays.fill(t, Long.MIN_VALUE / 2);
    return t;
  }

  private void resetEpoch(int e) {
    epoch = e;
    anchored = false;
    playSeq = -1;
    firstPlaySeq = -1;
    highest = -1;
    Arrays.fill(slotSeq, -1);
    Arrays.fill(reqSeq, -1);
    Arrays.fill(originAsked, -1);
    Arrays.fill(ownLatest, -1);
    Arrays.fill(pushedLatest, -1);
    for (Partner p : partners.values()) {
      p.inflight = 0;
      Arrays.fill(p.live, -1);
    }
  }

  /**
   * Anchors origin times on a verified chunk header: the first one also sets the play point; a
   * newer one moves the anchor to it. Real chunks are not exactly {@code chunkMs} long (MP3 frames
   * of 26.1 ms cut near 500 ms give 522 ms), so deadlines extrapolated from the first anchor drift
   * off the origin's clock (7 s after 3 minutes: the whole swarm then missed its deadlines and
   * fell back for good), while from the newest chunk the error stays within a few chunks' worth.
   */
  private void anchor(long now, long seq, long originTime) {
    if (anchored) {
      if (seq > anchorSeq) {
        anchorSeq = seq;
        anchorTime = originTime;
      }
      return;
    }
    anchored = true;
    anchorSeq = seq;
    anchorTime = originTime;
    if (!cfg.origin()) {
      long t = now + STARTUP_MS - cfg.lagMs() - anchorTime;
      playSeq = Math.max(0, anchorSeq - Math.floorDiv(-t, cfg.chunkMs()));
      firstPlaySeq = playSeq;
      nextParentCheck = now;
    }
  }

  private void forget(Partner p, long now) {
    for (int i = 0; i < WINDOW; i++) {
      if (reqSeq[i] >= 0 && reqPeer[i] == p.id) {
        reqSeq[i] = -1;
      }
    }
    for (int s = 0; s < k; s++) {
      if (parent[s] == p.id) {
        parent[s] = NONE;
        if (anchored && !cfg.origin()) {
          selectParent(now, s);
        }
      }
    }
  }

  private void push(Partner c, long seq, int size, long now) {
    upload.force(now, size + WireSizes.CHUNK_HEADER + WireSizes.SIGNATURE);
    c.bytesUp += size;
    c.lastActiveAt = now;
    emit(new Action.Push(c.id, epoch, seq, size));
  }

  private boolean mayServe(Partner p, long now) {
    double tokens = upload.tokens(now);
    if (tokens < chunkCost) {
      return false;
    }
    int active = 0;
    for (Partner q : partners.values()) {
      if (q == p || q.childMask != 0 || q.lastActiveAt >= now - 2000) {
        active++;
      }
    }
    double fair = capBytesPerSec / active;
    p.shareTokens = Math.min(2.0 * chunkCost, p.shareTokens + (now - p.shareAt) * fair / 1000);
    p.shareAt = now;
    boolean ok = p.shareTokens >= chunkCost || tokens >= upload.burst() / 2;
    if (ok) {
      upload.force(now, chunkCost);
      p.shareTokens -= chunkCost;
    }
    return ok;
  }

  private void playout(long now) {
    while (deadline(playSeq) <= now) {
      long seq = playSeq++;
      if (deadline(seq) < joinedAt + WARMUP_MS) {
        continue;
      }
      int slot = slot(seq);
      boolean hit = has(seq) && slotArrive[slot] <= deadline(seq);
      due++;
      inTime += hit ? 1 : 0;
      int i = (int) (recentN++ % FALLBACK_WINDOW);
      recentHit[i] = hit;
      recentSwarm[i] = hit && slotSwarm[slot];
    }
  }

  private void expireRequests(long now) {
    for (int i = 0; i < WINDOW; i++) {
      if (reqSeq[i] >= 0 && reqTimeout[i] <= now) {
        Partner q = partners.get(reqPeer[i]);
        if (q != null) {
          q.inflight--;
          q.rate *= 0.5;
          q.markRefused(reqSeq[i], now);
        }
        reqSeq[i] = -1;
      }
    }
  }

  private void checkFallback(long now) {
    int n = (int) Math.min(recentN, FALLBACK_WINDOW);
    int misses = 0;
    boolean swarmOk = n == FALLBACK_WINDOW;
    for (int i = 0; i < n; i++) {
      misses += recentHit[i] ? 0 : 1;
      swarmOk &= recentSwarm[i];
    }
    boolean stalled = repairFrom >= 0 && repairFrom < playSeq
        && now - deadline(repairFrom) >= STALL_MS;
    if (!fallback && (misses >= FALLBACK_MISSES || stalled)) {
      fallback = true;
      fallbackSince = now;
      fallbacks++;
      recentN = 0;
      emit(new Action.FallbackStart(epoch, playSeq));
    } else if (fallback && swarmOk && now - fallbackSince >= FALLBACK_HOLD_MS) {
      fallback = false;
      recentN = 0;
      emit(new Action.FallbackStop());
    }
  }

  /**
   * Replaces stalled parents at once; every {@value #PARENT_CHECK_MS} ms also lagging ones and
   * ones that missed, within the hold.
   */
  private void checkParents(long now) {
    boolean periodic = now >= nextParentCheck;
    if (periodic) {
      nextParentCheck = now + PARENT_CHECK_MS;
    }
    Partner origin = partners.get(originPeer);
    if (periodic && origin != null && origin.map != null && origin.map.subscribed() != 0
        && Arrays.stream(parent).noneMatch(p -> p == originPeer)) {
      int free = origin.map.subscribed();
      int start = random.nextInt(k);
      for (int i = 0; i < k; i++) {
        int s = (start + i) % k;
        if ((free >>> s & 1) != 0 && origin.rejectedUntil[s] <= now) {
          subscribe(now, s, origin);
          break;
        }
      }
    }
    for (int s = 0; s < k; s++) {
      Partner cur = parent[s] == NONE ? null : partners.get(parent[s]);
      if (cur == null) {
        parent[s] = NONE;
        selectParent(now, s);
        continue;
      }
      if (cur.id == originPeer) {
        // The origin is the source: a late origin is late for everyone, and a first-tier copy
        // given up is not taken back until another partner of the origin claims the slot (under
        // churn, a substream could be left without any copy: holes nobody can repair).
        continue;
      }
      if (late(now, s) >= 1000L + (long) k * cfg.chunkMs()) {
        selectParent(now, s);
      } else if (periodic && now - switchedAt[s] >= SWITCH_HOLD_MS) {
        long best = -1;
        for (Partner p : partners.values()) {
          best = p != cur ? Math.max(best, p.latest(s, epoch)) : best;
        }
        if (best - cur.latest(s, epoch) >= lagThreshold || pushMisses[s] >= 2) {
          selectParent(now, s);
        }
      }
    }
  }

  /**
   * How late, in ms, the parent of substream s is with the chunk after the last one it pushed,
   * against the usual push delay on s (an EWMA); 0 during the first {@code K} chunk durations plus
   * 1 s after subscribing.
   */
  private long late(long now, int s) {
    if (now - switchedAt[s] < (long) k * cfg.chunkMs() + 1000) {
      return 0;
    }
    long expected = anchorTime + (pushedLatest[s] + k - anchorSeq) * cfg.chunkMs() + cfg.chunkMs();
    return now - expected - (long) pushDelay[s];
  }

  private void selectMissingParents(long now) {
    for (int s = 0; s < k; s++) {
      if (parent[s] == NONE) {
        selectParent(now, s);
      }
    }
  }

  private void selectParent(long now, int s) {
    int cur = parent[s];
    long best = -1;
    for (Partner p : partners.values()) {
      best = Math.max(best, p.latest(s, epoch));
    }
    if (best < 0) {
      return;
    }
    Partner choice = null;
    double choiceEta = Double.MAX_VALUE;
    for (Partner p : partners.values()) {
      if (p.id == cur || p.rejectedUntil[s] > now || p.isChild(s)
          || p.latest(s, epoch) < best - lagThreshold) {
        continue;
      }
      double eta = (p.rttMs / 2.0 + chunkBytes * 1000.0 / p.rate) * (1 + 0.2 * random.nextDouble());
      if (eta < choiceEta) {
        choice = p;
        choiceEta = eta;
      }
    }
    if (choice != null) {
      subscribe(now, s, choice);
    }
  }

  private void subscribe(long now, int s, Partner choice) {
    int cur = parent[s];
    if (cur != NONE && partners.containsKey(cur)) {
      emit(new Action.Unsubscribe(cur, s));
    }
    long from = Math.max(0, Math.max(playSeq, highest - WINDOW + 1));
    from += Math.floorMod(s - from, k);
    for (long seq = from; seq <= highest + 2L * k; seq += k) {
      if (has(seq) || reqSeq[slot(seq)] == seq) {
        from = seq + k;
      }
    }
    subscribedFrom[s] = from;
    parent[s] = choice.id;
    switchedAt[s] = now;
    pushedLatest[s] = from - k;
    pushMisses[s] = 0;
    emit(new Action.Subscribe(choice.id, s, Math.max(epoch, 0), from));
  }

  private void pull(long now) {
    long known = highest;
    for (Partner p : partners.values()) {
      for (int s = 0; s < k; s++) {
        known = Math.max(known, p.latest(s, epoch));
      }
      known = p.map != null && p.map.epoch() == epoch ? Math.max(known, p.map.highest()) : known;
    }
    long produced = anchorSeq + Math.floorDiv(now - anchorTime - cfg.chunkMs(), cfg.chunkMs());
    long end = Math.min(known, produced);
    long from = repairFrom >= 0 && repairFrom < playSeq ? repairFrom : playSeq;
    long start = Math.max(from, Math.max(0, end - WINDOW + 1));
    boolean[] suspect = new boolean[k];
    for (int s = 0; s < k; s++) {
      suspect[s] = parent[s] == NONE || late(now, s) >= 1000;
    }
    int n = 0;
    long[] seqs = new long[(int) Math.max(0, Math.min(WINDOW, end - start + 1))];
    long[] keys = new long[seqs.length];
    for (long seq = start; seq <= end && n < seqs.length; seq++) {
      int slot = slot(seq);
      if (has(seq) || reqSeq[slot] == seq) {
        continue;
      }
      boolean repair = seq < playSeq;
      long dl = repair ? 1 : deadline(seq) - now;
      int sub = (int) (seq % k);
      if (dl <= 0 || !suspect[sub] && seq >= subscribedFrom[sub] && dl > PUSH_GRACE_MS) {
        continue;
      }
      int holders = 0;
      int likely = 0;
      for (Partner p : partners.values()) {
        int o = p.offers(seq, epoch, now, cfg.chunkMs());
        holders += o == 2 ? 1 : 0;
        likely += o == 1 && dl < PUSH_GRACE_MS ? 1 : 0;
      }
      boolean retry = repair && holders == 0 && now - originAskedAt[slot] >= ORIGIN_RETRY_MS;
      if (holders + likely == 0 || retry) {
        if (dl < LAST_RESORT_MS && (originAsked[slot] != seq || retry) && originPeer != self) {
          originAsked[slot] = seq;
          originAskedAt[slot] = now;
          track(slot, seq, originPeer, now, now + 1000);
          emit(new Action.OriginRequest(epoch, seq, (int) dl));
        }
        continue;
      }
      seqs[n] = seq;
      keys[n] = (dl / DEADLINE_SLOT_MS) << 40 | (long) holders << 32 | n;
      n++;
    }
    long[] order = Arrays.copyOf(keys, n);
    Arrays.sort(order);
    for (long key : order) {
      long seq = seqs[(int) (key & 0xffffffffL)];
      Partner best = null;
      double bestEta = Double.MAX_VALUE;
      int level = 0;
      for (Partner p : partners.values()) {
        int o = p.offers(seq, epoch, now, cfg.chunkMs());
        if (o == 0 || o < level) {
          continue;
        }
        int cap = (int) Math.max(1, Math.min(8, p.rate * (p.rttMs + 500) / 1000 / chunkBytes));
        double eta = p.rttMs / 2.0 + (p.inflight + 1) * chunkBytes * 1000.0 / p.rate;
        if (p.inflight < cap && (o > level || eta < bestEta)) {
          level = o;
          best = p;
          bestEta = eta;
        }
      }
      if (best == null) {
        continue;
      }
      int sub = (int) (seq % k);
      if (parent[sub] != NONE && seq >= subscribedFrom[sub]) {
        pushMisses[sub]++;
      }
      best.inflight++;
      track(slot(seq), seq, best.id, now, now + (long) bestEta + 2L * best.rttMs + 500);
      emit(new Action.Request(best.id, epoch, seq, (int) (deadline(seq) - now)));
    }
  }

  private void track(int slot, long seq, int peer, long now, long timeout) {
    reqSeq[slot] = seq;
    reqPeer[slot] = peer;
    reqAt[slot] = now;
    reqTimeout[slot] = timeout;
  }

  private int mapPeriod() {
    double perSec = cfg.mapBudget() * cfg.streamKbps() * 125.0;
    int period = (int) (Math.max(1, partners.size()) * WireSizes.BUFFER_MAP * 1000.0 / perSec);
    return Math.max(1000, Math.min(period, Math.min(6000, cfg.lagMs() * 3 / 4)));
  }

  private void sendMaps(long now) {
    BufferMap map = null;
    int period = mapPeriod();
    for (Partner p : partners.values()) {
      if (now >= p.nextMapAt) {
        map = map == null ? ownMap() : map;
        p.nextMapAt = now + period;
        emit(new Action.SendBufferMap(p.id, map));
      }
    }
  }

  private void dial(long now) {
    dialing.values().removeIf(at -> at <= now - DIAL_TIMEOUT_MS);
    if (cfg.origin()) {
      return;
    }
    while (partners.size() + dialing.size() < cfg.partnerTarget() && !candidates.isEmpty()
        && dials.tryTake(now, 1)) {
      int peer = candidates.poll();
      if (!partners.containsKey(peer)) {
        dialing.put(peer, now);
        emit(new Action.Connect(peer));
      }
    }
    if (partners.size() >= cfg.partnerTarget()) {
      trackerBackoff = TRACKER_RETRY_MS;
    } else if (partners.size() + dialing.size() < cfg.partnerTarget() && candidates.isEmpty()
        && now >= nextTrackerAsk) {
      nextTrackerAsk = now + trackerBackoff;
      trackerBackoff = Math.min(60_000, trackerBackoff * 2);
      emit(new Action.AskTracker());
    }
  }
}
