package dev.floe.swarm.node;

import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.MetadataRecord;
import dev.floe.swarm.chunk.SignedStreamHeader;
import dev.floe.swarm.guard.ChunkGate;
import dev.floe.swarm.guard.RequestBucket;
import dev.floe.swarm.schedule.Action;
import dev.floe.swarm.wire.BufferMap;
import dev.floe.swarm.wire.Frame;
import java.util.ArrayList;
import java.util.List;

/**
 * A partner's frames after HELLO become scheduler events: buffer maps (checked against the
 * origin's estimated edge), chunks (judged by the {@link ChunkGate}'s verdict, then stored),
 * requests (rate-limited), NOT_FOUNDs (counted against the map that claimed them),
 * subscriptions, metadata and stream headers (verified, kept, relayed once). Not thread-safe: the
 * node's loop owns it.
 */
final class FrameIntake {
  /** NOT_FOUNDs for chunks the peer's map claimed, with no chunk from it in between. */
  static final int LIE_LIMIT = 16;
  /** A buffer map may claim at most this many chunks beyond the origin's estimated edge. */
  static final int AHEAD_SLACK = 8;
  /** When a node that is not tuned in may ask a partner for its newest chunk again. */
  private static final long TUNE_IN_RETRY_MS = 1_000;
  /** SignedChunk durations without a chunk after which a partner's other epoch is asked for. */
  private static final int STALE_EPOCH_CHUNKS = 4;

  private final NodeRuntime n;
  private final StreamState s;
  private long nextTuneInAt;
  /** When the last chunk was accepted, on the monotonic clock (MIN: never). */
  private long lastChunkAt = Long.MIN_VALUE / 2;

  FrameIntake(NodeRuntime n) {
    this.n = n;
    this.s = n.stream;
  }

  void onMap(Connection c, BufferMap m, long now) {
    if (!n.origin && s.epochKnown && s.edge != null && m.span() > 0 && m.epoch() == s.realEpoch) {
      long estimate = s.edge.seq()
          + Math.max(0, now - s.edge.originTimeMillis()) / n.cfg.chunkMs();
      if (m.edgeSeq() > estimate + AHEAD_SLACK) {
        n.offences.offence(c, "LYING_MAP", false,
            "claims seq " + m.edgeSeq() + ", the origin is near " + estimate);
        return;
      }
    }
    c.lastMap = m;
    if (!c.promoted) {
      n.handshake.promote(c, now);
      if (!c.promoted) {
        return;
      }
    }
    long mono = n.clock.millis();
    boolean stale = s.epochKnown && m.epoch() != s.realEpoch
        && mono - lastChunkAt > STALE_EPOCH_CHUNKS * n.cfg.chunkMs();
    if (!n.origin && (!s.epochKnown || stale) && m.span() > 0 && mono >= nextTuneInAt) {
      // Not tuned in: every partner's HELLO came before the stream had a chunk (a swarm that
      // started before its source). Or stale: this node's epoch stopped and a partner holds
      // another (the origin restarted; its link came back before the new epoch had a chunk, and
      // subscriptions of the old epoch carry nothing). Ask this one for its newest chunk; a
      // signed chunk tunes the gate in (a new epoch only if its origin time is newer), and then
      // maps and subscriptions work as usual.
      nextTuneInAt = mono + TUNE_IN_RETRY_MS;
      c.send(new Frame.Request(m.epoch(), List.of(m.edgeSeq())));
    }
    n.dispatch(n.scheduler.onBufferMap(now, c.id,
        MapCodec.toScheduler(m, s.local(m.epoch()), n.cfg.substreams())));
  }

  /** A chunk: the gate's verdict decides whether it is stored, ignored, or an offence. */
  void onChunk(Connection c, SignedChunk chunk, long now) {
    c.payloadDown += chunk.heldLength();
    if (n.origin) {
      return;
    }
    ChunkGate.Verdict v = n.gate.offer(chunk);
    if (v.accepted()) {
      lastChunkAt = n.clock.millis();
      syncEpoch();
      n.store.put(chunk);
      s.advanceEdge(chunk.header());
      c.lies = 0;
      c.noteSeq(chunk.seq());
      n.dispatch(n.scheduler.onChunk(now, c.id, s.localEpoch, chunk.seq(), chunk.heldLength(),
          chunk.header().originTimeMillis(), true));
      return;
    }
    if (v.banWorthy()) {
      n.offences.offence(c, v.name(), true, chunk.toString());
      return;
    }
    if (v == ChunkGate.Verdict.OVERSIZED) {
      n.offences.offence(c, v.name(), false, chunk.toString());
      return;
    }
    boolean again = c.noteSeq(chunk.seq());
    if (v == ChunkGate.Verdict.DUPLICATE && !again) {
      // Another partner's copy came first: this one still counts as delivered by c.
      n.dispatch(n.scheduler.onChunk(now, c.id, s.localEpoch, chunk.seq(), chunk.heldLength(),
          chunk.header().originTimeMillis(), true));
      return;
    }
    n.offences.replay(c, v, chunk);
  }

