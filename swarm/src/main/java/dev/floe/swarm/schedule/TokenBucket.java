package dev.floe.swarm.schedule;

/**
 * The project's one token bucket, with the time injected: filled at a constant rate up to its
 * burst. {@link #force} may take it below zero (committed pushes, refused requests counted as
 * debt), which holds back later takes until it refills. The swarm's upload budget counts bytes
 * in milliseconds, its request guard chunks in milliseconds, and the proxy's admin rate limiter
 * requests in nanoseconds. Mutable; not thread-safe.
 */
public final class TokenBucket {
  private final double perTick;
  private final double burst;
  private double tokens;
  private long at;

  /** A full bucket at {@code nowMillis}, filled at {@code bytesPerSecond} up to {@code burst}. */
  public TokenBucket(double bytesPerSecond, double burst, long nowMillis) {
    this(burst, nowMillis, bytesPerSecond / 1000);
  }

  private TokenBucket(double burst, long now, double perTick) {
    this.perTick = perTick;
    this.burst = burst;
    this.tokens = burst;
    this.at = now;
  }

  /**
   * A full bucket at {@code now} on a clock of any unit, filled by {@code perTick} tokens per
   * unit of that clock up to {@code burst}.
   */
  public static TokenBucket perTick(double perTick, double burst, long now) {
    return new TokenBucket(burst, now, perTick);
  }

  /** Tokens at {@code now} (negative after forced takes); a clock that steps back adds none. */
  public double tokens(long now) {
    if (now > at) {
      tokens = Math.min(burst, tokens + (now - at) * perTick);
      at = now;
    }
    return tokens;
  }

  /** Clock units from {@code now} until {@code n} tokens are there (0 if they are). */
  public long ticksUntil(long now, double n) {
    double missing = n - tokens(now);
    return missing <= 0 ? 0 : (long) Math.ceil(missing / perTick);
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
