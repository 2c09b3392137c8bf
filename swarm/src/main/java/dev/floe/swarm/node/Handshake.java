package dev.floe.swarm.node;

import dev.floe.swarm.chunk.ChunkHeader;
import dev.floe.swarm.chunk.SignedStreamHeader;
import dev.floe.swarm.guard.ChunkGate;
import dev.floe.swarm.guard.RequestBucket;
import dev.floe.swarm.schedule.Hello;
import dev.floe.swarm.schedule.Scheduler;
import dev.floe.swarm.wire.Frame;
import dev.floe.swarm.wire.PeerWire;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The start of every connection: magic and HELLO both ways, the checks on the other's HELLO
 * (ban, version, channel, self), tuning in on the edge it carries, an id by role, and promotion
 * to partner (the scheduler's {@link Hello}, then headers and metadata before any chunk). Not
 * thread-safe: the node's loop owns it.
 */
final class Handshake {
  private final NodeRuntime n;
  private int nextAcceptedId = 1;

  Handshake(NodeRuntime n) {
    this.n = n;
  }

  /** A dialed connection is up: magic and HELLO go first. */
  void greet(Connection c) {
    c.sendRaw(PeerWire.magicBytes(), 0);
    c.send(ownHello());
    c.helloSent = true;
  }

  Frame.Hello ownHello() {
    return new Frame.Hello(PeerWire.VERSION, 0, n.channel, n.self, n.settings.advertisedPort(),
        n.stream.edge);
  }

  void onHello(Connection c, Frame.Hello h, long now) {
    if (c.hello != null) {
      n.offences.offence(c, "PROTOCOL", false, "second HELLO");
      return;
    }
    InetSocketAddress remote = c.remote();
    c.banKey = Offences.banKey(remote, h.node());
    if (n.offences.banned(c.banKey)) {
      NodeRuntime.LOG.log(System.Logger.Level.INFO,
          "swarm peer " + c.address() + " is banned; rejected");
      n.links.reject(c, Frame.Reason.BANNED);
      return;
    }
    if (h.version() != PeerWire.VERSION) {
      n.links.reject(c, Frame.Reason.VERSION);
      return;
    }
    if (!h.channel().equals(n.channel)) {
      n.links.reject(c, Frame.Reason.WRONG_CHANNEL);
      return;
    }
    if (h.node().equals(n.self)) {
      n.links.close(c, null);
      return;
    }
    c.hello = h;
    if (c.role == Connection.Role.ACCEPTED) {
      greet(c);
      if (n.origin) {
        sendHeaders(c); // every peer's link, partner or not: the origin also serves last resorts
      }
    }
    if (h.latest() != null && !n.origin && !tuneIn(c, h.latest(), now)) {
      return;
    }
    c.rttMs = (int) Math.max(1, Math.min(5000, n.clock.millis() - c.openedAt));
    switch (c.role) {
      case CONNECT_BACK -> {
        boolean ok = h.node().equals(c.expectedNode);
        n.links.finishConnectBack(c, ok, remote);
        n.links.close(c, null);
      }
      case ORIGIN_LINK -> {
        c.id = PeerIds.ORIGIN;
        n.links.byId.put(c.id, c);
        n.links.linkUp();
        n.gossip.linkUp();
      }
      case DIALED -> {
        c.id = c.dialId;
        n.links.byId.putIfAbsent(c.id, c);
        promote(c, now);
      }
      case ACCEPTED -> {
        c.id = n.origin ? nextAcceptedId++
            : n.directory.idFor(new InetSocketAddress(remote.getAddress(),
                h.listenPort() > 0 ? h.listenPort() : remote.getPort()));
        n.links.byId.putIfAbsent(c.id, c);
      }
      default -> throw new IllegalStateException();
    }
    if (c.requests == null) {
      c.requests = new RequestBucket(n.settings.limits().requestsPerSecond(),
          n.settings.limits().requestBurst(), n.clock.monotonic());
    }
  }

  /**
   * A peer takes the edge a HELLO carries through the gate; false if it was forged (the sender is
   * dropped and banned).
   */
  private boolean tuneIn(Connection c, ChunkHeader latest, long now) {
    ChunkGate.Verdict v = n.gate.tuneIn(latest);
    if (v == ChunkGate.Verdict.FORGED) {
      n.offences.offence(c, "FORGED", true, "HELLO carries a forged chunk header");
      return false;
    }
    if (v.accepted()) {
      n.intake.syncEpoch();
      StreamState s = n.stream;
      if (n.gate.epoch() == latest.epoch()) {
        s.advanceEdge(latest);
      }
      if (s.edge != null && s.edge.epoch() == s.realEpoch && n.scheduler.epoch() >= 0
          && n.scheduler.epoch() != s.localEpoch) {
        // A new epoch (the origin restarted): the scheduler takes it now (the origin link's
        // HELLO is never a partner's), else it kept the old epoch's play point and playout
        // started the new one there. A node joining waits for the tracker's answer instead,
        // whose advised lag must come before anything anchors the clock.
        n.scheduler.onEdge(now, s.localEpoch, s.edge.seq(), s.edge.originTimeMillis());
      }
    }
    return true;
  }

  /** Makes {@code c} a partner (at most once) and tells the scheduler. */
  void promote(Connection c, long now) {
    if (c.promoted || c.closed || c.role == Connection.Role.CONNECT_BACK) {
      return;
    }
    if (!n.links.enlist(c)) {
      return;
    }
    c.nextPingAt = n.clock.millis() + Links.PING_MS;
    ChunkHeader h = c.hello.latest();
    StreamState s = n.stream;
    boolean edgeKnown = h != null && s.epochKnown && h.epoch() == s.realEpoch;
    boolean dialed = c.role != Connection.Role.ACCEPTED;
    Hello sh = new Hello(c.id, dialed, c.hello.listenPort() > 0, c.rttMs, 0,
        edgeKnown ? s.localEpoch : s.localOrZero(), edgeKnown ? h.seq() : -1,
        edgeKnown ? h.originTimeMillis() : 0);
    if (!n.origin && c.id != PeerIds.ORIGIN) {
      sendHeaders(c); // before any chunk can go to it
    }
    n.dispatch(n.scheduler.onPartnerAdded(now, sh));
    if (s.latestMetadata != null && !c.closed) {
      c.send(new Frame.Metadata(s.latestMetadata));
    }
  }

  /**
   * Sends {@code c} the stream headers it may need: those of the current epoch from the one in
   * force at the bottom of the chunk window on (all held before any epoch is known).
   */
  void sendHeaders(Connection c) {
    StreamState s = n.stream;
    List<SignedStreamHeader> all = s.epochKnown ? n.headers.of(s.realEpoch) : n.headers.all();
    SignedStreamHeader base = s.edgeCurrent()
        ? n.headers.inForce(s.realEpoch, Math.max(0, s.edge.seq() - Scheduler.WINDOW)) : null;
    for (SignedStreamHeader h : all) {
      if (c.closed) {
        return;
      }
      if (base == null || h.fromSeq() >= base.fromSeq()) {
        c.send(new Frame.Header(h));
      }
    }
  }
}
