package dev.floe.swarm.schedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import java.util.function.LongUnaryOperator;

/**
 * One node's swarm scheduler: push substreams plus deadline-first, rarest-first repair pulls, an
 * upload token bucket shared fairly, the origin's fixed budget, and a fallback to a direct pull.
 * Every method takes the time ({@code now}, milliseconds on one monotonic clock) and returns the
 * actions to carry out, in order. Deterministic for a given seed and event sequence.
 *
 * <p>This class routes events to its parts and keeps the partners and the byte counters; each
 * policy (brief §2.5 to §2.9; where they differ from the brief, the simulation showed why) is
 * described and unit-tested in its part, all pure and package-private:
 * <ul>
 *   <li>{@link ChunkWindow}: the chunks held of the current epoch, and the buffer map they make;
 *   <li>{@link Requests}: the requests in flight and the origin's last-resort asks;
 *   <li>{@link Parents}: one push parent per substream, replaced when late, lagging or gone, and
 *       {@link OriginAdmission}: the origin's first-tier children, spread over its partners;
 *   <li>{@link PullPlanner}: which missing chunks to request of whom, each tick;
 *   <li>{@link UploadBudget}: pushes, served requests and children within the upload cap, and the
 *       origin's last-resort budget;
 *   <li>{@link PlayoutClock}: deadlines from the origin's times, and the play point;
 *   <li>{@link FallbackDetector}: when to pull the stream directly and when to come back;
 *   <li>{@link Dialer}: dials and tracker asks while the node is short of partners.
 * </ul>
 * <b>Buffer maps</b> go to each partner on connect and then every
 * {@code partners x 40 B / (mapBudget x r)}, between 1 s and min(6 s, 3/4 of the lag): map traffic
 * stays within a fixed share of the stream whatever the partner count (the brief's one per second
 * per partner is 1.5% at 128 kbit/s with 6 partners, which with 100-byte chunk headers breaks the
 * 2% overhead target). A partner not heard from for {@value #SILENT_MS} ms is dropped; inbound
 * connections beyond {@code partnerMax} are dropped. A request is served or refused at once (a
 * refusal sends the requester elsewhere; the refusing partner may be asked again a second later:
 * NOT_FOUND means "not yet", which matters when a first-tier copy dies and a whole subtree repairs
 * from each other).
 *
 * <p>Why this class is still some 650 lines: it is the scheduler's whole documented public API,
 * the contract with the node runtime and the simulation (the timing constants of every policy,
 * read by tests, the node and the simulation, and one method per event kind); the logic behind
 * each method is a few lines routing to the parts.
 *
 * <p>Limits: one epoch at a time (a verified chunk or chunk header of a newer epoch resets the
 * buffer, {@link #onChunk} or {@link #onEdge}; a buffer map alone never does); the back buffer is
 * {@value #WINDOW} chunks; no partner refinement, exploration slot, HAVE or CANCEL yet.
 */
