package dev.floe.swarm.node;

import dev.floe.swarm.chunk.Chunk;

/**
 * The verified chunks a node holds: the last {@code capacity} seqs of one epoch, addressed by
 * {@code seq % capacity} (a newer seq overwrites the slot). Only chunks that passed the
 * {@link dev.floe.swarm.guard.ChunkGate} (or that the origin signed itself) go in. Not
 * thread-safe: the node's event loop owns it.
 */
final class ChunkStore {
  private final Chunk[] slots;
  private int epoch;
  private boolean any;

  ChunkStore(int capacity) {
    this.slots = new Chunk[capacity];
  }

  /** Stores a verified chunk; a chunk of another epoch empties the store first. */
  void put(Chunk c) {
    if (!any || c.epoch() != epoch) {
      java.util.Arrays.fill(slots, null);
      epoch = c.epoch();
      any = true;
    }
    int i = slot(c.seq());
    if (slots[i] == null || slots[i].seq() < c.seq()) {
      slots[i] = c;
    }
  }

  /** The chunk {@code seq} of {@code epoch}, or null. */
  Chunk get(int epoch, long seq) {
    if (!any || epoch != this.epoch || seq < 0) {
      return null;
    }
    Chunk c = slots[slot(seq)];
    return c != null && c.seq() == seq ? c : null;
  }

  /** The first held seq at or after {@code from} (within the capacity), or -1. */
  long firstHeldFrom(int epoch, long from) {
    for (long s = from; s < from + slots.length; s++) {
      if (get(epoch, s) != null) {
        return s;
      }
    }
    return -1;
  }

  /** Chunks held. */
  int size() {
    int n = 0;
    for (Chunk c : slots) {
      n += c == null ? 0 : 1;
    }
    return n;
  }

  private int slot(long seq) {
    return (int) Math.floorMod(seq, (long) slots.length);
  }
}
