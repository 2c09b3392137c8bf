package dev.floe.swarm.node;

import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.ChunkHeader;
import dev.floe.swarm.chunk.MetadataRecord;
import dev.floe.swarm.chunk.SignedStreamHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A test mount: records what a peer node plays and checks, as it goes, that every chunk verifies,
 * that positions are one contiguous run per epoch (no gap, no repeat) and that payload bytes are
 * {@link #byteAt} of their position. During a fallback it stands for the proxy's direct pull
 * ({@link #direct}); swarm chunks after it may overlap what the pull gave (trimmed by position, as
 * the proxy does) but must not leave a gap. A chunk flagged as needing a stream header must come
 * after that header (of its epoch, the latest at or below its seq; for a header change, the one
 * starting at its seq). Called on the node's loop; read through the synchronized
 * getters.
 */
final class Recorder implements SwarmNode.Listener {
  private final ChannelKey channel;
  private final List<String> errors = new ArrayList<>();
  private final List<MetadataRecord> metadata = new ArrayList<>();
  private final List<long[]> fallbacks = new ArrayList<>();
  private final List<Long> metadataAfter = new ArrayList<>();
  private final List<SignedStreamHeader> headers = new ArrayList<>();
  private final List<Long> firstSeqUnderHeader = new ArrayList<>();
  private SignedStreamHeader header;
  private int epochs;
  private long chunksInEpoch;
  private long chunks;
  private long bytes;
  private long firstPosition = -1;
  private long nextPosition = -1;
  private long lastSeq = -1;
  private int epoch;
  private boolean fallback;
  private boolean directSinceLastPlay;
  private long directBytes;
  private long directFrom;
  private final java.util.Map<Integer, Long> lastSeqOf = new java.util.HashMap<>();

  Recorder(ChannelKey channel) {
    this.channel = channel;
  }

  /** The synthetic stream's byte at {@code position}. */
  static byte byteAt(long position) {
    return (byte) (position * 31 + (position >>> 9) * 7 + 0x5A);
  }

  /** A payload of {@code n} bytes from {@code position}. */
  static ByteBuffer payload(long position, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = byteAt(position + i);
    }
    return ByteBuffer.wrap(b);
  }

  @Override
  public synchronized void play(SignedChunk c) {
    if (!c.verify(channel)) {
      errors.add("unverified chunk played: " + c);
    }
    long pos = c.header().position();
    long end = pos + c.heldLength();
    if (chunks > 0 && c.epoch() != epoch) {
      nextPosition = -1;
      epochs++;
    }
    if (fallback) {
      errors.add("chunk " + c.seq() + " played during a fallback");
    }
    if (nextPosition >= 0 && c.epoch() == epoch) {
      if (pos > nextPosition) {
        errors.add("gap: position " + pos + " after " + nextPosition + " (seq " + c.seq()
            + " after " + lastSeq + ")");
      } else if (end <= nextPosition) {
        errors.add("repeat: seq " + c.seq() + " ends at " + end + ", already had " + nextPosition);
      }
      if (!directSinceLastPlay && c.seq() != lastSeq + 1) {
        errors.add("seq " + c.seq() + " after " + lastSeq);
      }
    }
    int flags = c.header().flags();
    boolean change = (flags & ChunkHeader.FLAG_HEADER_CHANGE) != 0;
    if (change || (flags & SignedStreamHeader.CHUNK_FLAG_IN_FORCE) != 0) {
      if (header == null || header.epoch() != c.epoch() || header.fromSeq() > c.seq()) {
        errors.add("chunk " + c.seq() + " played before its stream header (have " + header + ")");
      } else if (change && header.fromSeq() != c.seq()) {
        errors.add("chunk " + c.seq() + " starts a new header but " + header + " is in force");
      }
    }
    if (!headers.isEmpty() && firstSeqUnderHeader.get(headers.size() - 1) < 0) {
      firstSeqUnderHeader.set(headers.size() - 1, c.seq());
    }
    ByteBuffer p = c.payload();
    for (int i = 0; i < p.remaining(); i++) {
      if (p.get(p.position() + i) != byteAt(pos + i)) {
        errors.add("payload byte differs at position " + (pos + i));
        break;
      }
    }
    if (firstPosition < 0) {
      firstPosition = pos;
    }
    chunksInEpoch = c.epoch() == epoch ? chunksInEpoch + 1 : 1;
    epoch = c.epoch();
    lastSeq = c.seq();
    lastSeqOf.merge(c.epoch(), c.seq(), Math::max);
    directSinceLastPlay = false;
    bytes += end - Math.max(pos, Math.max(0, nextPosition));
    nextPosition = end;
    chunks++;
  }

  /**
   * The simulated direct pull during a fallback: the mount got the stream up to {@code upTo}.
   * Returns the position the mount now holds up to, or -1 when not in a fallback.
   */
  synchronized long direct(long upTo) {
    if (!fallback) {
      return -1;
    }
    if (upTo > nextPosition) {
      directBytes += upTo - Math.max(0, nextPosition);
      if (firstPosition < 0) {
        firstPosition = directFrom;
      }
      nextPosition = upTo;
      directSinceLastPlay = true;
    }
    return nextPosition;
  }

  @Override
  public synchronized void metadata(MetadataRecord record) {
    if (!record.verify(channel)) {
      errors.add("unverified metadata: " + record);
    }
    metadata.add(record);
    metadataAfter.add(chunks == 0 || record.epoch() != epoch ? -1 : lastSeq);
  }

  @Override
  public synchronized void header(SignedStreamHeader h) {
    if (!h.verify(channel)) {
      errors.add("unverified stream header: " + h);
    }
    if (h == header) {
      errors.add("the same stream header handed over twice: " + h);
    }
    header = h;
    headers.add(h);
    firstSeqUnderHeader.add(-1L);
  }

  /** Stream headers handed over, in order. */
  synchronized List<SignedStreamHeader> headers() {
    return List.copyOf(headers);
  }

  /** For each stream header, the seq of the first chunk played after it (-1: none yet). */
  synchronized List<Long> firstSeqUnderHeader() {
    return List.copyOf(firstSeqUnderHeader);
  }

  /** For each metadata record, the seq played last before it (-1: none of its epoch). */
  synchronized List<Long> metadataAfter() {
    return List.copyOf(metadataAfter);
  }

  /** Epoch changes seen in play. */
  synchronized int epochs() {
    return epochs;
  }

  /** The highest seq of epoch {@code e} played, or -1. */
  synchronized long lastSeqOf(int e) {
    return lastSeqOf.getOrDefault(e, -1L);
  }

  /** Chunks played of {@code e}. */
  synchronized long chunksOf(int e) {
    return e == epoch ? chunksInEpoch : 0;
  }

  @Override
  public synchronized void fallback(boolean on, int epoch, long position) {
    if (on && nextPosition >= 0 && position > nextPosition) {
      errors.add("fallback from " + position + " leaves a gap after " + nextPosition);
    }
    if (on && nextPosition < 0) {
      nextPosition = position;
      directFrom = position;
    }
    fallback = on;
    fallbacks.add(new long[] {on ? 1 : 0, epoch, position});
  }

  synchronized boolean inFallback() {
    return fallback;
  }

  synchronized long directBytes() {
    return directBytes;
  }

  synchronized long chunks() {
    return chunks;
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  synchronized List<MetadataRecord> metadata() {
    return List.copyOf(metadata);
  }

  synchronized int fallbacks() {
    return (int) fallbacks.stream().filter(f -> f[0] == 1).count();
  }

  synchronized long firstPosition() {
    return firstPosition;
  }

  synchronized long nextPosition() {
    return nextPosition;
  }
}
