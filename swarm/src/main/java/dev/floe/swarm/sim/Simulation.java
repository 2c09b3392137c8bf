package dev.floe.swarm.sim;

import dev.floe.swarm.gossip.PeerGossip;
import dev.floe.swarm.schedule.Action;
import dev.floe.swarm.schedule.Candidate;
import dev.floe.swarm.schedule.Hello;
import dev.floe.swarm.schedule.Scheduler;
import dev.floe.swarm.schedule.SchedulerConfig;
import dev.floe.swarm.schedule.SwarmStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A discrete-event simulation of one channel: the origin (node 0, tracker and seed with a fixed
 * budget) and {@code nodes} peers, each running a {@link Scheduler}. One thread, one priority queue
 * of timed events (milliseconds), ties in insertion order: the same config gives the same report.
 * It is over 400 lines because it models a whole network (uplinks, latency, population, churn,
 * the tracker, message costs) in one event loop; the nodes' logic is not here: each runs the
 * shipped {@link Scheduler} and {@link PeerGossip}.
 *
 * <p>Model:
 * <ul>
 *   <li><b>Network.</b> Each node sends through one uplink at its upload cap (the origin's link
 *       is 10 Mbit/s; its scheduler keeps its budget): pushes and control frames in FIFO order,
 *       served requests in FIFO order behind them (pushes delay queued serves, as a transport that
 *       writes pushes first would). A message arrives when its last byte
 *       has left plus the one-way latency {@code a + b}, where each node's access delay is drawn
 *       from 5 to 50 ms (so 10 to 100 ms between peers). Downlinks are not limiting. A new
 *       connection takes 1.5 round trips. No packet loss (TCP hides it as delay).
 *   <li><b>Population.</b> Upload caps: 15% of peers 0.5 to 1 r, 75% 1 to 4 r, 10% 8 to 16 r
 *       (uniform within each band; mean about 2.9 r). A share {@code nat} of peers cannot be
 *       dialed.
 *   <li><b>Tracker.</b> Answers an ANNOUNCE after one round trip with up to 8 connectable peers
 *       that have a free partner slot; the first qualifying peers (connectable, cap of 3 r or more)
 *       also get the origin while it has fewer than {@code K x copies} partners (first tier).
 *   <li><b>Gossip</b> (PEX): each peer runs the node runtime's own state machine, {@link
 *       PeerGossip}, with its constants; this class only carries its messages. The tracker signs
 *       a record per connectable peer valid 10 minutes from its join (re-signed by an ANNOUNCE
 *       when under 2 minutes are left; a peer renews when under 90 s are left) and gives a
 *       connectable peer its own. Each peer keeps a view of at most 64 unexpired records; every
 *       48 to 72 s it pushes one record to one partner in turn. Short of candidates, a peer takes
 *       the 8 records it learnt last, else asks one partner, and asks the tracker only on
 *       joining, when the partner's answer taught it nothing new, when it has no partner, or
 *       after 4 FULL refusals (see {@link PeerGossip#ask}). A dropped partner gets up to 4
 *       alternatives from the dropping peer's view (dialed at once only if it has under half its
 *       partner target), and holds the dropping peer off its view for 2 minutes. A dial to a peer
 *       that is gone forgets its record; a graceful leaver's record is forgotten by its partners.
 *       Off with {@link SimConfig#gossip()} false (the tracker is then the only source of peers).
 *   <li><b>Fallback.</b> A peer on the direct pull gets every chunk from the origin's mount one
 *       latency after it is cut, outside the swarm budget (counted apart).
 *   <li><b>Chunks</b> are 0.5 s (1 s under 128 kbit/s) of r, all the same size; the origin cuts
 *       one per chunk duration; every chunk verifies.
 * </ul>
 */
public final class Simulation {
  private static final int TICK_MS = 250;
  private static final int DEAD_MS = 30_000;
  private static final double VANISH = 0.1;
  private static final int ORIGIN_LINK_KBPS = 10_000;
  private static final int SAMPLE = PeerGossip.SAMPLE;
  /** An empty PEERS (a request for records): frame prefix and type, advised lag, count. */
  private static final int GOSSIP_ASK = WireCosts.PEERS_FRAME;

  private final SimConfig cfg;
  private final SplittableRandom rnd;
  private final PriorityQueue<Ev> queue = new PriorityQueue<>();
  private final List<Node> nodes = new ArrayList<>();
  private final List<Node> alive = new ArrayList<>();
  private final SchedulerConfig peerCfg;
  private final int chunkMs;
  private final int chunkBytes;
  private final long measureFrom;
  private final long end;
  private long now;
  private long order;
  private long events;
  private long produced = -1;
  private int churned;
  private Node origin;

  private long payload;
  private long control;
  private long signatures;
  private long originUp;
  private long originPayload;
  private long trackerUp;
  private long trackerAnswers;
  private long gossipBytes;
  private final List<double[]> finals = new ArrayList<>();
  private final List<Long> startups = new ArrayList<>();

  /** A simulation of {@code cfg}; {@link #run} runs it once. */
  public Simulation(SimConfig cfg) {
    this.cfg = cfg;
    this.rnd = new SplittableRandom(cfg.seed());
    int lag = cfg.lagMs() > 0 ? cfg.lagMs() : SchedulerConfig.advisedLagMs(cfg.nodes());
    this.peerCfg = SchedulerConfig.of(cfg.streamKbps(), cfg.streamKbps()).withLagMs(lag);
    this.chunkMs = peerCfg.chunkMs();
    this.chunkBytes = peerCfg.chunkBytes();
    this.measureFrom = cfg.rampMs() + Scheduler.WARMUP_MS + 10_000L;
    this.end = measureFrom + (long) (cfg.minutes() * 60_000);
  }

  /** Runs the whole simulation and reports the measured window. */
  public SimReport run() {
    int r = cfg.streamKbps();
    SchedulerConfig originCfg = new SchedulerConfig(r, chunkMs, peerCfg.substreams(),
        peerCfg.lagMs(), (int) (2.5 * r), 1, peerCfg.substreams() * 2, true, 2, peerCfg.mapBudget());
    origin = spawn(originCfg, true, ORIGIN_LINK_KBPS);
    origin.access = 5;
    at(chunkMs, this::produce);
    for (int i = 0; i < cfg.nodes(); i++) {
      at(1 + (cfg.rampMs() == 0 ? 0 : rnd.nextInt(cfg.rampMs())), this::join);
    }
    if (cfg.churn() > 0) {
      at(cfg.rampMs() + nextChurnGap(), this::churn);
    }
    at(measureFrom, this::startMeasuring);
    while (!queue.isEmpty()) {
      Ev e = queue.poll();
      if (e.at > end) {
        break;
      }
      now = e.at;
      events++;
      e.run.run();
    }
    now = end;
    for (Node n : new ArrayList<>(alive)) {
      record(n);
    }
    return report();
  }

  // ---- population

  private final class Node {
    final int id;
    final Scheduler s;
    final boolean connectable;
    final int capKbps;
    final Set<Integer> links = new LinkedHashSet<>();
    int access;
    double upFreeAt;
    double lowFreeAt;
    boolean alive = true;
    boolean fallback;
    int aliveIndex;
    long joinedAt;
    SwarmStats base;
    /** The expiry of the record the tracker signed for this node. */
    long recordUntil;
    /** The shipped gossip state machine, over records of this simulation. */
    final PeerGossip<Integer, Rec> gossip;

    Node(int id, Scheduler s, boolean connectable, int capKbps, long seed) {
      this.id = id;
      this.s = s;
      this.connectable = connectable;
      this.capKbps = capKbps;
      this.gossip = new PeerGossip<>(id, RECS, seed);
    }
  }

  /** A peer record of the simulation: a node and the expiry the tracker signed (never forged). */
  private record Rec(int node, long until) {}

  /** The tracker lists connectable peers only, and a node's own record only if connectable. */
  private static final PeerGossip.Records<Integer, Rec> RECS =
      PeerGossip.Records.of(Rec::node, Rec::until, r -> true);

  private Node spawn(SchedulerConfig c, boolean connectable, int capKbps) {
    int id = nodes.size();
    Node n = new Node(id, new Scheduler(c, id, 0, rnd.nextLong(), now), connectable, capKbps,
        rnd.nextLong());
    n.access = 5 + rnd.nextInt(46);
    n.joinedAt = now;
    n.recordUntil = now + PeerGossip.RECORD_MS;
    n.aliveIndex = alive.size();
    nodes.add(n);
    alive.add(n);
    long phase = rnd.nextInt(TICK_MS);
    at(now + 1 + phase, () -> tick(n));
    dispatch(n, n.s.start(now));
    return n;
  }

  private void join() {
    double u = rnd.nextDouble();
    int r = cfg.streamKbps();
    double mult = u < 0.15 ? 0.5 + rnd.nextDouble() * 0.5
        : u < 0.90 ? 1 + rnd.nextDouble() * 3 : 8 + rnd.nextDouble() * 8;
    int cap = (int) (mult * r);
    boolean connectable = rnd.nextDouble() >= cfg.nat();
    Node n = spawn(peerCfg.withUploadKbps(cap), connectable, cap);
    if (now >= measureFrom) {
      n.base = n.s.stats();
    }
  }

  private void churn() {
    if (alive.size() > 1) {
      Node victim = alive.get(1 + rnd.nextInt(alive.size() - 1));
      kill(victim, rnd.nextDouble() >= VANISH);
      churned++;
      join();
    }
    at(now + nextChurnGap(), this::churn);
  }

  private long nextChurnGap() {
    double perMs = cfg.churn() * cfg.nodes() / 60_000.0;
    return 1 + (long) (-Math.log(1 - rnd.nextDouble()) / perMs);
  }

  private void kill(Node n, boolean told) {
    record(n);
    n.alive = false;
    Node last = alive.remove(alive.size() - 1);
    if (last != n) {
      alive.set(n.aliveIndex, last);
      last.aliveIndex = n.aliveIndex;
    }
    for (int id : n.links) {
      Node b = nodes.get(id);
      b.links.remove(n.id);
      long delay = told ? latency(n, b) : DEAD_MS;
      at(now + delay, () -> {
        if (b.alive) {
          if (told) {
            b.gossip.forget(n.id);
          }
          dispatch(b, b.s.onPartnerRemoved(now, n.id));
        }
      });
    }
    n.links.clear();
  }

  private void record(Node n) {
    if (n == origin || !n.alive) {
      return;
    }
    SwarmStats f = n.s.stats();
    if (n.joinedAt >= cfg.rampMs() && f.startupMs() >= 0 && now >= measureFrom) {
      startups.add(f.startupMs());
    }
    if (now < measureFrom) {
      return;
    }
    SwarmStats b = n.base;
    double due = f.due() - (b == null ? 0 : b.due());
    double in = f.inTime() - (b == null ? 0 : b.inTime());
    double down = f.payloadDown() - (b == null ? 0 : b.payloadDown());
    double dup = f.duplicateBytes() - (b == null ? 0 : b.duplicateBytes());
    double fb = f.fallbackBytes() - (b == null ? 0 : b.fallbackBytes());
    finals.add(new double[] {due, in, down, dup, fb});
  }

  private void startMeasuring() {
    for (Node n : alive) {
      n.base = n.s.stats();
    }
  }

  // ---- time

  private static final class Ev implements Comparable<Ev> {
    final long at;
    final long order;
    final Runnable run;

    Ev(long at, long order, Runnable run) {
      this.at = at;
      this.order = order;
      this.run = run;
    }

    @Override
    public int compareTo(Ev o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
    }
  }

  private void at(long time, Runnable run) {
    queue.add(new Ev(Math.max(time, now), order++, run));
  }

  private void tick(Node n) {
    if (!n.alive) {
      return;
    }
    dispatch(n, n.s.tick(now));
    if (cfg.gossip() && n != origin) {
      gossip(n);
    }
    at(now + TICK_MS, () -> tick(n));
  }

  private void produce() {
    long seq = ++produced;
    long originTime = seq * chunkMs;
    dispatch(origin, origin.s.onChunk(now, origin.id, 0, seq, chunkBytes, originTime, true));
    for (Node n : alive) {
      if (n.fallback) {
        direct(n, seq);
      }
    }
    at(now + chunkMs, this::produce);
  }

  private void direct(Node n, long seq) {
    at(now + latency(origin, n), () -> {
      if (n.alive && n.fallback) {
        dispatch(n, n.s.onChunk(now, Scheduler.FALLBACK, 0, seq, chunkBytes, seq * chunkMs, true));
      }
    });
  }

  private int latency(Node a, Node b) {
    return a.access + b.access;
  }

  // ---- messages

  private boolean counting() {
    return now >= measureFrom;
  }

  /** Sends {@code bytes} from a to b through a's uplink; {@code on} runs at b on arrival. */
  private void send(Node a, int to, int bytes, Function<Node, List<Action>> on) {
    send(a, to, bytes, true, on);
  }

  /**
   * Sends through a's uplink with priority {@code high} (pushes and control) or low (served
   * requests, which get what pushes leave, as a transport writing pushes first would).
   */
  private void send(Node a, int to, int bytes, boolean high, Function<Node, List<Action>> on) {
    if (!a.alive || to < 0 || to >= nodes.size()) {
      return;
    }
    Node b = nodes.get(to);
    double ms = bytes * 8.0 / a.capKbps;
    double done;
    if (high) {
      done = Math.max(now, a.upFreeAt) + ms;
      a.upFreeAt = done;
      if (a.lowFreeAt > now) {
        a.lowFreeAt += ms;
      }
    } else {
      done = Math.max(now, Math.max(a.upFreeAt, a.lowFreeAt)) + ms;
      a.lowFreeAt = done;
    }
    if (a == origin && counting()) {
      originUp += bytes;
    }
    at((long) Math.ceil(done) + latency(a, b), () -> {
      if (b.alive) {
        dispatch(b, on.apply(b));
      }
    });
  }

  private void countControl(int bytes) {
    if (counting()) {
      control += bytes;
    }
  }

  private void dispatch(Node a, List<Action> actions) {
    for (Action x : actions) {
      countControl(WireCosts.TABLE.control(x));
      if (x instanceof Action.SendBufferMap m) {
        send(a, m.to(), WireCosts.BUFFER_MAP, b -> b.s.onBufferMap(now, a.id, m.map()));
      } else if (x instanceof Action.Push p) {
        chunk(a, p.to(), p.epoch(), p.seq(), p.size(), true);
      } else if (x instanceof Action.Serve p) {
        chunk(a, p.to(), p.epoch(), p.seq(), p.size(), false);
      } else if (x instanceof Action.Request q) {
        send(a, q.to(), WireCosts.REQUEST,
            b -> b.s.onRequest(now, a.id, q.epoch(), q.seq(), q.msToDeadline()));
      } else if (x instanceof Action.OriginRequest q) {
        send(a, origin.id, WireCosts.REQUEST,
            b -> b.s.onRequest(now, a.id, q.epoch(), q.seq(), q.msToDeadline()));
      } else if (x instanceof Action.Refuse q) {
        send(a, q.to(), WireCosts.REFUSE, b -> b.s.onRefused(now, a.id, q.epoch(), q.seq()));
      } else if (x instanceof Action.Subscribe q) {
        send(a, q.to(), WireCosts.SUBSCRIBE,
            b -> b.s.onSubscribe(now, a.id, q.substream(), q.epoch(), q.fromSeq()));
      } else if (x instanceof Action.Unsubscribe q) {
        send(a, q.to(), WireCosts.UNSUBSCRIBE, b -> b.s.onUnsubscribe(now, a.id, q.substream()));
      } else if (x instanceof Action.RefuseSubscribe q) {
        send(a, q.to(), WireCosts.UNSUBSCRIBE,
            b -> b.s.onSubscribeRefused(now, a.id, q.substream()));
      } else if (x instanceof Action.Connect c) {
        connect(a, c.peer());
      } else if (x instanceof Action.Drop d) {
        drop(a, d.peer());
      } else if (x instanceof Action.AskTracker) {
        askForPeers(a);
      } else if (x instanceof Action.FallbackStart f) {
        a.fallback = true;
        for (long seq = Math.max(0, f.fromSeq()); seq <= produced; seq++) {
          direct(a, seq);
        }
      } else if (x instanceof Action.FallbackStop) {
        a.fallback = false;
      }
    }
  }

  private void chunk(Node a, int to, int epoch, long seq, int size, boolean push) {
    if (counting()) {
      payload += size;
      signatures += WireCosts.SIGNATURE;
      if (a == origin) {
        originPayload += size;
      }
    }
    long originTime = seq * chunkMs;
    send(a, to, size + WireCosts.CHUNK_HEADER + WireCosts.SIGNATURE, push,
        b -> b.s.onChunk(now, a.id, epoch, seq, size, originTime, true));
  }

  private List<Action> answerTracker(Node a) {
    List<Candidate> sample = new ArrayList<>();
    boolean firstTier = a.connectable && a.capKbps >= 3 * cfg.streamKbps();
    if (firstTier && origin.links.size() < 2 * peerCfg.substreams() && !a.links.contains(0)) {
      sample.add(new Candidate(0, true));
    }
    for (int tries = 0; tries < 40 && sample.size() < SAMPLE && alive.size() > 1; tries++) {
      Node b = alive.get(1 + rnd.nextInt(alive.size() - 1));
      if (b != a && b.connectable && b.links.size() < peerCfg.partnerMax()
          && !a.links.contains(b.id) && !sample.contains(new Candidate(b.id, true))) {
        sample.add(new Candidate(b.id, true));
      }
    }
    boolean own = cfg.gossip() && a.connectable;
    if (own && a.recordUntil - now < PeerGossip.RESIGN_MS) {
      a.recordUntil = now + PeerGossip.RECORD_MS;
    }
    int bytes = WireCosts.PEERS_FRAME + WireCosts.PEER_RECORD * (sample.size() + (own ? 1 : 0));
    countControl(bytes);
    if (counting()) {
      trackerUp += bytes;
      trackerAnswers++;
    }
    at(now + latency(origin, a), () -> {
      if (a.alive) {
        if (own) {
          a.gossip.own(new Rec(a.id, a.recordUntil));
        }
        if (cfg.gossip()) {
          for (Candidate c : sample) {
            if (c.peer() != 0) {
              a.gossip.add(new Rec(c.peer(), nodes.get(c.peer()).recordUntil), now);
            }
          }
        }
        dispatch(a, a.s.onCandidates(now, sample, 0, produced, produced * chunkMs));
      }
    });
    return List.of();
  }

  private void connect(Node a, int peer) {
    Node b = peer >= 0 && peer < nodes.size() ? nodes.get(peer) : null;
    if (b == null || !b.alive || !b.connectable || a.links.contains(peer) || b == a) {
      a.gossip.forget(peer);
      return;
    }
    int rtt = 2 * latency(a, b);
    countControl(2 * WireCosts.HELLO);
    at(now + rtt * 3L / 2, () -> {
      if (!a.alive || !b.alive || a.links.contains(b.id)) {
        return;
      }
      a.links.add(b.id);
      b.links.add(a.id);
      dispatch(b, b.s.onPartnerAdded(now, hello(a, false, rtt)));
      if (a.links.contains(b.id)) {
        dispatch(a, a.s.onPartnerAdded(now, hello(b, true, rtt)));
      }
    });
  }

  private Hello hello(Node of, boolean dialed, int rtt) {
    long edge = of.s.ownMap().highest();
    return new Hello(of.id, dialed, of.connectable, rtt, of.capKbps, 0, edge, edge * chunkMs);
  }

  private void drop(Node a, int peer) {
    if (peer < 0 || peer >= nodes.size() || !a.links.remove(peer)) {
      return;
    }
    Node b = nodes.get(peer);
    b.links.remove(a.id);
    List<Rec> alternatives = cfg.gossip() && a != origin
        ? a.gossip.sample(PeerGossip.ALTERNATIVES, now, b.id, false) : List.of();
    countControl(WireCosts.GOODBYE);
    gossipCount(WireCosts.PEER_RECORD * alternatives.size());
    at(now + latency(a, b), () -> {
      if (b.alive) {
        if (cfg.gossip()) {
          b.gossip.refusedBy(a.id, now);
        }
        dispatch(b, b.s.onPartnerRemoved(now, a.id));
        List<Rec> offered = b.gossip.learn(alternatives, now, true);
        // As the runtime's onLeave: dialed at once only by a node badly short of partners.
        if (!offered.isEmpty() && b.links.size() < (peerCfg.partnerTarget() + 1) / 2) {
          dispatch(b, b.s.onCandidates(now, candidates(offered), 0, -1, 0));
        }
      }
    });
  }

  // ---- gossip: the transport of PeerGossip's decisions (NodeRuntime's Gossip on sockets)

  private void gossip(Node n) {
    PeerGossip.Push<Integer, Rec> p = n.gossip.push(now, gossipPartners(n), id -> id, roomy(n));
    if (p != null) {
      int bytes = WireCosts.PEERS_FRAME + WireCosts.PEER_RECORD * p.records().size();
      gossipCount(bytes);
      send(n, p.to(), bytes, b -> b.s.onCandidates(now,
          candidates(b.gossip.learn(p.records(), now, b.links.size() < peerCfg.partnerTarget())),
          0, -1, 0));
    }
    if (n.gossip.renewDue(now)) {
      countControl(WireCosts.ANNOUNCE);
      send(n, origin.id, WireCosts.ANNOUNCE, o -> answerTracker(n));
    }
  }

  private List<Integer> gossipPartners(Node n) {
    List<Integer> out = new ArrayList<>();
    for (int id : n.links) {
      if (id != 0) {
        out.add(id);
      }
    }
    return out;
  }

  /** Whether {@code n} has a free partner slot (its own record is worth passing on). */
  private boolean roomy(Node n) {
    return n.links.size() < peerCfg.partnerMax();
  }

  private static List<Candidate> candidates(List<Rec> records) {
    List<Candidate> out = new ArrayList<>(records.size());
    for (Rec r : records) {
      out.add(new Candidate(r.node(), true));
    }
    return out;
  }

  /** Short of candidates: {@link PeerGossip#ask} decides (the tracker only without gossip). */
  private void askForPeers(Node a) {
    if (!cfg.gossip()) {
      send(a, origin.id, WireCosts.ANNOUNCE, o -> answerTracker(a));
      return;
    }
    List<Integer> partners = gossipPartners(a);
    PeerGossip.Ask<Rec> ask = a.gossip.ask(now, partners.size(), r -> a.links.contains(r.node()));
    if (!ask.known().isEmpty()) {
      dispatch(a, a.s.onCandidates(now, candidates(ask.known()), 0, -1, 0));
    }
    if (ask.partner() >= 0) {
      gossipCount(GOSSIP_ASK);
      send(a, partners.get(ask.partner()), GOSSIP_ASK, b -> answerGossip(b, a.id));
    } else if (ask.tracker()) {
      send(a, origin.id, WireCosts.ANNOUNCE, o -> answerTracker(a));
    }
  }

  private List<Action> answerGossip(Node b, int asker) {
    if (!b.links.contains(asker)) {
      return List.of();
    }
    List<Rec> some = b.gossip.answer(asker, asker, now, roomy(b));
    if (!some.isEmpty()) {
      int bytes = WireCosts.PEERS_FRAME + WireCosts.PEER_RECORD * some.size();
      gossipCount(bytes);
      send(b, asker, bytes, a -> a.s.onCandidates(now, candidates(a.gossip.learn(some, now, true)),
          0, -1, 0));
    }
    return List.of();
  }

  private void gossipCount(int bytes) {
    countControl(bytes);
    if (counting()) {
      gossipBytes += bytes;
    }
  }

  // ---- report

  private SimReport report() {
    double r = cfg.streamKbps();
    long window = end - measureFrom;
    List<Double> ratios = new ArrayList<>();
    double due = 0;
    double in = 0;
    double down = 0;
    double dup = 0;
    double fb = 0;
    for (double[] f : finals) {
      if (f[0] >= 20) {
        ratios.add(f[1] / f[0]);
      }
      due += f[0];
      in += f[1];
      down += f[2];
      dup += f[3];
      fb += f[4];
    }
    double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    long[] st = startups.stream().mapToLong(Long::longValue).sorted().toArray();
    double rateBytes = r * window / 8.0;
    return new SimReport(cfg.nodes(), window, churned, sorted.length,
        Arrays.stream(sorted).average().orElse(0), pct(sorted, 0.05), due == 0 ? 0 : in / due,
        originUp / rateBytes, trackerUp / rateBytes,
        trackerAnswers * 1000.0 / window, payload == 0 ? 0 : (double) gossipBytes / payload, payload == 0 ? 0 : (double) originPayload / payload,
        payload == 0 ? 0 : (double) control / payload,
        payload == 0 ? 0 : (double) signatures / payload, down == 0 ? 0 : dup / down,
        due == 0 ? 0 : fb / (due * chunkBytes), st.length == 0 ? -1 : st[st.length / 2],
        st.length == 0 ? -1 : st[Math.min(st.length - 1, (int) (st.length * 0.95))], events);
  }

  private static double pct(double[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.floor(p * (sorted.length - 1))];
  }
}
