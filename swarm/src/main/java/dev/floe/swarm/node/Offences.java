package dev.floe.swarm.node;

import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.guard.BanList;
import dev.floe.swarm.guard.ChunkGate;
import dev.floe.swarm.wire.Frame;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Misbehaviour: an offence logs, is kept as an {@link SwarmNode.Incident}, bans the sender when
 * it must have altered what it sent, and closes the connection with the matching reason; honest-
 * looking rejections (replays, stale, skewed chunks) are counted and become an offence only past
 * a rate. Bans run on the node's monotonic clock. Not thread-safe: the node's loop owns it.
 */
final class Offences {
  /** Honest-looking rejections (replays, stale, skewed) tolerated per {@link #REPLAY_WINDOW_MS}. */
  static final int REPLAY_LIMIT = 8;
  static final int REPLAY_WINDOW_MS = 30_000;
  /** Most incidents kept for {@link SwarmNode#incidents()}. */
  static final int MAX_INCIDENTS = 256;

  private final NodeRuntime n;
  private final BanList<String> bans;
  private final ArrayDeque<SwarmNode.Incident> incidents = new ArrayDeque<>();

  Offences(NodeRuntime n) {
    this.n = n;
    this.bans = new BanList<>(n.clock.monotonic(), 4096);
  }

  boolean banned(String key) {
    return bans.banned(key);
  }

  void offence(Connection c, String kind, boolean ban, String detail) {
    if (c.closed) {
      return;
    }
    String who = c.address() + (c.hello != null ? " (" + c.hello.node() + ")" : "");
    NodeRuntime.LOG.log(System.Logger.Level.WARNING, "swarm peer " + who + ": " + kind + ": "
        + detail + "; dropped"
        + (ban ? ", banned for " + BanList.FORGED_BAN.toMinutes() + " min" : ""));
    if (incidents.size() >= MAX_INCIDENTS) {
      incidents.removeFirst();
    }
    incidents.addLast(new SwarmNode.Incident(c.address(), kind, ban, n.clock.wallMillis()));
    if (ban && c.banKey != null) {
      bans.ban(c.banKey, BanList.FORGED_BAN);
    }
    n.links.close(c, switch (kind) {
      case "FORGED", "TRUNCATED" -> Frame.Reason.FORGED;
      case "FLOODING" -> Frame.Reason.FLOODING;
      case "SLOW_READER" -> Frame.Reason.IDLE;
      default -> Frame.Reason.PROTOCOL_ERROR;
    });
  }

  /**
   * A chunk the gate rejected for a reason an honest peer may have (a replay, stale, skewed):
   * counted, and an offence past {@link #REPLAY_LIMIT} in {@link #REPLAY_WINDOW_MS}.
   */
  void replay(Connection c, ChunkGate.Verdict v, SignedChunk chunk) {
    long now = n.clock.millis();
    if (now - c.replaysSince > REPLAY_WINDOW_MS) {
      c.replaysSince = now;
      c.replays = 0;
    }
    if (++c.replays >= REPLAY_LIMIT) {
      offence(c, "REPLAY", false, c.replays + " chunks rejected in " + REPLAY_WINDOW_MS
          + " ms, last " + v + " " + chunk);
    }
  }

  List<SwarmNode.Incident> incidents() {
    return List.copyOf(incidents);
  }

  /**
   * Bans key on the IP address (node ids are self-chosen); on loopback, where every local node
   * shares one address, on the address and the node id.
   */
  static String banKey(InetSocketAddress remote, NodeId node) {
    if (remote == null) {
      return "?#" + node;
    }
    InetAddress a = remote.getAddress();
    return a.isLoopbackAddress() ? a.getHostAddress() + "#" + node : a.getHostAddress();
  }
}
