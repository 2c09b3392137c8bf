package dev.floe.bench.load;

/**
 * A model of what a player hears, fed with one listener's audio arrival timeline.
 *
 * <p>The modelled player buffers until it has received {@code startBytes} of audio, then starts
 * playing and consumes audio at a constant {@code bytesPerSecond} (the stream's bit rate / 8).
 * Whenever its buffer is empty after playback started, it is silent: that time is counted as
 * <em>underrun</em>, and playback resumes as soon as the next bytes arrive (no re-buffering
 * threshold, so the figure is a lower bound of what a real player with a refill threshold would
 * drop). TCP silence shorter than the buffered audio is therefore inaudible and counts 0.
 *
 * <p>Exact integer arithmetic: the buffer is held in byte-nanoseconds (bytes times 10^9), so a
 * drain of {@code elapsedNs} at {@code bytesPerSecond} removes {@code elapsedNs * bytesPerSecond}.
 * Limits: the buffer may hold up to about 9 GB of audio before overflowing a long; arrival times
 * must not go backwards (an earlier time is treated as the same instant).
 *
 * <p>Not thread-safe: one instance per listener, fed by the thread that reads its socket. Pure:
 * the caller supplies every time stamp (any monotonic nanosecond clock).
 */
final class PlayerModel {
  private static final long NS = 1_000_000_000L;

  private final long startBytes;
  private final long bytesPerSecond;

  private long received;
  private long startNs = -1;
  private long lastNs = -1;
  /** Buffered audio, in bytes times 10^9. */
  private long bufferedScaled;
  private long underrunNs;
  private int underruns;
  /** Silent since the last arrival (so a further silent interval is the same underrun). */
  private boolean dry;

  /**
   * A player that starts after {@code startBytes} and then plays {@code bytesPerSecond}.
   *
   * @throws IllegalArgumentException unless {@code startBytes >= 0} and {@code bytesPerSecond > 0}
   */
  PlayerModel(long startBytes, long bytesPerSecond) {
    if (startBytes < 0 || bytesPerSecond <= 0) {
      throw new IllegalArgumentException("start bytes must be >= 0 and the rate > 0");
    }
    this.startBytes = startBytes;
    this.bytesPerSecond = bytesPerSecond;
  }

  /**
   * Parses {@code START_BYTES:BYTES_PER_SECOND}, for example {@code 65536:16000}.
   *
   * @throws IllegalArgumentException on a malformed or out-of-range value
   */
  static PlayerModel parse(String spec) {
    int colon = spec.indexOf(':');
    if (colon <= 0 || colon == spec.length() - 1) {
      throw new IllegalArgumentException("player model must be START_BYTES:BYTES_PER_SECOND");
    }
    return new PlayerModel(Long.parseLong(spec.substring(0, colon).trim()),
        Long.parseLong(spec.substring(colon + 1).trim()));
  }

  /** A fresh model with the same parameters. */
  PlayerModel copy() {
    return new PlayerModel(startBytes, bytesPerSecond);
  }

  /** {@code START_BYTES:BYTES_PER_SECOND}. */
  String spec() {
    return startBytes + ":" + bytesPerSecond;
  }

  /**
   * Records {@code bytes} of audio arriving at {@code nowNs}. Zero bytes only advance the clock.
   */
  void arrive(long nowNs, long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative byte count");
    }
    advance(nowNs);
    received += bytes;
    if (startNs < 0) {
      if (received >= startBytes && received > 0) {
        startNs = lastNs;
        bufferedScaled = received * NS;
      }
    } else if (bytes > 0) {
      bufferedScaled += bytes * NS;
      dry = false;
    }
  }

  /** Plays the buffer up to {@code nowNs} with no new audio (for example at the window's end). */
  void advance(long nowNs) {
    if (lastNs >= 0 && nowNs <= lastNs) {
      return;
    }
    if (startNs >= 0) {
      long need = (nowNs - lastNs) * bytesPerSecond;
      if (need > bufferedScaled) {
        // The buffer runs dry part-way: silent for the rest of the interval.
        long dryNs = (need - bufferedScaled) / bytesPerSecond;
        if (dryNs > 0) {
          if (!dry) {
            underruns++;
            dry = true;
          }
          underrunNs += dryNs;
        }
        bufferedScaled = 0;
      } else {
        bufferedScaled -= need;
      }
    }
    lastNs = nowNs;
  }

  /** Whether playback has started. */
  boolean started() {
    return startNs >= 0;
  }

  /** When playback started, or -1. */
  long startNs() {
    return startNs;
  }

  /** Total time the buffer was empty after playback started, up to the last event. */
  long underrunNs() {
    return underrunNs;
  }

  /** How many separate times the buffer ran dry. */
  int underruns() {
    return underruns;
  }

  /** Audio buffered at the last event, in whole bytes. */
  long bufferedBytes() {
    return bufferedScaled / NS;
  }
}
