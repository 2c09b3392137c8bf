package dev.floe.proxy.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a remote address): {@code burst} tokens, refilled at {@code rate}
 * per second; each request takes one. Thread-safe; the clock is injected. Memory is bounded:
 * past {@code maxKeys} keys, buckets that have refilled completely (which a new bucket equals)
 * are forgotten.
 */
final class TokenBuckets {
  private final double perNano;
  private final int burst;
  private final LongSupplier nanos;
  private final int maxKeys;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** Tokens at the time of the last refill; changed only inside the map's compute. */
  private static final class Bucket {
    double tokens;
    long at;
  }

  TokenBuckets(int rate, int burst, LongSupplier nanos, int maxKeys) {
    this.perNano = rate / 1e9;
    this.burst = burst;
    this.nanos = nanos;
    this.maxKeys = maxKeys;
  }

  /** Takes a token for {@code key}: 0 when one was there, else the nanoseconds until one is. */
  long take(String key) {
    long now = nanos.getAsLong();
    if (buckets.size() > maxKeys) {
      buckets.values().removeIf(b -> b.tokens + (now - b.at) * perNano >= burst);
    }
    long[] wait = {0};
    buckets.compute(key, (k, b) -> {
      Bucket s = b;
      if (s == null) {
        s = new Bucket();
        s.tokens = burst;
      } else {
        s.tokens = Math.min(burst, s.tokens + (now - s.at) * perNano);
      }
      s.at = now;
      if (s.tokens >= 1) {
        s.tokens -= 1;
      } else {
        wait[0] = (long) Math.ceil((1 - s.tokens) / perNano);
      }
      return s;
    });
    return wait[0];
  }
}
