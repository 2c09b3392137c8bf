package dev.floe.swarm.node;

import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.schedule.PartnerStats;
import dev.floe.swarm.schedule.SwarmStats;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures {@link SwarmNode} reports: traffic (closed connections' totals plus the open ones'),
 * partners and scheduler stats, playout figures, the tracker's answers and a peer's announces.
 * Not thread-safe: read on the node's loop ({@code SwarmNode} calls through it).
 */
final class Counters {
  private final NodeRuntime n;
  private long closedUp;
  private long closedDown;
  private long closedPayloadUp;
  private long closedPayloadDown;
  /** PEERS answers the origin's tracker sent. */
  int trackerAnswers;
  /** ANNOUNCEs a peer sent. */
  int announces;

  Counters(NodeRuntime n) {
    this.n = n;
  }

  /** A connection closed: its bytes move to the totals. */
  void closed(Connection c) {
    closedUp += c.bytesUp;
    closedDown += c.bytesDown;
    closedPayloadUp += c.payloadUp;
    closedPayloadDown += c.payloadDown;
  }

  SwarmNode.Traffic traffic() {
    long up = closedUp;
    long down = closedDown;
    long pu = closedPayloadUp;
    long pd = closedPayloadDown;
    for (Connection c : n.links.connections) {
      up += c.bytesUp;
      down += c.bytesDown;
      pu += c.payloadUp;
      pd += c.payloadDown;
    }
    return new SwarmNode.Traffic(up, down, pu, pd);
  }

  SwarmNode.Stats stats() {
    SwarmStats st = n.scheduler.stats();
    Map<Integer, PartnerStats> byPeer = new HashMap<>();
    st.partners().forEach(p -> byPeer.put(p.peer(), p));
    List<SwarmNode.PartnerInfo> list = new ArrayList<>();
    for (Connection c : n.links.partners.values()) {
      PartnerStats ps = byPeer.get(c.id);
      InetSocketAddress seen = c.remote();
      int port = c.hello != null ? c.hello.listenPort() : 0;
      String address = seen != null && port > 0 && c.role == Connection.Role.ACCEPTED
          ? seen.getAddress().getHostAddress() + ":" + port : c.address();
      list.add(new SwarmNode.PartnerInfo(address, c.role != Connection.Role.ACCEPTED,
          c.bytesUp, c.bytesDown, c.rttMs, ps != null && ps.parentOf() != 0,
          ps != null && ps.childOf() != 0, c.hello == null ? "" : c.hello.node().toString()));
    }
    SwarmNode.Traffic t = traffic();
    long payload = t.payloadUp() + t.payloadDown();
    double overhead = payload == 0 ? 0
        : (double) (t.bytesUp() + t.bytesDown() - payload) / payload;
    return new SwarmNode.Stats(list, st.continuity(), st.originShare(), n.scheduler.lagMs(),
        overhead, t.payloadUp(), t.payloadDown(), t.bytesUp(), t.bytesDown(),
        n.scheduler.inFallback(), n.origin ? n.tracker.size() : -1);
  }

  SwarmNode.PlayoutStats playoutFigures() {
    SwarmStats st = n.scheduler.stats();
    return n.origin ? new SwarmNode.PlayoutStats(0, 0, 0, 0, 0)
        : new SwarmNode.PlayoutStats(st.due(), st.inTime(), n.playout.playedChunks(),
            n.playout.playedBytes(), st.fallbacks());
  }

  int trackerAnswers() {
    return n.origin ? trackerAnswers : -1;
  }

  int announces() {
    return n.origin ? -1 : announces;
  }

  boolean trackerLists(NodeId node) {
    return n.tracker != null && n.tracker.listed(node);
  }
}