public final class Scheduler {
  /** No peer. */
  public static final int NONE = Integer.MIN_VALUE;
  /** The sender id of chunks from the direct (fallback) pull. */
  public static final int FALLBACK = -1;
  /** Back buffer in chunks; also the span of the buffer map. */
  public static final int WINDOW = Holdings.SPAN;
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
  private final int k;
  private final Map<Integer, Partner> partners = new LinkedHashMap<>();
  private final List<Action> out = new ArrayList<>();
  private final ChunkWindow window;
  private final Requests requests = new Requests();
  private final PlayoutClock clock;
  private final Parents parents;
  private final OriginAdmission admission;
  private final PullPlanner pulls;
  private final UploadBudget budget;
  private final FallbackDetector fallback = new FallbackDetector();
  private final Dialer dialer;
  private final LongConsumer countDue = this::countDue;

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
    this.k = cfg.substreams();
    this.window = new ChunkWindow(k);
    this.clock = new PlayoutClock(cfg.chunkMs(), cfg.lagMs(), cfg.origin(), now);
    this.parents = new Parents(cfg, originPeer, new SplittableRandom(seed), partners, window,
        requests, clock, this::emit);
    this.admission = new OriginAdmission(cfg.originPushCopies(), partners.values(), this::emit);
    this.pulls = new PullPlanner(cfg, self, originPeer, partners, window, requests, clock, parents,
        this::emit);
    this.budget = new UploadBudget(cfg, now);
    this.dialer = new Dialer(cfg, self, partners, this::emit, now);
  }

  /** Joins: asks the tracker for peers (the origin only waits for partners). */
  public List<Action> start(long now) {
    out.clear();
    clock.join(now);
    dialer.start(now);
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
    dialer.offer(offered);
    dialer.dial(now);
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
    if (edgeSeq >= 0 && epoch >= window.epoch()) {
      if (epoch > window.epoch()) {
        resetEpoch(epoch);
      }
      anchor(now, edgeSeq, edgeOriginTimeMs);
    }
  }

  /** The (local) epoch this scheduler is on; -1 before any. */
  public int epoch() {
    return window.epoch();
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
    if (clock.anchored() || cfg.origin()) {
      return cfg.lagMs() == lagMs;
    }
    cfg = cfg.withLagMs(lagMs);
    clock.lagMs(cfg.lagMs());
    return true;
  }

  /** The playout lag in force. */
  public int lagMs() {
    return cfg.lagMs();
  }

  /** A connection is up (either way). Beyond {@code partnerMax} it is dropped. */
  public List<Action> onPartnerAdded(long now, Hello h) {
    out.clear();
    dialer.connected(h.peer());
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
  public List<Action> onBufferMap(long now, int from, Holdings map) {
    out.clear();
    controlBytes += WireSizes.BUFFER_MAP;
    Partner p = heard(from, now);
    if (p != null && map.substreams() == k) {
      p.map = map;
      p.mapAt = now;
      if (clock.anchored() && !cfg.origin()) {
        parents.selectMissing(now);
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
    if (epoch < window.epoch()) {
      duplicateBytes += size;
      return done();
    }
    if (epoch > window.epoch()) {
      resetEpoch(epoch);
    }
    anchor(now, seq, originTimeMs);
    int sub = (int) (seq % k);
    if (p != null) {
      p.bytesDown += size;
      p.live[sub] = Math.max(p.live[sub], seq);
      parents.arrived(sub, from, seq, now, originTimeMs);
    }
    if (requests.pending(seq)) {
      Partner q = partners.get(requests.peer(seq));
      if (q != null) {
        q.inflight--;
        if (q.id == from) {
          double sample = size * 1000.0 / Math.max(1, now - requests.sentAt(seq));
          q.rate = 0.8 * q.rate + 0.2 * sample;
        }
      }
      requests.clear(seq);
    }
    boolean swarmInTime = from != FALLBACK && (cfg.origin() || now <= deadline(seq));
    if (window.has(seq) || window.tooOld(seq)) {
      duplicateBytes += size;
      if (window.has(seq)) {
        window.againFromSwarm(seq, swarmInTime);
      }
      return done();
    }
    window.add(seq, size, now, swarmInTime);
    clock.arrived(seq, now);
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
      boolean ok = cfg.origin() ? admission.admits(p, sub) : budget.acceptsChild(partners.values());
      if (!ok || parents.parent(sub) == from) {
        emit(new Action.RefuseSubscribe(from, sub));
        return done();
      }
      p.childMask |= 1 << sub;
      p.lastActiveAt = now;
    }
    long highest = window.highest();
    if (epoch == window.epoch() && highest >= 0) {
      long s = Math.max(fromSeq, highest - WINDOW + 1);
      s += Math.floorMod(sub - s, k);
      for (; s <= highest; s += k) {
        if (window.has(s) && (p.map == null || !p.map.has(s))) {
          push(p, s, window.size(s), now);
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
      parents.refused(p, sub, now);
    }
    return done();
  }

  /**
   * A request for a chunk, with the requester's time left to its deadline: served or refused at
   * once ({@link UploadBudget} has the rules, and the origin's).
   */
  public List<Action> onRequest(long now, int from, int epoch, long seq, int msToDeadline) {
    out.clear();
    controlBytes += WireSizes.REQUEST;
    Partner p = heard(from, now);
    if (p != null) {
      p.lastActiveAt = now;
    }
    boolean ok = epoch == window.epoch() && window.has(seq);
    if (ok && cfg.origin()) {
      ok = budget.originMayServe(from, msToDeadline, now);
    } else if (ok) {
      ok = p != null && budget.mayServe(p, partners.values(), now);
    }
    if (!ok) {
      emit(new Action.Refuse(from, epoch, seq));
      return done();
    }
    int size = window.size(seq);
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
    if (requests.pendingAt(seq, from)) {
      requests.clear(seq);
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
      dialer.dial(now);
      if (clock.anchored()) {
        clock.playDue(now, countDue);
        expireRequests(now);
        checkFallback(now);
        parents.check(now);
        if (!fallback.on() || pullInFallback) {
          pulls.pull(now, repairFrom);
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
      list.add(new PartnerStats(p.id, p.dialed, p.connectable, p.bytesUp, p.bytesDown,
          parents.parentOf(p.id), p.childMask));
    }
    return new SwarmStats(list, fallback.dueCount(), fallback.inTime(), payloadUp, payloadDown,
        originBytes, fallbackBytes, duplicateBytes, controlBytes, cfg.lagMs(), clock.startupMs(),
        fallback.on(), fallback.fallbacks());
  }

  /** This node's buffer map now. */
  public Holdings ownMap() {
    return window.map(cfg.origin() ? admission.open(k) : parents.subscribed());
  }

  /** Whether this node holds chunk {@code seq} of the current epoch. */
  public boolean has(long seq) {
    return window.has(seq);
  }

  /** The partner pushing substream {@code sub}, or {@link #NONE}. */
  public int parent(int sub) {
    return parents.parent(sub);
  }

  /** The next chunk to play (-1 before the node is anchored). */
  public long playSeq() {
    return clock.playSeq();
  }

  /** When chunk {@code seq} is due for playout (meaningful once anchored). */
  public long deadline(long seq) {
    return clock.deadline(seq);
  }

  /**
   * The deadlines of the current epoch as they stand now (a copy that a later anchor or epoch
   * does not move): what the old epoch's last chunks keep when a new epoch comes.
   */
  public LongUnaryOperator deadlines() {
    return clock.deadlines();
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
    return fallback.on();
  }

  /**
   * A one-line picture of this node's state for logs: play point, newest chunk, parents, the
   * fallback window and each partner's newest chunk per substream and child mask.
   */
  public String describe(long now) {
    StringBuilder b = new StringBuilder();
    b.append("play ").append(clock.playSeq()).append(" highest ").append(window.highest())
        .append(" repairFrom ").append(repairFrom).append(" parents ").append(parents.describe())
        .append(" own ").append(window.describeNewest()).append(" fallback ").append(fallback.on())
        .append(" recent ").append(fallback.describeRecent());
    b.append(" partners");
    for (Partner p : partners.values()) {
      b.append(' ').append(p.id).append(p.id == originPeer ? "(o)" : "").append(":[");
      for (int s = 0; s < k; s++) {
        b.append(s == 0 ? "" : ",").append(p.latest(s, window.epoch()));
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

  private void resetEpoch(int e) {
    window.reset(e);
    clock.reset();
    requests.reset();
    parents.resetEpoch();
    for (Partner p : partners.values()) {
      p.inflight = 0;
      Arrays.fill(p.live, -1);
    }
  }

  /** Anchors the playout clock; a peer's first anchor also has its parents checked at once. */
  private void anchor(long now, long seq, long originTime) {
    if (clock.anchor(now, seq, originTime)) {
      parents.checkSoon(now);
    }
  }

  private void forget(Partner p, long now) {
    requests.forget(p.id);
    parents.gone(p.id, now, clock.anchored() && !cfg.origin());
  }

  private void push(Partner c, long seq, int size, long now) {
    budget.push(now, size);
    c.bytesUp += size;
    c.lastActiveAt = now;
    emit(new Action.Push(c.id, window.epoch(), seq, size));
  }

  /** A chunk fell due after the warm-up: counted in time or missed. */
  private void countDue(long seq) {
    fallback.due(window.arrivedBy(seq, clock.deadline(seq)), window.fromSwarm(seq));
  }

  private void expireRequests(long now) {
    requests.expire(now, (peer, seq) -> {
      Partner q = partners.get(peer);
      if (q != null) {
        q.inflight--;
        q.rate *= 0.5;
        q.markRefused(seq, now);
      }
    });
  }

  private void checkFallback(long now) {
    long playSeq = clock.playSeq();
    boolean stalled = repairFrom >= 0 && repairFrom < playSeq
        && now - clock.deadline(repairFrom) >= STALL_MS;
    switch (fallback.check(now, stalled)) {
      case START -> emit(new Action.FallbackStart(window.epoch(), playSeq));
      case STOP -> emit(new Action.FallbackStop());
      default -> { }
    }
  }

  private int mapPeriod() {
    double perSec = cfg.mapBudget() * cfg.streamKbps() * 125.0;
    int period = (int) (Math.max(1, partners.size()) * WireSizes.BUFFER_MAP * 1000.0 / perSec);
    return Math.max(1000, Math.min(period, Math.min(6000, cfg.lagMs() * 3 / 4)));
  }

  private void sendMaps(long now) {
    Holdings map = null;
    int period = mapPeriod();
    for (Partner p : partners.values()) {
      if (now >= p.nextMapAt) {
        map = map == null ? ownMap() : map;
        p.nextMapAt = now + period;
        emit(new Action.SendBufferMap(p.id, map));
      }
    }
  }
}
