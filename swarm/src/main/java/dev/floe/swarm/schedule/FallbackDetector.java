package dev.floe.swarm.schedule;

/**
 * When a node gives up on the swarm and pulls the stream directly, and when it comes back; also
 * its continuity counts.
 *
 * <p>{@value Scheduler#FALLBACK_MISSES} misses among the last {@value Scheduler#FALLBACK_WINDOW}
 * chunks due, or playout stuck on a chunk (the caller's {@code stalled}), start a direct pull;
 * after {@value Scheduler#FALLBACK_HOLD_MS} ms, once the swarm (whose pushes continue: a parent
 * pushes every new chunk whatever the child's map says) delivered each of the last
 * {@value Scheduler#FALLBACK_WINDOW} chunks in time, it stops. Meanwhile the node advertises and
 * forwards what the direct pull brings, like a first-tier node. Time is passed in. Mutable; not
 * thread-safe.
 */
final class FallbackDetector {
  /** What {@link #check} decided. */
  enum Change { NONE, START, STOP }

  private static final int WINDOW = Scheduler.FALLBACK_WINDOW;
  private final boolean[] recentHit = new boolean[WINDOW];
  private final boolean[] recentSwarm = new boolean[WINDOW];
  private int recentN;
  private long due;
  private long inTime;
  private boolean on;
  private long since;
  private int fallbacks;

  /** A chunk fell due: {@code hit} if it was there in time, {@code fromSwarm} if the swarm brought it. */
  void due(boolean hit, boolean fromSwarm) {
    due++;
    inTime += hit ? 1 : 0;
    int i = recentN++ % WINDOW;
    recentHit[i] = hit;
    recentSwarm[i] = hit && fromSwarm;
  }

  /** Starts or stops the direct pull at {@code now}; {@code stalled}: playout is stuck too long. */
  Change check(long now, boolean stalled) {
    int n = Math.min(recentN, WINDOW);
    int misses = 0;
    boolean swarmOk = n == WINDOW;
    for (int i = 0; i < n; i++) {
      misses += recentHit[i] ? 0 : 1;
      swarmOk &= recentSwarm[i];
    }
    if (!on && (misses >= Scheduler.FALLBACK_MISSES || stalled)) {
      on = true;
      since = now;
      fallbacks++;
      recentN = 0;
      return Change.START;
    } else if (on && swarmOk && now - since >= Scheduler.FALLBACK_HOLD_MS) {
      on = false;
      recentN = 0;
      return Change.STOP;
    }
    return Change.NONE;
  }

  /** Whether the direct pull is on. */
  boolean on() {
    return on;
  }

  /** Direct pulls started so far. */
  int fallbacks() {
    return fallbacks;
  }

  /** Chunks due so far (after the warm-up). */
  long dueCount() {
    return due;
  }

  /** Of those, the ones there in time. */
  long inTime() {
    return inTime;
  }

  /** The recent window for logs: S from the swarm in time, h there in time, . missed. */
  String describeRecent() {
    StringBuilder b = new StringBuilder();
    int n = Math.min(recentN, WINDOW);
    for (int i = 0; i < n; i++) {
      b.append(recentHit[i] ? recentSwarm[i] ? 'S' : 'h' : '.');
    }
    return b.toString();
  }
}
