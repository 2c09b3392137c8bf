package dev.floe.proxy.server;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs refusals (limits, bad heads, timeouts) at most once per interval per kind, so a flood
 * does not flood the log: the lines skipped meanwhile are counted and the next line logged says
 * {@code (N more suppressed)}. Thread-safe; the clock is injected.
 */
final class RefusalLog {
  private final Logger log;
  private final long intervalNanos;
  private final LongSupplier nanos;
  private final ConcurrentMap<String, long[]> kinds = new ConcurrentHashMap<>();

  RefusalLog(Logger log, Duration interval, LongSupplier nanos) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
    this.nanos = nanos;
  }

  /**
   * Logs {@code message} at WARN unless a line of this {@code kind} was logged within the
   * interval; then it only counts it.
   */
  void warn(String kind, String message) {
    long now = nanos.getAsLong();
    long[] suppressed = {-1};
    // state: [0] time of the last line logged, [1] lines suppressed since
    kinds.compute(kind, (k, state) -> {
      if (state == null) {
        suppressed[0] = 0;
        return new long[] {now, 0};
      }
      if (now - state[0] >= intervalNanos) {
        suppressed[0] = state[1];
        state[0] = now;
        state[1] = 0;
      } else {
        state[1]++;
      }
      return state;
    });
    if (suppressed[0] == 0) {
      log.warn(message);
    } else if (suppressed[0] > 0) {
      log.warn("{} ({} more suppressed)", message, suppressed[0]);
    }
  }
}
