package dev.floe.swarm.schedule;

import java.util.Arrays;

/** What a {@link Scheduler} knows of one partner. Mutable, package-private. */
final class Partner {
  final int id;
  final boolean dialed;
  final boolean connectable;
  final int rttMs;
  final long[] live;
  final long[] rejectedUntil;
  /** A partner that refused a chunk (or let a request time out) is asked again after this long. */
  static final int RETRY_MS = 1000;
  final long[] refused = new long[8];
  final long[] refusedAt = new long[8];
  int refusedPos;
  double rate;
  Holdings map;
  long mapAt;
  long nextMapAt;
  int childMask;
  int inflight;
  long bytesUp;
  long bytesDown;
  long lastActiveAt = Long.MIN_VALUE / 2;
  long lastHeardAt;
  double shareTokens;
  long shareAt;

  Partner(Hello h, int substreams, double rate, long now, long nextMapAt) {
    this.id = h.peer();
    this.dialed = h.dialed();
    this.connectable = h.connectable();
    this.rttMs = Math.max(1, h.rttMs());
    this.rate = rate;
    this.nextMapAt = nextMapAt;
    this.shareAt = now;
    this.lastHeardAt = now;
    this.live = new long[substreams];
    this.rejectedUntil = new long[substreams];
    Arrays.fill(live, -1);
    Arrays.fill(refused, -1);
  }

  /** Latest seq of substream k it is known to hold, from its map or from what it sent us. */
  long latest(int k, int epoch) {
    long fromMap = map != null && map.epoch() == epoch ? map.latest(k) : -1;
    return Math.max(fromMap, live[k]);
  }

  /**
   * 2 if its map claims chunk seq; 1 if its map predates seq but showed it keeping up on seq's
   * substream (within one chunk of its newest), and seq could have been cut since that map (it
   * likely has seq by now); 0 otherwise, or if it refused seq less than {@link #RETRY_MS} ago (it
   * may have it by then: a NOT_FOUND is "not yet").
   */
  int offers(long seq, int epoch, long now, int chunkMs) {
    if (map == null || map.epoch() != epoch) {
      return 0;
    }
    for (int i = 0; i < refused.length; i++) {
      if (refused[i] == seq && now - refusedAt[i] < RETRY_MS) {
        return 0;
      }
    }
    if (map.has(seq)) {
      return 2;
    }
    int k = live.length;
    long latest = map.latest((int) (seq % k));
    boolean keepingUp = latest >= map.highest() - k;
    return latest < seq && keepingUp && (seq - latest) * chunkMs <= now - mapAt + 2L * k * chunkMs
        ? 1 : 0;
  }

  void markRefused(long seq, long now) {
    refused[refusedPos] = seq;
    refusedAt[refusedPos] = now;
    refusedPos = (refusedPos + 1) % refused.length;
  }

  boolean isChild(int k) {
    return (childMask >>> k & 1) != 0;
  }
}
