package dev.floe.swarm.node;

import dev.floe.swarm.chunk.SignedStreamHeader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The verified stream headers (Ogg header pages) a node knows, at most {@value #MAX} of them:
 * which one is in force for a chunk, which ones a new partner is sent, and whether one that
 * arrives is new (and so forwarded). When full, the oldest header of another epoch than the one
 * playing ({@link #current}) goes first, then the current epoch's one with the lowest {@code
 * fromSeq}: replayed headers of old epochs cannot push out the ones the current epoch needs (the
 * origin, which plays nothing, drops the oldest it made). Not thread-safe: the node's event loop
 * owns it.
 */
final class HeaderBook {
  /** Most headers kept (a chained stream changes its header at track changes, minutes apart). */
  static final int MAX = 8;

  private final List<SignedStreamHeader> held = new ArrayList<>();
  private int current;
  private boolean currentKnown;

  /**
   * Adds a verified header. Returns false when it is already held (same epoch, fromSeq and
   * bytes): it was seen before and is not forwarded again.
   */
  boolean add(SignedStreamHeader h) {
    for (int i = 0; i < held.size(); i++) {
      SignedStreamHeader o = held.get(i);
      if (o.epoch() == h.epoch() && o.fromSeq() == h.fromSeq()) {
        if (o.bytes().equals(h.bytes())) {
          return false;
        }
        held.set(i, h); // the origin signed new bytes for the same place: the later one wins
        return true;
      }
    }
    held.add(h);
    if (held.size() > MAX) {
      SignedStreamHeader victim = !currentKnown ? held.get(0)
          : held.stream().filter(o -> o.epoch() != current).findFirst()
              .orElseGet(() -> held.stream().min(Comparator.comparingLong(SignedStreamHeader::fromSeq))
                  .orElseThrow());
      held.remove(victim);
    }
    return true;
  }

  /** The epoch being played: its headers are the last to be dropped. */
  void current(int epoch) {
    current = epoch;
    currentKnown = true;
  }

  /** The header in force for chunk {@code seq} of {@code epoch}, or null when none is known. */
  SignedStreamHeader inForce(int epoch, long seq) {
    SignedStreamHeader best = null;
    for (SignedStreamHeader h : held) {
      if (h.epoch() == epoch && h.fromSeq() <= seq && (best == null
          || h.fromSeq() > best.fromSeq())) {
        best = h;
      }
    }
    return best;
  }

  /** The headers of {@code epoch}, lowest fromSeq first (what a new partner is sent). */
  List<SignedStreamHeader> of(int epoch) {
    List<SignedStreamHeader> out = new ArrayList<>();
    for (SignedStreamHeader h : held) {
      if (h.epoch() == epoch) {
        out.add(h);
      }
    }
    out.sort(Comparator.comparingLong(SignedStreamHeader::fromSeq));
    return out;
  }

  /** Every header held, in no particular order. */
  List<SignedStreamHeader> all() {
    return List.copyOf(held);
  }

  int size() {
    return held.size();
  }
}
