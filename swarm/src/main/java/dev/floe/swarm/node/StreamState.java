package dev.floe.swarm.node;

import dev.floe.swarm.chunk.ChunkHeader;
import dev.floe.swarm.chunk.MetadataRecord;
import java.util.ArrayDeque;

/**
 * What one node knows of its channel's stream: the real epoch (the origin's, random) and the
 * local one the scheduler counts (0, 1, 2... as epochs follow each other), the newest verified
 * chunk header (the edge) and the metadata in force. Pure state; the node's loop owns it.
 */
final class StreamState {
  /** Metadata ids remembered, so a record relayed back is not relayed again. */
  private static final int SEEN_METADATA = 64;

  int realEpoch;
  int localEpoch = -1;
  boolean epochKnown;
  ChunkHeader edge;
  MetadataRecord latestMetadata;
  private final ArrayDeque<String> seenMetadata = new ArrayDeque<>();

  /** Enters {@code epoch} if it is not the current one; true if it did. */
  boolean enter(int epoch) {
    if (epochKnown && epoch == realEpoch) {
      return false;
    }
    realEpoch = epoch;
    localEpoch++;
    epochKnown = true;
    return true;
  }

  /** The scheduler's number for real epoch {@code epoch}: -1 unless it is the current one. */
  int local(int epoch) {
    return epochKnown && epoch == realEpoch ? localEpoch : -1;
  }

  /** The local epoch, 0 before any is known (candidates carry one). */
  int localOrZero() {
    return Math.max(0, localEpoch);
  }

  /** Whether the edge is known and of the current epoch. */
  boolean edgeCurrent() {
    return edge != null && epochKnown && edge.epoch() == realEpoch;
  }

  /** Takes {@code h} as the edge if it is of another epoch or newer. */
  void advanceEdge(ChunkHeader h) {
    if (edge == null || edge.epoch() != h.epoch() || h.seq() > edge.seq()) {
      edge = h;
    }
  }

  /**
   * A verified metadata record: false if it was seen already; else remembered, and in force if it
   * is the first, of another epoch, or not older than the one in force.
   */
  boolean metadata(MetadataRecord m) {
    String id = m.epoch() + ":" + m.fromSeq() + ":" + m.title() + ":" + m.url();
    if (seenMetadata.contains(id)) {
      return false;
    }
    seenMetadata.addLast(id);
    if (seenMetadata.size() > SEEN_METADATA) {
      seenMetadata.removeFirst();
    }
    if (latestMetadata == null || latestMetadata.epoch() != m.epoch()
        || latestMetadata.fromSeq() <= m.fromSeq()) {
      latestMetadata = m;
    }
    return true;
  }
}
