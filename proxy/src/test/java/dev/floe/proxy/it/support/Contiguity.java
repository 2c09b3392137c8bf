package dev.floe.proxy.it.support;

import java.util.Arrays;

/**
 * Checks that a recording {@code E} is one contiguous run of a reference recording {@code R}:
 * finds where E's first {@value #DEFAULT_KEY} bytes (the key) occur in R, then compares E with
 * {@code R[off, off + len(E))} byte for byte.
 *
 * <p>When the key occurs more than once, every occurrence (up to {@value #MAX_CANDIDATES}) is
 * verified in full and the first one that matches wins; when none matches, the one with the
 * longest matching prefix is reported with its first mismatch. The search is naive (quadratic in
 * the worst case), which is fine for recordings of a few MiB of compressed audio: the comparison
 * ends at the first differing byte. Pure: no I/O, no clock.
 */
public final class Contiguity {

  /** Bytes of E searched for in R by default. */
  public static final int DEFAULT_KEY = 4096;

  /** Occurrences of the key that are verified at most. */
  public static final int MAX_CANDIDATES = 64;

  private Contiguity() {
  }

  /**
   * The outcome of one check.
   *
   * @param referenceLength bytes in R
   * @param excerptLength bytes in E
   * @param candidates occurrences of the key in R (capped at {@link #MAX_CANDIDATES}); 0 when
   *     E's start is not in R at all
   * @param offset where E starts in R (the chosen occurrence), -1 when not found
   * @param firstMismatch index in E of the first byte that differs from R, -1 when none
   * @param pastEnd bytes of E beyond the end of R (those could not be compared), 0 when none
   */
  public record Result(int referenceLength, int excerptLength, int candidates, int offset,
      int firstMismatch, int pastEnd) {

    /** Whether E's start was found in R. */
    public boolean found() {
      return offset >= 0;
    }

    /** Found, no mismatching byte, and E does not run past the end of R. */
    public boolean contiguous() {
      return found() && firstMismatch < 0 && pastEnd == 0;
    }

    /** Bytes of E that equal R from {@link #offset()} on, before the first mismatch or R's end. */
    public int matched() {
      if (!found()) {
        return 0;
      }
      return firstMismatch >= 0 ? firstMismatch : excerptLength - pastEnd;
    }

    /** A one-line explanation for assertion messages. */
    public String describe() {
      if (!found()) {
        return "the first " + Math.min(DEFAULT_KEY, excerptLength) + " bytes of the excerpt ("
            + excerptLength + " bytes) do not occur in the reference (" + referenceLength
            + " bytes)";
      }
      StringBuilder s = new StringBuilder("excerpt of ").append(excerptLength)
          .append(" bytes starts at reference offset ").append(offset).append(" (")
          .append(candidates).append(" candidate(s), reference ").append(referenceLength)
          .append(" bytes)");
      if (firstMismatch >= 0) {
        s.append("; first mismatch at excerpt byte ").append(firstMismatch)
            .append(" (reference byte ").append((long) offset + firstMismatch).append(')');
      } else {
        s.append("; ").append(matched()).append(" bytes equal");
      }
      if (pastEnd > 0) {
        s.append("; ").append(pastEnd).append(" bytes run past the end of the reference");
      }
      return s.toString();
    }
  }

  /** {@link #check(byte[], byte[], int)} with a {@value #DEFAULT_KEY}-byte key. */
  public static Result check(byte[] reference, byte[] excerpt) {
    return check(reference, excerpt, DEFAULT_KEY);
  }

  /**
   * Locates {@code excerpt} in {@code reference} and compares it.
   *
   * @param reference the complete recording R
   * @param excerpt the recording E that should be a contiguous part of R; not empty
   * @param keyLength how many of E's first bytes to search for (fewer when E is shorter)
   * @return the outcome; never null
   */
  public static Result check(byte[] reference, byte[] excerpt, int keyLength) {
    if (excerpt.length == 0) {
      throw new IllegalArgumentException("empty excerpt: nothing to locate");
    }
    if (keyLength <= 0) {
      throw new IllegalArgumentException("keyLength must be positive: " + keyLength);
    }
    int key = Math.min(keyLength, excerpt.length);
    Result best = null;
    int candidates = 0;
    for (int from = 0; candidates < MAX_CANDIDATES; from++) {
      int at = indexOf(reference, excerpt, key, from);
      if (at < 0) {
        break;
      }
      candidates++;
      from = at;
      Result r = compare(reference, excerpt, at, 0);
      if (r.firstMismatch() < 0) {
        best = r;
        break;
      }
      if (best == null || r.firstMismatch() > best.firstMismatch()) {
        best = r;
      }
    }
    if (best == null) {
      return new Result(reference.length, excerpt.length, 0, -1, -1, 0);
    }
    return new Result(reference.length, excerpt.length, candidates, best.offset(),
        best.firstMismatch(), best.pastEnd());
  }

  private static Result compare(byte[] reference, byte[] excerpt, int offset, int candidates) {
    int comparable = Math.min(excerpt.length, reference.length - offset);
    int mismatch = Arrays.mismatch(reference, offset, offset + comparable, excerpt, 0,
        comparable);
    return new Result(reference.length, excerpt.length, candidates, offset, mismatch,
        excerpt.length - comparable);
  }

  /** First index >= from where needle[0, len) occurs in haystack, -1 when none. */
  private static int indexOf(byte[] haystack, byte[] needle, int len, int from) {
    byte first = needle[0];
    for (int i = from; i <= haystack.length - len; i++) {
      if (haystack[i] == first
          && Arrays.equals(haystack, i, i + len, needle, 0, len)) {
        return i;
      }
    }
    return -1;
  }
}
