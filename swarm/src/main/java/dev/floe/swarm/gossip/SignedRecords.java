package dev.floe.swarm.gossip;

import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.chunk.PeerRecord;

/** How the node runtime's gossip reads the origin-signed {@link PeerRecord}s it passes on. */
public final class SignedRecords implements PeerGossip.Records<NodeId, PeerRecord> {
  /** The one instance (stateless). */
  public static final SignedRecords INSTANCE = new SignedRecords();

  private SignedRecords() {}

  @Override
  public NodeId node(PeerRecord r) {
    return r.node();
  }

  @Override
  public long expiresAt(PeerRecord r) {
    return r.expiresAtMillis();
  }

  /** Connectable, with a port. */
  @Override
  public boolean dialable(PeerRecord r) {
    return r.connectable() && r.port() != 0;
  }
}
