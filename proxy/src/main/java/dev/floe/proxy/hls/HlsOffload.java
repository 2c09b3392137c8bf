package dev.floe.proxy.hls;

import dev.floe.proxy.status.HlsOffloadStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per mount, the HLS upload budget: segment bytes served over HTTP (counted by the HLS endpoint as
 * it answers) and what web players report ({@link OffloadReport}). Thread-safe. Counters saturate
 * at {@link Long#MAX_VALUE} instead of overflowing; each mount remembers its newest {@link
 * #MAX_OFFENDERS} offending peer ids. Keyed by mount path: callers count only mounts that exist.
 */
public final class HlsOffload {
  /** Offending peer ids remembered per mount. */
  public static final int MAX_OFFENDERS = 16;

  private static final class Counters {
    final AtomicLong http = new AtomicLong();
    final AtomicLong peer = new AtomicLong();
    final AtomicLong reportedHttp = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong reports = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    /** Insertion order: oldest first; guarded by itself. */
    final LinkedHashSet<String> offenders = new LinkedHashSet<>();
  }

  private final Map<String, Counters> mounts = new ConcurrentHashMap<>();

  /** {@code bytes} of a segment body were sent over HTTP for {@code mount}. */
  public void servedHttp(String mount, long bytes) {
    add(of(mount).http, bytes);
  }

  /** A report of {@code mount} was accepted. */
  public void reported(String mount, OffloadReport r) {
    Counters c = of(mount);
    add(c.peer, r.p2p());
    add(c.reportedHttp, r.http());
    add(c.rejected, r.rejected());
    add(c.reports, 1);
    if (!r.offenders().isEmpty()) {
      synchronized (c.offenders) {
        for (String id : r.offenders()) {
          c.offenders.remove(id); // newest last
          c.offenders.add(id);
          if (c.offenders.size() > MAX_OFFENDERS) {
            c.offenders.remove(c.offenders.iterator().next());
          }
        }
      }
    }
  }

  /** A report of {@code mount} was refused. */
  public void refused(String mount) {
    add(of(mount).refused, 1);
  }

  /** The mount's figures now (all 0 for a mount never counted). */
  public HlsOffloadStatus status(String mount) {
    Counters c = mounts.get(mount);
    if (c == null) {
      return new HlsOffloadStatus(0, 0, 0, 0, 0, 0, List.of());
    }
    List<String> offenders;
    synchronized (c.offenders) {
      offenders = new ArrayList<>(c.offenders);
    }
    return new HlsOffloadStatus(c.http.get(), c.peer.get(), c.reportedHttp.get(),
        c.rejected.get(), c.reports.get(), c.refused.get(), offenders);
  }

  private Counters of(String mount) {
    return mounts.computeIfAbsent(mount, m -> new Counters());
  }

  /** Adds a non-negative {@code n}, stopping at {@link Long#MAX_VALUE}. */
  static void add(AtomicLong counter, long n) {
    if (n > 0) {
      counter.accumulateAndGet(n, HlsOffload::saturatedSum);
    }
  }

  static long saturatedSum(long a, long b) {
    long s = a + b;
    return s < 0 ? Long.MAX_VALUE : s;
  }
}