  /**
   * The gate moved to another epoch (a chunk or a HELLO's edge of a newer one): the node enters
   * it, forgets the old edge and restarts its playout there.
   */
  void syncEpoch() {
    if (n.gate.edge() >= 0 && s.enter(n.gate.epoch())) {
      s.edge = null;
      n.playout.reset(s.realEpoch, n.scheduler.deadlines());
    }
  }

  void onRequest(Connection c, Frame.Request r, long now) {
    RequestBucket.Outcome o = c.requests.take(r.seqs().size());
    if (o == RequestBucket.Outcome.FLOOD) {
      n.offences.offence(c, "FLOODING", false, "requests far over "
          + n.settings.limits().requestsPerSecond() + "/s (peer-requests-per-second)");
      return;
    }
    if (o == RequestBucket.Outcome.REFUSE) {
      c.send(new Frame.NotFound(r.epoch(), r.seqs()));
      return;
    }
    if (tuneIn(c, r)) {
      return;
    }
    int le = s.local(r.epoch());
    List<Action> all = new ArrayList<>();
    for (long seq : r.seqs()) {
      long ms = s.epochKnown ? n.scheduler.deadline(seq) - now : 0;
      all.addAll(n.scheduler.onRequest(now, c.id, le, seq,
          (int) Math.max(Integer.MIN_VALUE / 2, Math.min(Integer.MAX_VALUE / 2, ms))));
    }
    n.dispatch(all);
  }

  /**
   * Serves a partner that is not tuned in (its last map holds nothing of this epoch) the one
   * chunk it asks for, once per epoch, outside the scheduler's rules (the origin serves only
   * last-resort chunks near their deadline, and an untuned node has no deadlines yet).
   */
  private boolean tuneIn(Connection c, Frame.Request r) {
    if (!s.epochKnown || r.epoch() != s.realEpoch || r.seqs().size() != 1
        || c.tunedInEpoch == s.realEpoch || !c.promoted
        || c.lastMap != null && c.lastMap.span() > 0 && c.lastMap.epoch() == s.realEpoch) {
      return false;
    }
    SignedChunk chunk = n.store.get(s.realEpoch, r.seqs().get(0));
    if (chunk == null) {
      return false;
    }
    c.tunedInEpoch = s.realEpoch;
    c.send(n.store.frame(s.realEpoch, chunk.seq()), chunk.heldLength());
    return true;
  }

  void onNotFound(Connection c, Frame.NotFound nf, long now) {
    if (c.id != PeerIds.ORIGIN && c.lastMap != null && c.lastMap.epoch() == nf.epoch()) {
      for (long seq : nf.seqs()) {
        c.lies += c.lastMap.has(seq) ? 1 : 0;
      }
      if (c.lies >= LIE_LIMIT) {
        n.offences.offence(c, "LYING_MAP", false,
            c.lies + " chunks its map claimed were NOT_FOUND");
        return;
      }
    }
    if (c.promoted || c.id == PeerIds.ORIGIN) {
      int le = s.local(nf.epoch());
      List<Action> all = new ArrayList<>();
      for (long seq : nf.seqs()) {
        all.addAll(n.scheduler.onRefused(now, c.id, le, seq));
      }
      n.dispatch(all);
    }
  }

  void onSubscribe(Connection c, Frame.Subscribe f, long now) {
    if (c.promoted) {
      n.dispatch(n.scheduler.onSubscribe(now, c.id, f.substream(), s.local(f.epoch()),
          f.fromSeq()));
    }
  }

  void onUnsubscribe(Connection c, Frame.Unsubscribe u, long now) {
    if (c.promoted && u.substream() < n.cfg.substreams()) {
      n.dispatch(n.scheduler.parent(u.substream()) == c.id
          ? n.scheduler.onSubscribeRefused(now, c.id, u.substream())
          : n.scheduler.onUnsubscribe(now, c.id, u.substream()));
    }
  }

  /** Metadata: a forged record bans the sender; a new one is played and relayed once. */
  void onMetadata(Connection c, MetadataRecord m) {
    if (!m.verify(n.channel)) {
      n.offences.offence(c, "FORGED", true, "metadata " + m);
      return;
    }
    if (n.origin || !s.metadata(m)) {
      return;
    }
    n.playout.metadata(m);
    for (Connection p : n.links.partners.values()) {
      if (p != c) {
        p.send(new Frame.Metadata(m));
      }
    }
  }

  /**
   * A stream header: a forged one bans the sender; a new one is kept (for playout and for new
   * partners) and forwarded once to the other partners.
   */
  void onHeader(Connection c, SignedStreamHeader h) {
    if (!h.verify(n.channel)) {
      n.offences.offence(c, "FORGED", true, "stream header " + h);
      return;
    }
    if (n.origin || !n.headers.add(h)) {
      return;
    }
    for (Connection p : n.links.partners.values()) {
      if (p != c) {
        p.send(new Frame.Header(h));
      }
    }
  }
}
