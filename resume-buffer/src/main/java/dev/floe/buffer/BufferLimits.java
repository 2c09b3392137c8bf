package dev.floe.buffer;

import java.time.Duration;

/**
 * How much a {@link StreamBuffer} keeps.
 *
 * @param maxBytes audio bytes held at most (the newest chunk is kept even when it alone is larger);
 *     must be positive
 * @param maxAgeNanos chunks older than this are evicted on the next append; 0 means no age limit
 */
public record BufferLimits(long maxBytes, long maxAgeNanos) {

  public BufferLimits {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be > 0: " + maxBytes);
    }
    if (maxAgeNanos < 0) {
      throw new IllegalArgumentException("maxAgeNanos must be >= 0 (0 = no age limit): " + maxAgeNanos);
    }
  }

  /** A byte limit and no age limit. */
  public static BufferLimits ofBytes(long maxBytes) {
    return new BufferLimits(maxBytes, 0);
  }

  /**
   * A byte limit and an age limit; a null or zero {@code maxAge} means no age limit. Durations too
   * long for a {@code long} of nanoseconds are capped (about 292 years).
   */
  public static BufferLimits of(long maxBytes, Duration maxAge) {
    if (maxAge == null || maxAge.isZero()) {
      return ofBytes(maxBytes);
    }
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge must not be negative: " + maxAge);
    }
    long nanos;
    try {
      nanos = maxAge.toNanos();
    } catch (ArithmeticException tooLong) {
      nanos = Long.MAX_VALUE;
    }
    return new BufferLimits(maxBytes, nanos);
  }

  /** True when chunks are also evicted by age. */
  public boolean hasAgeLimit() {
    return maxAgeNanos > 0;
  }
}
