package dev.floe.swarm.node;

import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.ChunkHeader;
import dev.floe.swarm.chunk.MetadataRecord;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.chunk.SignedStreamHeader;
import dev.floe.swarm.schedule.Scheduler;
import dev.floe.swarm.wire.Frame;
import java.util.List;

/**
 * The origin's side of the stream: signs each chunk once under the channel key and hands it to
 * the store and the scheduler (which pushes it), signs stream headers (sent to every peer's link)
 * and metadata (sent to partners, from the chunk that holds its byte position). Not thread-safe:
 * the origin's loop owns it.
 */
final class Publisher {
  private final NodeRuntime n;
  private final OriginKey key;

  Publisher(NodeRuntime n, OriginKey key) {
    this.n = n;
    this.key = key;
  }

  void publish(int epoch, long seq, long position, byte[] payload, long originTime,
      int durationMicros) {
    if (n.closed) {
      return;
    }
    StreamState s = n.stream;
    s.enter(epoch);
    SignedChunk c = SignedChunk.sign(key, epoch, seq, position, originTime, durationMicros,
        headerFlags(epoch, seq), payload);
    n.store.put(c);
    s.edge = c.header();
    n.dispatch(n.scheduler.onChunk(n.clock.wallMillis(), n.selfId, s.localEpoch, seq,
        c.heldLength(), originTime, true));
  }

  /** The chunk flags for chunk {@code seq} of {@code epoch}: none without a stream header. */
  private int headerFlags(int epoch, long seq) {
    SignedStreamHeader h = n.headers.inForce(epoch, seq);
    return h == null ? 0 : SignedStreamHeader.CHUNK_FLAG_IN_FORCE
        | (h.fromSeq() == seq ? ChunkHeader.FLAG_HEADER_CHANGE : 0);
  }

  void publishHeader(int epoch, long fromSeq, byte[] bytes) {
    if (n.closed) {
      return;
    }
    SignedStreamHeader h = SignedStreamHeader.sign(key, epoch, fromSeq, bytes);
    if (n.headers.add(h)) {
      NodeRuntime.LOG.log(System.Logger.Level.DEBUG, "swarm origin: stream header " + h);
      for (Connection c : List.copyOf(n.links.connections)) {
        if (c.hello != null && c.role == Connection.Role.ACCEPTED && !c.closed) {
          c.send(new Frame.Header(h));
        }
      }
    }
  }

  void publishMetadata(int epoch, long position, String title, String url) {
    if (n.closed) {
      return;
    }
    ChunkHeader edge = n.stream.edge;
    long fromSeq = 0;
    if (edge != null && edge.epoch() == epoch) {
      fromSeq = edge.seq() + 1;
      for (long s = edge.seq(); s > edge.seq() - Scheduler.WINDOW && s >= 0; s--) {
        SignedChunk c = n.store.get(epoch, s);
        if (c != null && c.header().position() <= position) {
          long end = c.header().position() + c.header().payloadLength();
          fromSeq = position < end ? s : s + 1;
          break;
        }
      }
    }
    MetadataRecord m = MetadataRecord.sign(key, epoch, fromSeq, title, url);
    n.stream.latestMetadata = m;
    for (Connection c : n.links.partners.values()) {
      c.send(new Frame.Metadata(m));
    }
  }
}
