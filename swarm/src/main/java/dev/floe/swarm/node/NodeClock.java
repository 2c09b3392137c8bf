package dev.floe.swarm.node;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * The node's one source of time, injected. {@link #millis()} is monotonic and serves every timer
 * and round-trip time (pings, redials, timeouts, replay windows, bans, request buckets);
 * {@link #wallMillis()} serves only what is compared with a wire field on the origin's clock:
 * the scheduler and playout (deadlines anchored on signed origin times), the chunk gate's skew
 * check, gossip records' signed expiry and the tracker's signing, and incident times.
 */
interface NodeClock {
  /** Milliseconds on a monotonic clock (arbitrary origin). */
  long millis();

  /** Milliseconds since the epoch, for wire fields only. */
  long wallMillis();

  /**
   * The system's clocks: {@link System#nanoTime()} and {@link System#currentTimeMillis()}. The
   * monotonic one starts at 2^40 ms (35 years), so that a timer field still at 0 is long past, as
   * it was on the wall clock.
   */
  NodeClock SYSTEM = new NodeClock() {
    private final long start = System.nanoTime();

    @Override
    public long millis() {
      return (System.nanoTime() - start) / 1_000_000 + (1L << 40);
    }

    @Override
    public long wallMillis() {
      return System.currentTimeMillis();
    }
  };

  /** {@link #millis()} as a {@link Clock}, for the guards that take one (durations only). */
  default Clock monotonic() {
    return asClock(this::millis);
  }

  /** {@link #wallMillis()} as a {@link Clock}, for the chunk gate (signed origin times). */
  default Clock wall() {
    return asClock(this::wallMillis);
  }

  private static Clock asClock(LongSupplier millis) {
    return new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a node clock has no zone");
      }

      @Override
      public long millis() {
        return millis.getAsLong();
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(millis.getAsLong());
      }
    };
  }
}
