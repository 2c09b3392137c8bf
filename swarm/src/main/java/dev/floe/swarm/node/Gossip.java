package dev.floe.swarm.node;

import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.chunk.PeerRecord;
import dev.floe.swarm.gossip.PeerGossip;
import dev.floe.swarm.schedule.Candidate;
import dev.floe.swarm.schedule.SchedulerConfig;
import dev.floe.swarm.schedule.SwarmStats;
import dev.floe.swarm.wire.Frame;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Finding peers, on sockets: the tracker's side on the origin (ANNOUNCE answered with signed
 * records, connect-backs started, the first tier promoted) and, on a peer, the transport of the
 * {@link PeerGossip} state machine the simulation runs too (records verified here, then learnt;
 * its decisions become ANNOUNCE and PEERS frames and scheduler candidates), the GOODBYE/REJECT
 * alternatives, and the advised lag. Gossip time is the wall clock: records carry a signed
 * expiry. Not thread-safe: the node's loop owns it.
 */
final class Gossip {
  private final NodeRuntime n;
  /** The shared state machine (null on the origin). */
  private final PeerGossip<NodeId, PeerRecord> view;
  private boolean lagAdvised;
  private boolean announcePending;

  Gossip(NodeRuntime n, long seed) {
    this.n = n;
    this.view = n.origin ? null : new PeerGossip<>(n.self, PeerGossip.SIGNED, seed);
  }

  // ---- the origin's tracker

  void onAnnounce(Connection c, Frame.Announce a, long now) {
    InetSocketAddress remote = c.remote();
    NodeId node = c.hello.node();
    if (remote != null
        && n.tracker.needsCheck(node, remote.getAddress(), a.listenPort(), now, c)) {
      n.links.connectBack(c, remote.getAddress(), a.listenPort(), node);
    }
    List<PeerRecord> answer = new ArrayList<>(n.tracker.sample(node, PeerGossip.SAMPLE, now));
    PeerRecord own = n.tracker.record(node, now);
    if (own != null) {
      answer.add(own);
    }
    n.counters.trackerAnswers++;
    c.send(new Frame.Peers(n.tracker.advisedLagMs(n.cfg.chunkMs()), answer));
    int firstTier = Math.min(n.cfg.partnerMax(), n.cfg.substreams() * n.cfg.originPushCopies());
    if (!c.promoted && a.listenPort() > 0 && a.uploadKbps() >= 3 * n.cfg.streamKbps()
        && n.links.partners.size() < firstTier) {
      n.handshake.promote(c, now);
    }
  }

  /** A connect-back listed {@code node}: its own signed record goes back over its link. */
  void sendOwnRecord(Connection link, NodeId node, long now) {
    PeerRecord own = n.tracker.record(node, now);
    if (own != null && link != null && !link.closed) {
      link.send(new Frame.Peers(n.tracker.advisedLagMs(n.cfg.chunkMs()), List.of(own)));
    }
  }

  // ---- a peer

  /** The origin link completed its HELLO. */
  void linkUp() {
    // A link dialled again announces again: the tracker unlisted this node when the old link
    // closed, and an origin that restarted knows no peer at all (without it, it had no first
    // tier and pushed its new stream to nobody until peers happened to ask the tracker).
    if (announcePending || n.counters.announces > 0) {
      sendAnnounce();
    }
  }

  private void sendAnnounce() {
    Connection link = n.links.link;
    if (link == null || link.hello == null) {
      announcePending = true;
      return;
    }
    announcePending = false;
    n.counters.announces++;
    SwarmStats st = n.scheduler.stats();
    link.send(new Frame.Announce(n.settings.advertisedPort(),
        Math.min(10_000_000, n.cfg.uploadKbps()), Math.min(1000, n.links.partners.size()),
        (int) Math.round(st.continuity() * 1_000_000)));
  }

  void onPeers(Connection c, Frame.Peers p, long now) {
    boolean fromTracker = c == n.links.link;
    if (!fromTracker && p.peers().isEmpty()) {
      answer(c, now);
      return;
    }
    List<Candidate> offered = learn(c, p.peers(), now, fromTracker);
    if (offered == null) {
      return;
    }
    StreamState s = n.stream;
    if (!fromTracker) {
      n.dispatch(n.scheduler.onCandidates(now, offered, s.localOrZero(), -1, 0));
      return;
    }
    if (!lagAdvised) {
      lagAdvised = true;
      adoptLag(p.advisedLagMillis());
    }
    boolean known = s.edgeCurrent();
    n.dispatch(n.scheduler.onCandidates(now, offered, known ? s.localEpoch : s.localOrZero(),
        known ? s.edge.seq() : -1, known ? s.edge.originTimeMillis() : 0));
  }

  /**
   * Verifies records (a forged one bans the sender: null is returned), then learns them; they
   * become candidates if {@code all}, or while the node is short of partners.
   */
  private List<Candidate> learn(Connection c, List<PeerRecord> records, long now, boolean all) {
    for (PeerRecord r : records) {
      if (!r.verify(n.channel)) {
        n.offences.offence(c, "FORGED", true, "peer record " + r);
        return null;
      }
    }
    return candidates(view.learn(records, now,
        all || n.links.partners.size() < n.cfg.partnerTarget()));
  }

