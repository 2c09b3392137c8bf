package dev.floe.proxy.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a remote address): {@code burst} tokens, refilled at {@code rate}
 * per second; each request takes one. Thread-safe; the clock is injected. Memory is bounded and
 * each take is O(1): past {@code maxKeys} keys the least recently used bucket is forgotten (a key
 * seen again then starts full, as a new one does).
 */
final class TokenBuckets {
  private final double perNano;
  private final int burst;
  private final LongSupplier nanos;
  private final int maxKeys;
  private final Map<String, Bucket> buckets;

  /** Tokens at the time of the last refill; changed only under the map's lock. */
  private static final class Bucket {
    double tokens;
    long at;
  }

  TokenBuckets(int rate, int burst, LongSupplier nanos, int maxKeys) {
    this.perNano = rate / 1e9;
    this.burst = burst;
    this.nanos = nanos;
    this.maxKeys = maxKeys;
    this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
        return size() > TokenBuckets.this.maxKeys;
      }
    };
  }

  /** Takes a token for {@code key}: 0 when one was there, else the nanoseconds until one is. */
  long take(String key) {
    long now = nanos.getAsLong();
    long wait = 0;
    synchronized (buckets) {
      Bucket s = buckets.get(key);
      if (s == null) {
        s = new Bucket();
        s.tokens = burst;
        buckets.put(key, s);
      } else {
        s.tokens = Math.min(burst, s.tokens + (now - s.at) * perNano);
      }
      s.at = now;
      if (s.tokens >= 1) {
        s.tokens -= 1;
      } else {
        wait = (long) Math.ceil((1 - s.tokens) / perNano);
      }
    }
    return wait;
  }

  /** Buckets held (tests). */
  int size() {
    synchronized (buckets) {
      return buckets.size();
    }
  }
}
