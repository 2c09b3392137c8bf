package dev.floe.proxy.hls;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Counts HLS listeners per mount: a listener is a client address plus its {@code User-Agent} that
 * fetched the mount's playlist or a segment in the last {@link #WINDOW_NANOS}. An HLS player has
 * no connection to count; it asks for the playlist every few seconds, so "seen lately" is the
 * session. Address and agent rather than a token in the segment URLs: tokens would make every
 * listener's segment URLs differ, which defeats CDN caching and the same-name-same-bytes rule
 * across nodes; the price is that two players behind one NAT with the same browser count once.
 * Memory is bounded: at most {@link #MAX_SESSIONS} sessions are remembered, beyond that new ones
 * are not counted until old ones expire.
 */
public final class HlsListeners {
  /** A session not seen for this long has left: several playlist reloads of a slow player. */
  public static final long WINDOW_NANOS = 30_000_000_000L;

  /** Sessions remembered at most, over all mounts. */
  static final int MAX_SESSIONS = 100_000;

  private record Key(String address, String agent) {}

  /** Per mount: each session's last fetch ({@code nanoTime}). */
  private final Map<String, Map<Key, Long>> seen = new ConcurrentHashMap<>();
  private final AtomicInteger sessions = new AtomicInteger();
  private final LongSupplier nanos;

  public HlsListeners(LongSupplier nanos) {
    this.nanos = nanos;
  }

  /** {@code address} with {@code agent} (may be null) fetched something of {@code mount}. */
  public void seen(String mount, String address, String agent) {
    Key k = new Key(address, agent == null ? "" : agent);
    long now = nanos.getAsLong();
    Map<Key, Long> m = seen.computeIfAbsent(mount, x -> new ConcurrentHashMap<>());
    if (m.replace(k, now) != null) {
      return;
    }
    if (sessions.get() >= MAX_SESSIONS) {
      expire(now);
      if (sessions.get() >= MAX_SESSIONS) {
        return;
      }
    }
    if (m.putIfAbsent(k, now) == null) {
      sessions.incrementAndGet();
    } else {
      m.put(k, now);
    }
  }

  /** The HLS listeners of {@code mount} now. */
  public int count(String mount) {
    Map<Key, Long> m = seen.get(mount);
    if (m == null) {
      return 0;
    }
    long now = nanos.getAsLong();
    int n = 0;
    for (long last : m.values()) {
      if (now - last <= WINDOW_NANOS) {
        n++;
      }
    }
    return n;
  }

  /** Forgets the sessions that left. */
  public void expire(long now) {
    for (Map<Key, Long> m : seen.values()) {
      for (Iterator<Map.Entry<Key, Long>> it = m.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Key, Long> e = it.next();
        if (now - e.getValue() > WINDOW_NANOS && m.remove(e.getKey(), e.getValue())) {
          sessions.decrementAndGet();
        }
      }
    }
  }
}
