package dev.floe.swarm.node;

import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.schedule.Action;
import dev.floe.swarm.wire.Frame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@link dev.floe.swarm.schedule.Scheduler}'s actions as frames on the partners' connections:
 * maps, chunks (pushed or served from the store), requests and refusals batched per partner,
 * subscriptions, fallback start and stop for playout, dials and drops, and asks for peers. Not
 * thread-safe: the node's loop owns it.
 */
final class ActionOutput {
  private final NodeRuntime n;

  ActionOutput(NodeRuntime n) {
    this.n = n;
  }

  void dispatch(List<Action> actions) {
    if (actions.isEmpty()) {
      return;
    }
    Map<Integer, TreeSet<Long>> requests = new LinkedHashMap<>();
    Map<Integer, TreeSet<Long>> refusals = new LinkedHashMap<>();
    Map<Integer, Connection> partners = n.links.partners;
    for (Action a : actions) {
      if (a instanceof Action.SendBufferMap m) {
        Connection c = partners.get(m.to());
        if (c != null && c.writable()) {
          c.send(MapCodec.toWire(m.map(), n.stream.realEpoch, n.origin || n.cfg.uploadKbps() > 0));
        }
      } else if (a instanceof Action.Push p) {
        sendChunk(p.to(), p.seq());
      } else if (a instanceof Action.Serve s) {
        sendChunk(s.to(), s.seq());
      } else if (a instanceof Action.Request r) {
        requests.computeIfAbsent(r.to(), k -> new TreeSet<>()).add(r.seq());
      } else if (a instanceof Action.OriginRequest r) {
        requests.computeIfAbsent(PeerIds.ORIGIN, k -> new TreeSet<>()).add(r.seq());
      } else if (a instanceof Action.Refuse r) {
        refusals.computeIfAbsent(r.to(), k -> new TreeSet<>()).add(r.seq());
      } else if (a instanceof Action.Subscribe s) {
        Connection c = partners.get(s.to());
        if (s.to() == PeerIds.ORIGIN) {
          NodeRuntime.LOG.log(System.Logger.Level.DEBUG, "swarm node " + n.self + ": subscribes to"
              + " the origin for substream " + s.substream() + (c == null ? " (not a partner)" : ""));
        }
        if (c != null) {
          c.send(new Frame.Subscribe(n.stream.realEpoch, s.substream(), s.fromSeq()));
        }
      } else if (a instanceof Action.Unsubscribe u) {
        Connection c = partners.get(u.to());
        if (c != null) {
          c.send(new Frame.Unsubscribe(u.substream()));
        }
      } else if (a instanceof Action.RefuseSubscribe u) {
        Connection c = partners.get(u.to());
        if (n.origin) {
          NodeRuntime.LOG.log(System.Logger.Level.DEBUG, "swarm origin: refuses partner " + u.to()
              + " substream " + u.substream());
        }
        if (c != null) {
          c.send(new Frame.Unsubscribe(u.substream()));
        }
      } else if (a instanceof Action.FallbackStart) {
        NodeRuntime.LOG.log(System.Logger.Level.INFO, "swarm node " + n.self + ": the swarm is not"
            + " keeping up; direct pull from the mount; "
            + n.scheduler.describe(n.clock.wallMillis()));
        n.playout.fallbackStart();
      } else if (a instanceof Action.FallbackStop) {
        NodeRuntime.LOG.log(System.Logger.Level.INFO, "swarm node " + n.self + ": the swarm"
            + " delivers again; direct pull stopped; " + n.scheduler.describe(n.clock.wallMillis()));
        n.playout.fallbackStop();
      } else if (a instanceof Action.Connect k) {
        n.links.dialPartner(k.peer(), n.directory.address(k.peer()));
      } else if (a instanceof Action.Drop d) {
        n.links.drop(d.peer());
      } else if (a instanceof Action.AskTracker) {
        n.gossip.askForPeers(n.clock.wallMillis());
      }
    }
    requests.forEach((to, seqs) -> sendSeqs(to, seqs, true));
    refusals.forEach((to, seqs) -> sendSeqs(to, seqs, false));
  }

  private void sendChunk(int to, long seq) {
    Connection c = n.links.byId.get(to);
    SignedChunk chunk = n.store.get(n.stream.realEpoch, seq);
    if (c != null && chunk != null && !c.closed) {
      if (!c.send(n.store.frame(n.stream.realEpoch, seq), chunk.heldLength()) && c.slow) {
        n.offences.offence(c, "SLOW_READER", false, c.queued() + " bytes unsent");
      }
    }
  }

  private void sendSeqs(int to, TreeSet<Long> seqs, boolean request) {
    Connection c = n.links.to(to);
    if (c == null || c.hello == null) {
      return;
    }
    List<Long> all = new ArrayList<>(seqs);
    int epoch = n.stream.realEpoch;
    for (int i = 0; i < all.size(); i += Frame.MAX_SEQS) {
      List<Long> part = all.subList(i, Math.min(all.size(), i + Frame.MAX_SEQS));
      c.send(request ? new Frame.Request(epoch, part) : new Frame.NotFound(epoch, part));
    }
  }
}
