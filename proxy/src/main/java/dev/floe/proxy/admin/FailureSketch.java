package dev.floe.proxy.admin;

import java.util.SplittableRandom;

/**
 * Wrong passwords per address in fixed memory: a count-min sketch of {@link #ROWS} rows of
 * {@link #WIDTH} cells, each cell a failure count, the time of its last failure and the end of
 * the lockout it carries. An address maps to one cell per row (a seeded hash, so a remote party
 * cannot aim at another address's cells); its count is the smallest of its cells, so it is never
 * under-counted, and over-counted only when every one of its cells is shared with failing
 * addresses.
 *
 * <p>Every operation touches {@link #ROWS} cells whatever the number of addresses seen: a flood
 * from 10<sup>6</sup> addresses costs what a flood from one does, in time and memory. What a
 * crowd of failing addresses does instead is raise the counts of everyone's cells, so wrong
 * passwords from every address are slowed sooner; that is harmless by design, because a lockout
 * only ever delays wrong passwords ({@link AuthBackoff}). Pure; the caller synchronises and
 * passes the time.
 */
final class FailureSketch {
  static final int ROWS = 4;
  static final int WIDTH = 4096;

  private final long[] seeds = new long[ROWS];
  private final int[] count = new int[ROWS * WIDTH];
  private final long[] last = new long[ROWS * WIDTH];
  private final long[] lockedUntil = new long[ROWS * WIDTH];
  private final int[] cells = new int[ROWS];

  FailureSketch(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < ROWS; i++) {
      seeds[i] = r.nextLong();
    }
  }

  /**
   * Records a failure of {@code key} at {@code now}: each of its cells counts it (a cell whose
   * last failure is older than {@code window} starts again at 1). Returns the key's count.
   */
  int fail(String key, long now, long window) {
    locate(key);
    int min = Integer.MAX_VALUE;
    for (int c : cells) {
      count[c] = now - last[c] > window || count[c] == 0 ? 1 : saturating(count[c]);
      last[c] = now;
      min = Math.min(min, count[c]);
    }
    return min;
  }

  /** Extends the lockout of {@code key}'s cells to at least {@code until}. */
  void lock(String key, long until) {
    locate(key);
    for (int c : cells) {
      if (until - lockedUntil[c] > 0) {
        lockedUntil[c] = until;
      }
    }
  }

  /** The end of {@code key}'s lockout (the earliest of its cells'); may be in the past. */
  long lockedUntil(String key) {
    locate(key);
    long until = lockedUntil[cells[0]];
    for (int i = 1; i < ROWS; i++) {
      long u = lockedUntil[cells[i]];
      if (u - until < 0) {
        until = u;
      }
    }
    return until;
  }

  /** Cells held: fixed, whatever was recorded. */
  int size() {
    return count.length;
  }

  private static int saturating(int n) {
    return n == Integer.MAX_VALUE ? n : n + 1;
  }

  private void locate(String key) {
    long h = seeds[0];
    for (int i = 0; i < key.length(); i++) { // at most 45 characters: an IP address
      h = (h ^ key.charAt(i)) * 0x100000001B3L;
    }
    for (int i = 0; i < ROWS; i++) {
      cells[i] = i * WIDTH + (int) (mix(h ^ seeds[i]) >>> 52); // WIDTH = 2^12
    }
  }

  /** The SplitMix64 finaliser. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
