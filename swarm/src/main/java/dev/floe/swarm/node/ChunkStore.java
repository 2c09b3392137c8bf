package dev.floe.swarm.node;

import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.wire.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Arrays;

/**
 * The verified chunks a node holds: the last {@code capacity} seqs of one epoch, addressed by
 * {@code seq % capacity} (a newer seq overwrites the slot). Only chunks that passed the
 * {@link dev.floe.swarm.guard.ChunkGate} (or that the origin signed itself) go in. Not
 * thread-safe: the node's event loop owns it.
 *
 * <p>The send path: a chunk's CHUNK frame is encoded once, into a direct buffer, the first time a
 * partner is sent it ({@link #frame}); every partner is then written a retained duplicate of the
 * same bytes. The store holds one reference to each frame and releases it when the chunk leaves
 * the window (its slot is overwritten, or a new epoch empties the store) or at {@link #clear};
 * the memory returns to the allocator's pool once the last write in flight has released its view.
 */
final class ChunkStore {
  private final SignedChunk[] slots;
  private final ByteBuf[] frames;
  private final ByteBufAllocator alloc;
  private int epoch;
  private boolean any;
  private boolean closed;

  ChunkStore(int capacity) {
    this(capacity, ByteBufAllocator.DEFAULT);
  }

  ChunkStore(int capacity, ByteBufAllocator alloc) {
    this.slots = new SignedChunk[capacity];
    this.frames = new ByteBuf[capacity];
    this.alloc = alloc;
  }

  /** Stores a verified chunk; a chunk of another epoch empties the store first. */
  void put(SignedChunk c) {
    if (!any || c.epoch() != epoch) {
      clear();
      epoch = c.epoch();
      any = true;
    }
    int i = slot(c.seq());
    if (slots[i] == null || slots[i].seq() < c.seq()) {
      releaseFrame(i);
      slots[i] = c;
    }
  }

  /** The chunk {@code seq} of {@code epoch}, or null. */
  SignedChunk get(int epoch, long seq) {
    if (!any || epoch != this.epoch || seq < 0) {
      return null;
    }
    SignedChunk c = slots[slot(seq)];
    return c != null && c.seq() == seq ? c : null;
  }

  /**
   * The CHUNK frame of {@code seq} of {@code epoch} as a new reference the caller must release
   * (writing it to a channel does), or null when the chunk is not held. Encoded on the first call
   * for that chunk; every call after shares its bytes.
   */
  ByteBuf frame(int epoch, long seq) {
    SignedChunk c = get(epoch, seq);
    if (c == null) {
      return null;
    }
    if (closed) {
      return Connection.encode(new Frame.ChunkData(c), alloc);
    }
    int i = slot(seq);
    if (frames[i] == null) {
      frames[i] = Connection.encode(new Frame.ChunkData(c), alloc);
    }
    return frames[i].retainedDuplicate();
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
    for (SignedChunk c : slots) {
      n += c == null ? 0 : 1;
    }
    return n;
  }

  /**
   * Empties the store and releases every encoded frame for good: a frame asked for after this
   * (of a chunk put after it) is encoded for that caller alone, so nothing is left unreleased.
   */
  void close() {
    closed = true;
    clear();
  }

  /** Empties the store, releasing every encoded frame. */
  private void clear() {
    for (int i = 0; i < slots.length; i++) {
      releaseFrame(i);
    }
    Arrays.fill(slots, null);
    any = false;
  }

  private void releaseFrame(int i) {
    if (frames[i] != null) {
      frames[i].release();
      frames[i] = null;
    }
  }

  private int slot(long seq) {
    return (int) Math.floorMod(seq, (long) slots.length);
  }
}
