package dev.floe.proxy.it.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a player with a small buffer hears, fed with one listener's audio arrival times by
 * {@link RawListener} ({@link RawListener.Builder#player}).
 *
 * <p>The player waits until it holds {@code startBytes} (1 s of audio by default, "a 1 s
 * buffer"), then plays {@code bytesPerSecond} for ever. Whenever its buffer is empty it is
 * silent: a <em>stall</em>, which ends as soon as bytes arrive (no re-buffering threshold, so a
 * real player's stall is at least this long). Each stall is kept with the time it began, so a
 * test can compare it with a source gap. {@link #until} plays on to a given instant with no new
 * bytes, so a player that stopped receiving shows the stall it hears now.
 *
 * <p>Thread-safe: the reader thread feeds it, the test reads it.
 */
public final class PlayerBuffer {
  private static final long NS = 1_000_000_000L;

  /** One silence: when it began ({@link System#nanoTime()}) and how long it lasted so far. */
  public record Stall(long startNanos, long nanos) {
    public Duration length() {
      return Duration.ofNanos(nanos);
    }
  }

  private final long startBytes;
  private final long bytesPerSecond;
  private final List<Stall> stalls = new ArrayList<>();
  private long received;
  private long playingSince = -1;
  private long lastNanos = -1;
  /** Audio held, in bytes times 10^9 (exact arithmetic). */
  private long heldScaled;
  private long dryNanos = -1;

  /** A player that starts once it holds {@code startBytes} and plays {@code bytesPerSecond}. */
  public PlayerBuffer(long startBytes, long bytesPerSecond) {
    if (startBytes <= 0 || bytesPerSecond <= 0) {
      throw new IllegalArgumentException("start bytes and rate must be > 0");
    }
    this.startBytes = startBytes;
    this.bytesPerSecond = bytesPerSecond;
  }

  /** A player with a 1 s buffer for a stream of {@code bytesPerSecond}. */
  public static PlayerBuffer oneSecond(long bytesPerSecond) {
    return new PlayerBuffer(bytesPerSecond, bytesPerSecond);
  }

  /** {@code bytes} of audio arrived at {@code nanos}. */
  public synchronized void arrive(long nanos, long bytes) {
    until(nanos);
    received += bytes;
    if (playingSince < 0) {
      if (received >= startBytes) {
        playingSince = nanos;
        heldScaled = received * NS;
      }
      return;
    }
    if (bytes > 0) {
      heldScaled += bytes * NS;
      if (dryNanos >= 0) {
        stalls.add(new Stall(dryNanos, nanos - dryNanos));
        dryNanos = -1;
      }
    }
  }

  /** Plays on to {@code nanos} with no new audio. */
  public synchronized void until(long nanos) {
    if (lastNanos >= 0 && nanos <= lastNanos) {
      return;
    }
    if (playingSince >= 0 && dryNanos < 0) {
      long need = (nanos - lastNanos) * bytesPerSecond;
      if (need > heldScaled) {
        dryNanos = lastNanos + heldScaled / bytesPerSecond;
        heldScaled = 0;
      } else {
        heldScaled -= need;
      }
    }
    lastNanos = nanos;
  }

  /** Whether playback has started. */
  public synchronized boolean playing() {
    return playingSince >= 0;
  }

  /** Audio held now, in seconds (after playing on to now). */
  public synchronized double heldSeconds() {
    until(System.nanoTime());
    return heldScaled / (double) NS / bytesPerSecond;
  }

  /** Every stall so far, the one going on now included (played on to now). */
  public synchronized List<Stall> stalls() {
    long now = System.nanoTime();
    until(now);
    List<Stall> out = new ArrayList<>(stalls);
    if (dryNanos >= 0) {
      out.add(new Stall(dryNanos, now - dryNanos));
    }
    return out;
  }

  /** The stalls that began at or after {@code fromNanos} and before {@code toNanos}. */
  public List<Stall> stallsBetween(long fromNanos, long toNanos) {
    List<Stall> out = new ArrayList<>();
    for (Stall s : stalls()) {
      if (s.startNanos() >= fromNanos && s.startNanos() < toNanos) {
        out.add(s);
      }
    }
    return out;
  }

  /** The total silence of the stalls that began in [{@code fromNanos}, {@code toNanos}). */
  public Duration silenceBetween(long fromNanos, long toNanos) {
    return Duration.ofNanos(
        stallsBetween(fromNanos, toNanos).stream().mapToLong(Stall::nanos).sum());
  }

  /** The total silence heard so far. */
  public Duration silence() {
    return Duration.ofNanos(stalls().stream().mapToLong(Stall::nanos).sum());
  }

  @Override
  public synchronized String toString() {
    return "player(start " + startBytes + " B, " + bytesPerSecond + " B/s, received " + received
        + ", stalls " + stalls + (dryNanos >= 0 ? ", dry now" : "") + ")";
  }
}
