package dev.floe.swarm.schedule;

/**
 * A token bucket in bytes with the time injected (milliseconds): filled at a constant rate up to
 * its burst. {@link #force} may take it below zero (committed pushes), which holds back optional
 * sends until it refills. Mutable; not thread-safe.
 */
public final class TokenBucket {
  private final double perMs;
  private final double burst;
  private double tokens;
  private long at;

  /** A full bucket at {@code now}, filled at {@code bytesPerSecond} up to {@code burst} bytes. */
  public TokenBucket(double bytesPerSecond, double burst, long now) {
    this.perMs = bytesPerSecond / 1000;
    this.burst = burst;
    this.tokens = burst;
    this.at = now;
  }

  /** Tokens at {@code now} (negative after forced sends). */
  public double tokens(long now) {
    if (now > at) {
      tokens = Math.min(burst, tokens + (now - at) * perMs);
      at = now;
    }
    return tokens;
  }

  /** Takes {@code n} tokens if there are that many. */
  public boolean tryTake(long now, double n) {
    if (tokens(now) < n) {
      return false;
    }
    tokens -= n;
    return true;
  }

  /** Takes {@code n} tokens whatever is left. */
  public void force(long now, double n) {
    tokens(now);
    tokens -= n;
  }

  /** The burst (capacity) in bytes. */
  public double burst() {
    return burst;
  }
}
