package dev.floe.swarm.node;

import dev.floe.swarm.schedule.Holdings;
import java.util.BitSet;

/**
 * Converts between the scheduler's buffer map (64 chunks from a base, latest seq per substream)
 * and the wire's (anchored at the edge, missing bits only). The scheduler works on local epoch
 * numbers, the wire on the origin's; the caller passes both.
 */
final class MapCodec {
  private MapCodec() {}

  /**
   * The wire form of {@code m} under the origin epoch {@code realEpoch}; {@code advertise} false
   * sends an empty map (a node with no upload advertises nothing it would only refuse).
   */
  static dev.floe.swarm.wire.BufferMap toWire(Holdings m, int realEpoch, boolean advertise) {
    int mask = m.subscribed() & 0xFF;
    if (!advertise || m.bits() == 0) {
      return new dev.floe.swarm.wire.BufferMap(realEpoch, 0, 0, new BitSet(), mask);
    }
    long edge = m.base() + 63 - Long.numberOfLeadingZeros(m.bits());
    int span = (int) (edge - m.base() + 1);
    BitSet held = new BitSet(span);
    for (int i = 0; i < span; i++) {
      if (m.has(edge - i)) {
        held.set(i);
      }
    }
    return new dev.floe.swarm.wire.BufferMap(realEpoch, edge, span, held, mask);
  }

  /** The scheduler's form of a wire map, for {@code k} substreams, under {@code localEpoch}. */
  static Holdings toScheduler(dev.floe.swarm.wire.BufferMap w, int localEpoch, int k) {
    long[] latest = new long[k];
    java.util.Arrays.fill(latest, -1);
    if (w.span() == 0) {
      return new Holdings(localEpoch, 0, 0, latest, w.subscribedMask() & ((1 << k) - 1));
    }
    long edge = w.edgeSeq();
    long base = Math.max(0, edge - (Holdings.SPAN - 1));
    long bits = 0;
    BitSet held = w.held();
    for (int i = 0; i < w.span(); i++) {
      long seq = edge - i;
      if (!held.get(i)) {
        continue;
      }
      if (seq >= base) {
        bits |= 1L << (seq - base);
      }
      int sub = (int) (seq % k);
      if (latest[sub] < 0) {
        latest[sub] = seq;
      }
    }
    return new Holdings(localEpoch, base, bits, latest, w.subscribedMask() & ((1 << k) - 1));
  }
}
