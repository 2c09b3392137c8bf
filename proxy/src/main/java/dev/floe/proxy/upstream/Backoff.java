package dev.floe.proxy.upstream;

import java.time.Duration;
import java.util.function.LongBinaryOperator;

/**
 * When to try an upstream again after a whole round of upstreams failed: fast while an outage is
 * young, polite once it lasts. A pure state machine: the time and the random draw are passed in.
 *
 * <ul>
 *   <li>For the first {@code fastFor} of an outage, each delay is drawn uniformly from {@code
 *       [min, ceiling]} with the ceiling doubling from {@code min} up to {@code fast} (100 ms to
 *       500 ms by default): audio returns within about half a second of a short outage's end.
 *   <li>After that, full jitter: uniform in {@code [min, ceiling]} with the ceiling growing from
 *       twice {@code fast} by a factor of 2 per attempt up to {@code max} (60 s by default), so a
 *       station that stays down gets about two attempts a minute from each node, spread out.
 *   <li>A refusal backs off faster: a {@link Failure#NOT_FOUND} (no such mount yet) keeps the
 *       fast start, since a source reconnecting looks like that for a second, but its ceiling
 *       then grows by 4 per attempt; a {@link Failure#REFUSED} (401, 403, an answer that is not
 *       audio) skips the fast start, as it does not heal within seconds, and draws from the upper
 *       half {@code [ceiling/2, ceiling]} (2 s, 8 s, 32 s ceilings): a refusing server gets a
 *       delay that surely grows, at most 3 attempts in any first 5 s and 4 in the first 21 s.
 * </ul>
 *
 * <p>{@link #reset()} after audio flowed again starts a new outage.
 */
final class Backoff {
  /** How an attempt failed. */
  enum Failure {
    /** Connection refused, dropped, timed out, stalled, a server error. */
    DROPPED,
    /** 404 or 410: the mount is not there (yet). */
    NOT_FOUND,
    /** 401 or 403, or an answer that is not audio: retrying soon will not help. */
    REFUSED;

    /** The failure an HTTP status means, or {@link #DROPPED} for any other. */
    static Failure ofStatus(int status) {
      return switch (status) {
        case 401, 403 -> REFUSED;
        case 404, 410 -> NOT_FOUND;
        default -> DROPPED;
      };
    }
  }

  private final long min;
  private final long fast;
  private final long fastFor;
  private final long max;
  /** Draws a long uniformly from {@code [a, b]}. */
  private final LongBinaryOperator uniform;
  private long outageStart = -1;
  private int fastAttempts;
  private int politeAttempts;

  /**
   * @param uniform draws uniformly from the closed range of its two arguments
   */
  Backoff(Duration min, Duration fast, Duration fastFor, Duration max,
      LongBinaryOperator uniform) {
    this.min = min.toMillis();
    this.max = Math.max(this.min, max.toMillis());
    this.fast = Math.min(this.max, Math.max(this.min, fast.toMillis()));
    this.fastFor = fastFor.toMillis();
    this.uniform = uniform;
  }

  /** Audio flowed: the next failure starts a new outage. */
  void reset() {
    outageStart = -1;
    fastAttempts = 0;
    politeAttempts = 0;
  }

  /** Whether the current outage is past its fast start (for logging). */
  boolean polite() {
    return politeAttempts > 0;
  }

  /**
   * The delay before the next attempt, in milliseconds.
   *
   * @param failure how the last attempt failed
   * @param nowMillis a monotonic clock in milliseconds
   */
  long next(Failure failure, long nowMillis) {
    if (outageStart < 0) {
      outageStart = nowMillis;
    }
    boolean young = nowMillis - outageStart < fastFor && failure != Failure.REFUSED;
    long ceiling;
    if (young && politeAttempts == 0) {
      ceiling = Math.min(fast, min << Math.min(fastAttempts++, 20));
    } else {
      int shift = (failure == Failure.DROPPED ? 1 : 2) * Math.min(++politeAttempts, 15);
      ceiling = Math.min(max, Math.min(max, fast) << Math.min(shift, 30));
    }
    ceiling = Math.max(min, ceiling);
    long floor = failure == Failure.REFUSED ? Math.max(min, ceiling / 2) : min;
    return uniform.applyAsLong(floor, ceiling);
  }
}
