package dev.floe.buffer.splice;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Finds where the first bytes of a new upstream connection overlap the audio Floe already holds,
 * so that a switch to a plain Icecast upstream (which has no stream positions) continues the stream
 * without a gap and without repeating a byte. A pure state machine: no I/O, no threads, no clock.
 * One thread at a time.
 *
 * <h2>What it looks for</h2>
 *
 * The incoming bytes are Icecast's burst (a run of the stream that starts at a frame boundary of
 * the server's queue) followed by live data. Call the tail Floe holds {@code T} (length {@code L})
 * and the incoming bytes {@code I}. An <em>alignment</em> {@code a} says "the first {@code a}
 * incoming bytes are already held": {@code I[a-1]} is {@code T[L-1]} and {@code I[a]} is the first
 * new byte. Its <em>consistent overlap</em> {@code c(a)} is the length of the longest common suffix
 * of {@code I[0..a)} and {@code T} (so {@code c(a) <= min(a, L)}). An alignment is accepted when
 *
 * <ul>
 *   <li>{@code c(a) >= K}, where {@code K = min(L, }{@value #NEEDLE_BYTES}{@code )}: the incoming
 *       bytes contain the tail's last {@code K} bytes (the needle) ending at {@code a}; the burst
 *       started before the tail or inside it; or
 *   <li>{@code c(a) == a >= M}, where {@code M = min(L, }{@value #MIN_OVERLAP_BYTES}{@code )}: the
 *       burst started inside the last {@code K} bytes of the tail, and the whole incoming prefix
 *       {@code I[0..a)} equals the tail's last {@code a} bytes.
 * </ul>
 *
 * Among accepted alignments the one with the longest consistent overlap wins, and among equals the
 * largest {@code a} (the last occurrence). Real audio gives one accepted alignment; several only
 * occur with repeating content such as digital silence (identical frames), where every accepted
 * alignment yields the same bytes: preferring the last one means identical frames are skipped
 * rather than repeated (the least repeated audio).
 *
 * <h2>When it decides</h2>
 *
 * An accepted alignment is <em>corroborated</em> when its consistent overlap is as long as it can
 * be, {@code c(a) == min(a, L)}: every incoming byte before {@code a}, or the whole tail, agrees.
 * The true alignment of a burst of the same stream always is.
 *
 * <ul>
 *   <li>{@link State#FOUND} as soon as a feed brings a full needle occurrence (the feed that does
 *       is scanned up to its first occurrence, then every alignment in the buffered bytes is
 *       ranked) and the best alignment is corroborated; or once {@code K} bytes have arrived and
 *       an alignment of the second kind exists (these are always corroborated, and they cannot
 *       change after that: each is shorter than {@code K}). With real audio this is the feed that
 *       completes the needle.
 *   <li>If the best alignment at the first needle occurrence is not corroborated (the needle is
 *       repeating content, e.g. the tail ends in digital silence and the burst holds more silence
 *       before the true alignment, or bytes that are not in the tail precede the burst), the
 *       matcher keeps buffering until {@code L} bytes past the end of that first occurrence have
 *       arrived (the true alignment of a needle inside a silence run of the tail is at most {@code
 *       L - K} bytes further), then
 *       ranks again and decides {@link State#FOUND}; {@link #finish()} or passing {@code
 *       maxSearchBytes} decide earlier.
 *   <li>{@link State#NOT_FOUND} once more than {@code maxSearchBytes} bytes were fed without an
 *       accepted alignment (the feed that crosses the limit is still examined whole), or on {@link
 *       #finish()} without one.
 * </ul>
 *
 * An overlap shorter than {@code M} bytes, in particular an overlap of zero (the burst starts
 * exactly at the first new byte), cannot be told apart from a gap, so it is {@link
 * State#NOT_FOUND}: the caller then joins at a frame boundary and counts a gap. When the whole
 * tail and burst are repeating content (a silent stream), every alignment in phase is corroborated
 * and the first needle occurrence decides, so which of these byte-identical alignments is chosen
 * may depend on how the bytes were split into feeds; with real audio it does not.
 *
 * <h2>Cost and memory</h2>
 *
 * Searching is linear: a Knuth-Morris-Pratt scan for the needle (amortised O(1) per byte, a match
 * may straddle feeds), then one Z-algorithm pass over the reversed tail and buffered bytes when
 * ranking ({@code O(L + n)}, at most three times per matcher). Feeds are copied into an internal
 * buffer while {@link State#SEARCHING} (at most {@code maxSearchBytes} plus one feed), and also
 * after the decision until {@link #takeRemainder()} is called (the caller should take it
 * promptly). Ranking briefly allocates two int arrays of {@code L + n + 1} entries.
 *
 * <p>For Ogg streams, Icecast sends the header pages before the burst. Fed as they come, they
 * precede the matched bytes and are counted in {@link #overlapBytes()} (discarded); when the burst
 * starts inside the tail the match is then not corroborated and waits for up to {@code L} more
 * bytes.
 * Callers that separate header pages first (as the chunker does) avoid both.
 */
public final class SpliceMatcher {

  /** Length of the needle: the tail's last bytes that must occur in the incoming bytes. */
  public static final int NEEDLE_BYTES = 4096;

  /** Least overlap accepted when the burst starts inside the needle region of the tail. */
  public static final int MIN_OVERLAP_BYTES = 1024;

  /** Progress of the search. */
  public enum State {
    /** No decision yet: feed more bytes or call {@link #finish()}. */
    SEARCHING,
    /** The overlap is known; {@link #takeRemainder()} starts at the first new byte. */
    FOUND,
    /** No provable overlap; {@link #takeRemainder()} returns every byte fed. */
    NOT_FOUND
  }

  private final byte[] tail;
  private final int needle; // K
  private final int minOverlap; // M
  private final int maxSearchBytes;
  private final int[] failure; // KMP failure function of the needle

  private int matched; // KMP state: needle bytes matched at the end of the buffer
  private boolean prefixRanked; // the alignments shorter than K have been ranked
  private byte[] buf = new byte[0];
  private int size;
  private State state = State.SEARCHING;
  private long overlap = -1;
  private boolean taken;
  private long confirmBy = -1; // an uncorroborated match was seen: rank again at this many bytes
  private int best; // set by rank()
  private boolean bestCertain; // set by rank()

  /**
   * A matcher for one upstream connection.
   *
   * @param tail the last bytes Floe holds, from its position to its limit (copied; the buffer's
   *     position is not changed); typically 8 to 16 KiB. If empty, the matcher is {@link
   *     State#NOT_FOUND} from the start.
   * @param maxSearchBytes how many incoming bytes to examine before giving up; at least 1
   */
  public SpliceMatcher(ByteBuffer tail, int maxSearchBytes) {
    this(tail, maxSearchBytes, NEEDLE_BYTES, MIN_OVERLAP_BYTES);
  }

  /** As the public constructor, with other needle and minimum-overlap lengths (for tests). */
  SpliceMatcher(ByteBuffer tail, int maxSearchBytes, int needleBytes, int minOverlapBytes) {
    Objects.requireNonNull(tail, "tail");
    if (maxSearchBytes < 1) {
      throw new IllegalArgumentException("maxSearchBytes must be at least 1: " + maxSearchBytes);
    }
    if (minOverlapBytes < 1 || needleBytes < minOverlapBytes) {
      throw new IllegalArgumentException(
          "need 1 <= minOverlapBytes <= needleBytes: " + minOverlapBytes + ", " + needleBytes);
    }
    ByteBuffer t = tail.duplicate();
    this.tail = new byte[t.remaining()];
    t.get(this.tail);
    this.maxSearchBytes = maxSearchBytes;
    this.needle = Math.min(this.tail.length, needleBytes);
    this.minOverlap = Math.min(this.tail.length, minOverlapBytes);
    this.failure = failureFunction(this.tail, this.tail.length - needle, needle);
    if (this.tail.length == 0) {
      state = State.NOT_FOUND;
    }
  }

  /**
   * Feeds incoming audio. While searching or until the remainder is taken, {@code in} is consumed
   * entirely (its position moves to its limit) and its bytes are buffered. Once {@link
   * #takeRemainder()} has been called, {@code in} is left untouched and nothing is buffered: the
   * caller passes the bytes on directly.
   *
   * @return the state after this feed
   */
  public State feed(ByteBuffer in) {
    Objects.requireNonNull(in, "in");
    if (taken) {
      return state;
    }
    int from = size;
    append(in);
    if (state != State.SEARCHING) {
      return state;
    }
    if (confirmBy >= 0) {
      if (size >= confirmBy || size > maxSearchBytes) {
        return finish();
      }
      return state;
    }
    int hit = scan(from, size);
    if (hit >= 0 || (!prefixRanked && size >= needle)) {
      prefixRanked = true;
      if (rank()) {
        if (bestCertain) {
          found();
          return state;
        }
        confirmBy = (long) hit + tail.length;
        if (size >= confirmBy) {
          return finish();
        }
      }
    }
    if (size > maxSearchBytes) {
      return finish();
    }
    return state;
  }

  /**
   * Ends the search now (the burst is over, or a timer fired): {@link State#FOUND} if an accepted
   * alignment is already present in the bytes fed, else {@link State#NOT_FOUND}. After a decision
   * it only returns the state.
   */
  public State finish() {
    if (state == State.SEARCHING) {
      if (rank()) {
        found();
      } else {
        state = State.NOT_FOUND;
      }
    }
    return state;
  }

  /** The current state. */
  public State state() {
    return state;
  }

  /**
   * The buffered bytes to pass on: after {@link State#FOUND} those after the overlap (the first new
   * byte first), after {@link State#NOT_FOUND} every byte fed. Includes bytes fed after the
   * decision. A second call returns an empty buffer. The returned buffer is the caller's.
   *
   * @throws IllegalStateException while {@link State#SEARCHING}
   */
  public ByteBuffer takeRemainder() {
    if (state == State.SEARCHING) {
      throw new IllegalStateException("still searching");
    }
    if (taken) {
      return ByteBuffer.allocate(0);
    }
    int from = state == State.FOUND ? (int) overlap : 0;
    ByteBuffer out = ByteBuffer.wrap(buf, from, size - from).slice();
    taken = true;
    buf = null;
    size = 0;
    return out;
  }

  /**
   * How many incoming bytes, from the first, were already held and are discarded.
   *
   * @throws IllegalStateException unless {@link State#FOUND}
   */
  public long overlapBytes() {
    if (state != State.FOUND) {
      throw new IllegalStateException("no overlap: " + state);
    }
    return overlap;
  }

  // ------------------------------------------------------------------ internals

  private void append(ByteBuffer in) {
    int n = in.remaining();
    if (n > buf.length - size) {
      long want = Math.max((long) size + n, Math.max(8192L, 2L * buf.length));
      byte[] grown = new byte[(int) Math.min(want, Integer.MAX_VALUE - 8)];
      System.arraycopy(buf, 0, grown, 0, size);
      buf = grown;
    }
    in.get(buf, size, n);
    size += n;
  }

  /**
   * KMP scan of {@code buf[from..to)} for the needle; stops at the first occurrence and returns
   * where it ends, or -1.
   */
  private int scan(int from, int to) {
    if (needle == 0) {
      return -1;
    }
    int base = tail.length - needle;
    int q = matched;
    for (int i = from; i < to; i++) {
      byte b = buf[i];
      while (q > 0 && tail[base + q] != b) {
        q = failure[q - 1];
      }
      if (tail[base + q] == b) {
        q++;
      }
      if (q == needle) {
        matched = failure[q - 1];
        return i + 1;
      }
    }
    matched = q;
    return -1;
  }

  private static int[] failureFunction(byte[] p, int off, int len) {
    int[] f = new int[len];
    int k = 0;
    for (int i = 1; i < len; i++) {
      while (k > 0 && p[off + k] != p[off + i]) {
        k = f[k - 1];
      }
      if (p[off + k] == p[off + i]) {
        k++;
      }
      f[i] = k;
    }
    return f;
  }

  /**
   * Ranks every alignment in the buffered bytes: sets {@link #best} and {@link #bestCertain} and
   * returns true if one is accepted.
   */
  private boolean rank() {
    int[] c = consistentOverlaps();
    int bestA = -1;
    int bestC = -1;
    for (int a = 1; a <= size; a++) {
      int ca = c[a];
      boolean accepted = ca >= needle || ca == a && a >= minOverlap;
      if (accepted && ca >= bestC) {
        bestA = a;
        bestC = ca;
      }
    }
    if (bestA < 0) {
      return false;
    }
    best = bestA;
    bestCertain = bestC == Math.min(bestA, tail.length);
    return true;
  }

  private void found() {
    overlap = best;
    state = State.FOUND;
  }

  /**
   * {@code c[a]}, for {@code a} in {@code 1..size}: the longest common suffix of {@code
   * buf[0..a)} and the tail. One Z-algorithm pass over {@code reverse(tail) + sentinel +
   * reverse(buf[0..size))}: the Z value at the reversed text's index {@code size - a} is {@code
   * c[a]}.
   */
  private int[] consistentOverlaps() {
    int len = tail.length;
    int total = len + 1 + size;
    int[] sym = new int[total];
    for (int i = 0; i < len; i++) {
      sym[i] = tail[len - 1 - i] & 0xFF;
    }
    sym[len] = -1; // no byte equals it: matches never cross from the tail into the buffer
    for (int i = 0; i < size; i++) {
      sym[len + 1 + i] = buf[size - 1 - i] & 0xFF;
    }
    int[] z = new int[total];
    int l = 0;
    int r = 0;
    for (int i = 1; i < total; i++) {
      int k = i < r ? Math.min(r - i, z[i - l]) : 0;
      while (i + k < total && sym[k] == sym[i + k]) {
        k++;
      }
      z[i] = k;
      if (i + k > r) {
        l = i;
        r = i + k;
      }
    }
    int[] c = new int[size + 1];
    for (int a = 1; a <= size; a++) {
      c[a] = z[len + 1 + (size - a)];
    }
    return c;
  }
}
