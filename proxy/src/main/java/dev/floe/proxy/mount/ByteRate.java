package dev.floe.proxy.mount;

/**
 * A stream's byte rate, measured over windows of at least 10 s (bursts at connect average out)
 * and smoothed (3/4 old, 1/4 new). Measured on the writer thread; {@link #measured} is read from
 * any thread.
 */
final class ByteRate {
  static final long WINDOW_NANOS = 10_000_000_000L;

  private long windowNanos;
  private long windowPosition;
  private volatile long bytesPerSecond;

  /** The stream is at {@code position} at {@code now} (nanoseconds). */
  void measure(long now, long position) {
    if (windowNanos == 0) {
      windowNanos = now;
      windowPosition = position;
    } else if (now - windowNanos >= WINDOW_NANOS) {
      long rate = (position - windowPosition) * 1_000_000_000L / (now - windowNanos);
      bytesPerSecond = bytesPerSecond == 0 ? rate : (bytesPerSecond * 3 + rate) / 4;
      windowNanos = now;
      windowPosition = position;
    }
  }

  /** Positions start over (a new segment): the next {@link #measure} opens a new window. */
  void restart() {
    windowNanos = 0;
  }

  /** The rate measured, in bytes per second; 0 before a first window closed. */
  long measured() {
    return bytesPerSecond;
  }
}
