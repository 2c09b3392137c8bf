package dev.floe.swarm.schedule;

import java.util.Arrays;

/**
 * A node's buffer map as the scheduler sees it (BUFFERMAP): which of the 64 chunks from
 * {@code base} it holds, the latest seq it holds per substream (-1: none) and the substreams it has
 * a push parent for. Immutable.
 */
public final class Holdings {
  /** Chunks a map covers. */
  public static final int SPAN = 64;
  private final int epoch;
  private final long base;
  private final long bits;
  private final long[] latest;
  private final int subscribed;

  /**
   * @param bits bit i set when chunk {@code base + i} is held
   * @param latest latest seq held per substream, -1 when none (copied)
   * @param subscribed bit k set when substream k has a push parent
   */
  public Holdings(int epoch, long base, long bits, long[] latest, int subscribed) {
    this.epoch = epoch;
    this.base = base;
    this.bits = bits;
    this.latest = latest.clone();
    this.subscribed = subscribed;
  }

  public int epoch() {
    return epoch;
  }

  public long base() {
    return base;
  }

  public long bits() {
    return bits;
  }

  public int subscribed() {
    return subscribed;
  }

  /** Substreams described. */
  public int substreams() {
    return latest.length;
  }

  /** Latest seq held in substream {@code k}, or -1. */
  public long latest(int k) {
    return latest[k];
  }

  /** Highest seq claimed, by the latest vector or the bitmap, or -1. */
  public long highest() {
    long fromBits = bits == 0 ? -1 : base + 63 - Long.numberOfLeadingZeros(bits);
    return Math.max(fromBits, Arrays.stream(latest).max().orElse(-1));
  }

  /** Whether chunk {@code seq} is marked held. */
  public boolean has(long seq) {
    long i = seq - base;
    return i >= 0 && i < SPAN && (bits >>> i & 1) != 0;
  }

  @Override
  public String toString() {
    return "Holdings[" + epoch + ":" + base + " " + Long.toBinaryString(bits) + " latest="
        + Arrays.toString(latest) + " sub=" + subscribed + "]";
  }
}
