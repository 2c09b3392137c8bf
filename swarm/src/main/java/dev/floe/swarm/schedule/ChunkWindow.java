package dev.floe.swarm.schedule;

import java.util.Arrays;

/**
 * The chunks a node holds of its current epoch, as the {@link Scheduler} sees them: the last
 * {@value #SPAN} seqs (one slot each, addressed by {@code seq mod SPAN}) with their size, arrival
 * time and whether the swarm delivered them in time, plus the newest seq held overall and per
 * substream. A chunk more than {@value #SPAN} behind the newest is forgotten. Ids and sizes only,
 * no bytes. Mutable; not thread-safe.
 */
final class ChunkWindow {
  /** Chunks kept; also the span of the buffer map. */
  static final int SPAN = Holdings.SPAN;

  /** One held chunk; {@code seq} -1 when the slot is empty. */
  private static final class Slot {
    long seq = -1;
    int size;
    long arrivedAt;
    boolean fromSwarm;
  }

  private final Slot[] slots = new Slot[SPAN];
  private final long[] newest;
  private int epoch = -1;
  private long highest = -1;

  /** An empty window of no epoch, for {@code substreams} substreams. */
  ChunkWindow(int substreams) {
    for (int i = 0; i < SPAN; i++) {
      slots[i] = new Slot();
    }
    newest = new long[substreams];
    Arrays.fill(newest, -1);
  }

  /** The slot of {@code seq}, shared by every seq {@value #SPAN} apart. */
  static int slot(long seq) {
    return (int) Math.floorMod(seq, (long) SPAN);
  }

  /** The (local) epoch held; -1 before any. */
  int epoch() {
    return epoch;
  }

  /** Empties the window for epoch {@code e}. */
  void reset(int e) {
    epoch = e;
    highest = -1;
    for (Slot s : slots) {
      s.seq = -1;
    }
    Arrays.fill(newest, -1);
  }

  /** Whether chunk {@code seq} is held. */
  boolean has(long seq) {
    return seq >= 0 && slots[slot(seq)].seq == seq;
  }

  /** Whether {@code seq} is too far behind the newest chunk to be kept. */
  boolean tooOld(long seq) {
    return seq <= highest - SPAN;
  }

  /** The size of held chunk {@code seq}. */
  int size(long seq) {
    return slots[slot(seq)].size;
  }

  /** Whether chunk {@code seq} is held and arrived by {@code deadline}. */
  boolean arrivedBy(long seq, long deadline) {
    return has(seq) && slots[slot(seq)].arrivedAt <= deadline;
  }

  /** Whether the swarm (not the direct pull) delivered the chunk in {@code seq}'s slot in time. */
  boolean fromSwarm(long seq) {
    return slots[slot(seq)].fromSwarm;
  }

  /** Held chunk {@code seq} came again: it counts as the swarm's if this copy did in time. */
  void againFromSwarm(long seq, boolean inTime) {
    slots[slot(seq)].fromSwarm |= inTime;
  }

  /** Stores chunk {@code seq}, replacing whatever its slot held. */
  void add(long seq, int size, long now, boolean fromSwarm) {
    Slot s = slots[slot(seq)];
    s.seq = seq;
    s.size = size;
    s.arrivedAt = now;
    s.fromSwarm = fromSwarm;
    highest = Math.max(highest, seq);
    int sub = (int) (seq % newest.length);
    newest[sub] = Math.max(newest[sub], seq);
  }

  /** The newest seq held, or -1. */
  long highest() {
    return highest;
  }

  /** The window as a buffer map, with {@code subscribed} as its mask of substreams with a parent. */
  Holdings map(int subscribed) {
    long base = Math.max(0, highest - SPAN + 1);
    long bits = 0;
    for (int i = 0; i < SPAN; i++) {
      if (has(base + i)) {
        bits |= 1L << i;
      }
    }
    return new Holdings(Math.max(epoch, 0), base, bits, newest, subscribed);
  }

  /** The newest seq held per substream, for logs. */
  String describeNewest() {
    return Arrays.toString(newest);
  }
}
