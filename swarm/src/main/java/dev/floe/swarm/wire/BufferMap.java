package dev.floe.swarm.wire;

import dev.floe.swarm.chunk.FieldReader;
import dev.floe.swarm.chunk.FieldWriter;
import java.util.BitSet;

/**
 * Which chunks of an epoch a node holds, counted back from its newest one, and which substreams
 * it is subscribed to. Bit {@code i} of {@code held} stands for seq {@code edgeSeq - i}, for
 * {@code i < span} (at most {@link #MAX_SPAN}); bit 0 is always set (the edge is held). {@code span
 * == 0} means nothing held (then {@code edgeSeq} is 0). Immutable.
 *
 * <p>Improvements over the brief's map: anchoring the bitmap at the node's own edge makes the
 * per-substream {@code latestSeq[K]} vector redundant (the newest held seq of substream {@code s}
 * is the first set bit with {@code (edgeSeq - i) % K == s}); and the wire form sends the bitmap of
 * <em>missing</em> chunks with its trailing zero bytes cut, so a node that holds its whole window
 * sends no bitmap at all. Wire: epoch u32, edgeSeq varint, span u8, missing-bytes u8, missing
 * bitmap (bit {@code j} of byte {@code k}, least significant first: seq {@code edgeSeq - 1 - (8k +
 * j)} is missing), subscribedMask u8. 12 to 13 bytes for a full 64-chunk window.
 */
public record BufferMap(int epoch, long edgeSeq, int span, BitSet held, int subscribedMask)
    implements Frame {
  /** Largest span: 128 chunks (64 s at 0.5 s chunks). */
  public static final int MAX_SPAN = 128;

  /**
   * @throws IllegalArgumentException if span exceeds {@link #MAX_SPAN}, bits lie outside the span,
   *     the edge is not held, the span reaches below seq 0, or the mask is over 8 bits
   */
  public BufferMap {
    held = (BitSet) held.clone();
    if (span < 0 || span > MAX_SPAN) {
      throw new IllegalArgumentException("span " + span + " outside 0.." + MAX_SPAN);
    }
    if (held.length() > span || (span > 0 && !held.get(0))) {
      throw new IllegalArgumentException("held bits must lie within the span and include the edge");
    }
    if (span == 0 ? edgeSeq != 0 : edgeSeq < span - 1) {
      throw new IllegalArgumentException("edgeSeq " + edgeSeq + " does not fit span " + span);
    }
    if ((subscribedMask & ~0xFF) != 0) {
      throw new IllegalArgumentException("subscribedMask is 8 bits: " + subscribedMask);
    }
  }

  /** A copy of the held bits. */
  @Override
  public BitSet held() {
    return (BitSet) held.clone();
  }

  /** True if the map says {@code seq} is held. */
  public boolean has(long seq) {
    long i = edgeSeq - seq;
    return i >= 0 && i < span && held.get((int) i);
  }

  @Override
  public FrameType type() {
    return FrameType.BUFFER_MAP;
  }

  @Override
  public void writePayload(FieldWriter out) {
    BitSet missing = new BitSet();
    for (int i = 1; i < span; i++) {
      if (!held.get(i)) {
        missing.set(i - 1);
      }
    }
    byte[] bits = missing.toByteArray();
    out.u32(epoch).varint(edgeSeq).u8(span).u8(bits.length).bytes(bits).u8(subscribedMask);
  }

  static BufferMap read(FieldReader in) {
    int epoch = in.u32("epoch");
    long edge = in.varint("edgeSeq", Long.MAX_VALUE);
    int span = in.u8("span");
    if (span > MAX_SPAN) {
      throw new IllegalArgumentException("span " + span + " exceeds " + MAX_SPAN);
    }
    int missingBytes = in.u8("missing bytes");
    if (missingBytes > Math.max(0, span - 1 + 7) / 8) {
      throw new IllegalArgumentException("missing bitmap longer than the span");
    }
    BitSet missing = BitSet.valueOf(in.bytes(missingBytes, "missing bitmap"));
    if (missing.length() != 0 && (missing.length() + 7) / 8 != missingBytes
        || missing.length() == 0 && missingBytes != 0) {
      throw new IllegalArgumentException("missing bitmap has trailing zero bytes");
    }
    if (missing.length() > Math.max(0, span - 1)) {
      throw new IllegalArgumentException("missing bits beyond the span");
    }
    BitSet held = new BitSet();
    held.set(0, span);
    missing.stream().forEach(j -> held.clear(j + 1));
    return new BufferMap(epoch, edge, span, held, in.u8("subscribedMask"));
  }
}