  private List<Candidate> candidates(List<PeerRecord> records) {
    List<Candidate> out = new ArrayList<>(records.size());
    for (PeerRecord r : records) {
      out.add(new Candidate(idOf(r), true));
    }
    return out;
  }

  private int idOf(PeerRecord r) {
    return n.directory.idFor(new InetSocketAddress(r.address(), r.port()));
  }

  /** The scheduler is short of candidates: {@link PeerGossip#ask} decides where to look. */
  void askForPeers(long now) {
    List<Connection> partners = n.links.gossipPartners();
    PeerGossip.Ask<PeerRecord> ask = view.ask(now, partners.size(),
        r -> n.links.partners.containsKey(idOf(r)));
    if (!ask.known().isEmpty()) {
      n.dispatch(n.scheduler.onCandidates(now, candidates(ask.known()), n.stream.localOrZero(),
          -1, 0));
    }
    if (ask.partner() >= 0) {
      partners.get(ask.partner()).send(new Frame.Peers(0, List.of()));
    } else if (ask.tracker()) {
      sendAnnounce();
    }
  }

  /** A partner's request (an empty PEERS): records from the view, at most once per 10 s. */
  private void answer(Connection c, long now) {
    if (n.origin || !c.promoted) {
      return;
    }
    List<PeerRecord> some = view.answer(c.id, c.hello.node(), now, n.links.roomy());
    if (!some.isEmpty()) {
      c.send(new Frame.Peers(0, some));
    }
  }

  /** Per tick: the slow push to one partner in turn, and the renewal of the own record. */
  void tick(long now) {
    PeerGossip.Push<Connection, PeerRecord> push =
        view.push(now, n.links.gossipPartners(), c -> c.hello.node(), n.links.roomy());
    if (push != null && push.to().writable()) {
      push.to().send(new Frame.Peers(0, push.records()));
    }
    if (view.renewDue(now)) {
      sendAnnounce();
    }
  }

  /** Records to hand a partner dropped or refused as FULL (at most {@link PeerGossip#ALTERNATIVES}). */
  List<PeerRecord> alternatives(Connection c) {
    if (c.hello == null) {
      return List.of();
    }
    long now = n.clock.wallMillis();
    return n.origin ? n.tracker.sample(c.hello.node(), PeerGossip.ALTERNATIVES, now)
        : view.sample(PeerGossip.ALTERNATIVES, now, c.hello.node(), false);
  }

  /**
   * GOODBYE or REJECT: a peer leaving is forgotten, a full one held off for a while; its
   * alternatives go to the view, and are candidates at once if this node is badly short.
   */
  void onLeave(Connection c, Frame.Reason reason, List<PeerRecord> alternatives, long now) {
    if (n.origin) {
      n.links.close(c, null);
      return;
    }
    List<Candidate> offered = learn(c, alternatives, now, true);
    if (offered == null) {
      return;
    }
    if (c.hello != null && reason == Frame.Reason.FULL) {
      view.refusedBy(c.hello.node(), now);
    } else if (c.hello != null && reason == Frame.Reason.SHUTDOWN) {
      view.forget(c.hello.node());
    }
    n.links.close(c, null);
    // Alternatives are dialed at once only by a node badly short of partners: most may be full
    // too, and each refusal hands out more (in the simulation, dialing them all cascaded into
    // thousands of refusals a minute when connectable slots ran short). Otherwise they wait in
    // the view for the scheduler's next ask.
    if (!offered.isEmpty() && !n.closed
        && n.links.partners.size() < (n.cfg.partnerTarget() + 1) / 2) {
      n.dispatch(n.scheduler.onCandidates(now, offered, n.stream.localOrZero(), -1, 0));
    }
  }

  /** A connection closed: a dial that never got a HELLO forgets the records of its address. */
  void closed(Connection c) {
    if (view != null && c.role == Connection.Role.DIALED && c.hello == null) {
      InetSocketAddress a = n.directory.address(c.dialId);
      if (a != null) {
        view.forgetIf(r -> r.port() == a.getPort() && a.getAddress() != null
            && r.address().equals(a.getAddress()));
      }
    }
  }

  /** The tracker's first answer: a peer whose lag is automatic adopts the advised one. */
  private void adoptLag(int advised) {
    if (!n.settings.autoLag() || advised <= 0) {
      return;
    }
    int lag = SchedulerConfig.clampLagMs(advised, n.cfg.chunkMs());
    if (n.scheduler.adoptLag(lag)) {
      NodeRuntime.LOG.log(System.Logger.Level.INFO, "swarm node " + n.self + ": plays " + lag
          + " ms behind the origin (the tracker's advice)");
    } else {
      NodeRuntime.LOG.log(System.Logger.Level.INFO, "swarm node " + n.self + ": the tracker"
          + " advises " + lag + " ms but playout already started; keeps "
          + n.scheduler.lagMs() + " ms");
    }
  }

  /** Unexpired records in the view (-1 on the origin). */
  int viewSize() {
    return view == null ? -1 : view.size(n.clock.wallMillis());
  }
}
