package dev.floe.swarm.schedule;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What a node may upload: pushes, served requests and children taken.
 *
 * <p>One token bucket at the upload cap (1 s burst). Pushes are committed and always go (they may
 * take the bucket below zero); a request is served only if the bucket holds the chunk and either
 * the requester is within its fair share (cap over active partners) or the bucket is at least half
 * full (unused share is lent). Otherwise it is refused at once, so the requester asks elsewhere
 * instead of queueing. A peer accepts a child while its pushes stay within 80% of its cap.
 *
 * <p>The origin serves requests only under {@value Scheduler#LAST_RESORT_MS} ms from their
 * deadline, at most {@value Scheduler#ORIGIN_GRANTS} per requester per 10 s, from a bucket of 0.4 r
 * with a 4 s burst (counting chunk headers and signatures): with two copies that is 2 r of pushes
 * plus 0.4 r, and with headers and buffer maps under 2.5 r whatever the audience (the brief's
 * 0.5 r would reach 2.56 r with headers). Time is passed in. Mutable; not thread-safe.
 */
final class UploadBudget {
  private final int substreams;
  private final double streamBytesPerSec;
  private final double capBytesPerSec;
  private final int chunkCost;
  private final TokenBucket upload;
  private final TokenBucket lastResort;
  private final Map<Integer, long[]> grants = new HashMap<>();

  /** Full buckets at {@code now} for the stream and cap of {@code cfg}. */
  UploadBudget(SchedulerConfig cfg, long now) {
    this.substreams = cfg.substreams();
    this.streamBytesPerSec = cfg.streamKbps() * 125.0;
    this.capBytesPerSec = cfg.uploadKbps() * 125.0;
    this.chunkCost = cfg.chunkBytes() + WireSizes.CHUNK_HEADER + WireSizes.SIGNATURE;
    this.upload = new TokenBucket(capBytesPerSec, Math.max(capBytesPerSec, 2 * chunkCost), now);
    this.lastResort = new TokenBucket(0.4 * streamBytesPerSec, 1.6 * streamBytesPerSec, now);
  }

  /** A chunk of {@code size} payload bytes is pushed: charged whatever is left. */
  void push(long now, int size) {
    upload.force(now, size + WireSizes.CHUNK_HEADER + WireSizes.SIGNATURE);
  }

  /** Whether a peer whose partners are {@code partners} takes one more child (substream pushed). */
  boolean acceptsChild(Collection<Partner> partners) {
    int pairs = partners.stream().mapToInt(c -> Integer.bitCount(c.childMask)).sum();
    return (pairs + 1) * streamBytesPerSec / substreams <= 0.8 * capBytesPerSec;
  }

  /** Whether a peer serves partner {@code p}'s request now (charged if so), among {@code partners}. */
  boolean mayServe(Partner p, Collection<Partner> partners, long now) {
    double tokens = upload.tokens(now);
    if (tokens < chunkCost) {
      return false;
    }
    int active = 0;
    for (Partner q : partners) {
      if (q == p || q.childMask != 0 || q.lastActiveAt >= now - 2000) {
        active++;
      }
    }
    double fair = capBytesPerSec / active;
    p.shareTokens = Math.min(2.0 * chunkCost, p.shareTokens + (now - p.shareAt) * fair / 1000);
    p.shareAt = now;
    boolean ok = p.shareTokens >= chunkCost || tokens >= upload.burst() / 2;
    if (ok) {
      upload.force(now, chunkCost);
      p.shareTokens -= chunkCost;
    }
    return ok;
  }

  /** Whether the origin serves peer {@code from}'s last-resort request now (counted if so). */
  boolean originMayServe(int from, int msToDeadline, long now) {
    long[] times = grants.computeIfAbsent(from, f -> newGrants());
    boolean ok = msToDeadline <= Scheduler.LAST_RESORT_MS && times[0] <= now - 10_000
        && lastResort.tryTake(now, chunkCost);
    if (ok) {
      System.arraycopy(times, 1, times, 0, times.length - 1);
      times[times.length - 1] = now;
    }
    if (grants.size() > 4096) {
      grants.values().removeIf(t -> t[t.length - 1] < now - 10_000);
    }
    return ok;
  }

  private static long[] newGrants() {
    long[] t = new long[Scheduler.ORIGIN_GRANTS];
    Arrays.fill(t, Long.MIN_VALUE / 2);
    return t;
  }
}
