package dev.floe.proxy.server;

import dev.floe.swarm.schedule.TokenBucket;
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
  /** Changed only under its own lock (access order: the LRU). */
  private final Map<String, TokenBucket> buckets;

  TokenBuckets(int rate, int burst, LongSupplier nanos, int maxKeys) {
    this.perNano = rate / 1e9;
    this.burst = burst;
    this.nanos = nanos;
    this.maxKeys = maxKeys;
    this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
        return size() > TokenBuckets.this.maxKeys;
      }
    };
  }

  /** Takes a token for {@code key}: 0 when one was there, else the nanoseconds until one is. */
  long take(String key) {
    long now = nanos.getAsLong();
    synchronized (buckets) {
      TokenBucket b = buckets.computeIfAbsent(key, k -> TokenBucket.perTick(perNano, burst, now));
      return b.tryTake(now, 1) ? 0 : b.ticksUntil(now, 1);
    }
  }

  /** Buckets held (tests). */
  int size() {
    synchronized (buckets) {
      return buckets.size();
    }
  }
}
