package dev.floe.proxy.admin;

import dev.floe.proxy.config.LimitSettings;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Exponential backoff of wrong passwords per remote address (admin and source credentials).
 *
 * <p>Each failure within {@code window} of the previous one from the same address adds to its
 * count (a later one starts again at 1). From the {@code failures}-th on, each failure locks the
 * address out for {@code backoff × 2^(count − failures)}, at most {@code max}. While locked,
 * {@link #retryAfterNanos} says how long to wait and callers answer {@code 429} without
 * checking credentials, so guessing goes no faster than the lockouts allow. A success forgets
 * the address. Exempt addresses are never locked. Thread-safe; the clock is injected. Memory is
 * bounded by forgetting, past {@code MAX_ADDRESSES}, addresses neither locked nor within their
 * window.
 */
public final class AuthBackoff {
  private static final int MAX_ADDRESSES = 65_536;

  private final LimitSettings limits;
  private final LongSupplier nanos;
  private final ConcurrentMap<String, State> states = new ConcurrentHashMap<>();

  /** Failures so far, time of the last one, end of the lockout. */
  private record State(int count, long last, long lockedUntil) {}

  /**
   * @param limits {@code auth-failures}, {@code auth-window}, {@code auth-backoff}, {@code
   *     auth-backoff-max} and {@code exempt}
   * @param nanos the clock, as {@link System#nanoTime}
   */
  public AuthBackoff(LimitSettings limits, LongSupplier nanos) {
    this.limits = limits;
    this.nanos = nanos;
  }

  /** 0 when {@code ip} may try its credentials, else the nanoseconds until it may. */
  public long retryAfterNanos(String ip) {
    State s = states.get(ip);
    long left = s == null ? 0 : s.lockedUntil() - nanos.getAsLong();
    return Math.max(0, left);
  }

  /** Records a wrong password from {@code ip}; returns the lockout it now serves, or zero. */
  public Duration failure(String ip) {
    if (limits.isExempt(ip)) {
      return Duration.ZERO;
    }
    long now = nanos.getAsLong();
    long window = limits.authWindow().toNanos();
    if (states.size() > MAX_ADDRESSES) {
      states.values().removeIf(s -> now - s.last() > window && now - s.lockedUntil() > 0);
    }
    State s = states.compute(ip, (k, old) -> {
      int count = old == null || now - old.last() > window ? 1 : old.count() + 1;
      long locked = old == null ? now : old.lockedUntil();
      int over = count - limits.authFailures();
      if (over >= 0) {
        long base = limits.authBackoff().toNanos();
        long max = limits.authBackoffMax().toNanos();
        locked = now + (over >= 62 || base > (max >> over) ? max : base << over);
      }
      return new State(count, now, locked);
    });
    return Duration.ofNanos(Math.max(0, s.lockedUntil() - now));
  }

  /** Records the right password from {@code ip}: its count starts again. */
  public void success(String ip) {
    states.remove(ip);
  }
}
