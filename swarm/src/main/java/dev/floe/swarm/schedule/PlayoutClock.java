package dev.floe.swarm.schedule;

import java.util.function.LongConsumer;
import java.util.function.LongUnaryOperator;

/**
 * A node's playout clock: when each chunk is due and which one plays next.
 *
 * <p>The tracker's answer (or the first HELLO or chunk) anchors origin times, and every newer
 * verified chunk moves the anchor to itself (chunk durations are only nominal: 522 ms MP3 chunks
 * counted as 500 ms drift 7 s in 3 minutes); chunk {@code seq} is due at its origin time,
 * extrapolated from the anchor, plus the lag. The node starts at the first chunk due
 * {@value Scheduler#STARTUP_MS} ms or more after it is anchored; continuity counts chunks due from
 * {@value Scheduler#WARMUP_MS} ms after joining (DONet's definition). The origin is anchored too (its
 * own chunks) but plays nothing. Time is passed in (ms on one monotonic clock). Mutable; not
 * thread-safe.
 */
final class PlayoutClock {
  private final boolean origin;
  private final int chunkMs;
  private int lagMs;
  private boolean anchored;
  private long anchorSeq;
  private long anchorTime;
  private long playSeq = -1;
  private long firstPlaySeq = -1;
  private long joinedAt;
  private long startupMs = -1;

  /** A clock not yet anchored; {@code now} counts as the join time until {@link #join}. */
  PlayoutClock(int chunkMs, int lagMs, boolean origin, long now) {
    this.chunkMs = chunkMs;
    this.lagMs = lagMs;
    this.origin = origin;
    this.joinedAt = now;
  }

  /** The node joins now: warm-up and startup delay count from here. */
  void join(long now) {
    joinedAt = now;
  }

  /** The lag in force. */
  int lagMs() {
    return lagMs;
  }

  /** Another lag; only before the clock is anchored (the caller checks). */
  void lagMs(int lagMs) {
    this.lagMs = lagMs;
  }

  /** Whether origin times are anchored (and, on a peer, the play point set). */
  boolean anchored() {
    return anchored;
  }

  /** The next chunk to play (-1 before the node is anchored). */
  long playSeq() {
    return playSeq;
  }

  /** The first chunk played, -1 before any. */
  long firstPlaySeq() {
    return firstPlaySeq;
  }

  /** From joining to the first chunk to play arriving, ms; -1 before it came. */
  long startupMs() {
    return startupMs;
  }

  /** Un-anchors, for a new epoch: the next anchor sets the play point again. */
  void reset() {
    anchored = false;
    playSeq = -1;
    firstPlaySeq = -1;
  }

  /**
   * Anchors origin times on a verified chunk header: the first one also sets the play point; a
   * newer one moves the anchor to it. Real chunks are not exactly {@code chunkMs} long (MP3 frames
   * of 26.1 ms cut near 500 ms give 522 ms), so deadlines extrapolated from the first anchor drift
   * off the origin's clock (7 s after 3 minutes: the whole swarm then missed its deadlines and
   * fell back for good), while from the newest chunk the error stays within a few chunks' worth.
   *
   * @return whether this set a peer's play point (its first anchor)
   */
  boolean anchor(long now, long seq, long originTime) {
    if (anchored) {
      if (seq > anchorSeq) {
        anchorSeq = seq;
        anchorTime = originTime;
      }
      return false;
    }
    anchored = true;
    anchorSeq = seq;
    anchorTime = originTime;
    if (origin) {
      return false;
    }
    long t = now + Scheduler.STARTUP_MS - lagMs - anchorTime;
    playSeq = Math.max(0, anchorSeq - Math.floorDiv(-t, chunkMs));
    firstPlaySeq = playSeq;
    return true;
  }

  /** Chunk {@code seq} arrived at {@code now}: the first one at or after the play point ends startup. */
  void arrived(long seq, long now) {
    if (startupMs < 0 && firstPlaySeq >= 0 && seq >= firstPlaySeq) {
      startupMs = now - joinedAt;
    }
  }

  /** When chunk {@code seq} was cut at the origin, extrapolated from the anchor. */
  long originTime(long seq) {
    return anchorTime + (seq - anchorSeq) * chunkMs;
  }

  /** When chunk {@code seq} is due for playout (meaningful once anchored). */
  long deadline(long seq) {
    return anchorTime + (seq - anchorSeq) * chunkMs + lagMs;
  }

  /** The deadlines as they stand now, in a copy that a later anchor or epoch does not move. */
  LongUnaryOperator deadlines() {
    long t = anchorTime;
    long s0 = anchorSeq;
    int chunk = chunkMs;
    int lag = lagMs;
    return seq -> t + (seq - s0) * chunk + lag;
  }

  /** The newest seq the origin has surely cut and sent by {@code now}. */
  long produced(long now) {
    return anchorSeq + Math.floorDiv(now - anchorTime - chunkMs, chunkMs);
  }

  /**
   * Moves the play point past every chunk due by {@code now}, handing each one due after the
   * warm-up to {@code counted} (those are the ones continuity and the fallback count).
   */
  void playDue(long now, LongConsumer counted) {
    while (deadline(playSeq) <= now) {
      long seq = playSeq++;
      if (deadline(seq) < joinedAt + Scheduler.WARMUP_MS) {
        continue;
      }
      counted.accept(seq);
    }
  }
}
