package dev.floe.proxy.playlist;

/**
 * Real-time pacing of frames against an injected monotonic clock. The media position (how much
 * playing time has been released) may run at most {@code lead} ahead of the time elapsed since
 * the origin: a frame is due while {@code media < now - origin + lead}. The lead is sent at once
 * at the start (it fills the mount's burst), then frames go out at the files' own rate, so over
 * any span the byte rate equals the files' bitrate and nothing runs ahead beyond the lead. A pure
 * state machine: the caller passes the clock's readings in nanoseconds.
 */
public final class Pacer {
  private long leadNanos;
  private long originNanos;
  private long mediaNanos;

  /** Media position 0 at clock reading {@code nowNanos}. */
  public Pacer(long nowNanos, long leadNanos) {
    if (leadNanos < 0) {
      throw new IllegalArgumentException("lead < 0");
    }
    this.originNanos = nowNanos;
    this.leadNanos = leadNanos;
  }

  /** Whether the next frame (starting at the current media position) may be sent now. */
  public boolean due(long nowNanos) {
    return mediaNanos < nowNanos - originNanos + leadNanos;
  }

  /** A frame of {@code nanos} playing time was sent (or a gap of that length passed). */
  public void advance(long nanos) {
    mediaNanos += nanos;
  }

  /** Changes the lead (the first item's bitrate is known only once it is open). */
  public void lead(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("lead < 0");
    }
    this.leadNanos = nanos;
  }

  /** Media time released since the origin. */
  public long media() {
    return mediaNanos;
  }

  /**
   * After a pause (a live source had the mount): the media position continues from here as if
   * it were the start again, with a fresh lead for the new burst.
   */
  public void restart(long nowNanos) {
    originNanos = nowNanos - mediaNanos;
  }

  /** The clock reading at which media position {@code media} is due, without the lead. */
  public long clockAt(long media) {
    return originNanos + media;
  }
}
