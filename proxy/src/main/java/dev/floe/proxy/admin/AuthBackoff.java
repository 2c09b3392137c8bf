package dev.floe.proxy.admin;

import dev.floe.proxy.config.LimitSettings;
import io.netty.channel.Channel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Slows down wrong passwords (admin and source credentials) per remote address, without ever
 * refusing the right one: as on icecast2, credentials are always checked and the right password
 * is answered at once, whatever the same address sent before.
 *
 * <p>Each failure within {@code window} of the previous one from the same address adds to its
 * count (a later one starts again at 1). From the {@code failures}-th on, each failure locks the
 * address out for {@code backoff × 2^(count − failures)}, at most {@code max}, and the answer
 * to that wrong password is held for the lockout ({@link #hold}): a client retrying a wrong
 * password waits for its answer, and a guesser gets one guess per lockout per connection. At
 * most {@link #MAX_HELD} answers are held per address; beyond that ({@link #mayCheck} is false),
 * the address's credentials are not looked at and it gets {@code 429}, so parallel connections
 * do not multiply the guess rate either. Exempt addresses are never slowed.
 *
 * <p>The counts live in a {@link FailureSketch}: fixed memory and O(1) per failure, whatever the
 * number of addresses. Held answers are counted exactly, in a map bounded by the connections
 * being held. A right password does not reset the count (it would give a guesser behind the
 * same address fresh tries each time the station's encoder connects); the window does.
 * Thread-safe; the clock is injected.
 */
public final class AuthBackoff {
  /** Answers held at once per address; past it, its credentials get 429 unchecked. */
  public static final int MAX_HELD = 4;

  private final LimitSettings limits;
  private final LongSupplier nanos;
  private final FailureSketch sketch = new FailureSketch(new SecureRandom().nextLong());
  private final ConcurrentMap<String, Integer> held = new ConcurrentHashMap<>();

  /**
   * @param limits {@code auth-failures}, {@code auth-window}, {@code auth-backoff}, {@code
   *     auth-backoff-max} and {@code exempt}
   * @param nanos the clock, as {@link System#nanoTime}
   */
  public AuthBackoff(LimitSettings limits, LongSupplier nanos) {
    this.limits = limits;
    this.nanos = nanos;
  }

  /**
   * Whether {@code ip}'s credentials may be checked: false while {@link #MAX_HELD} answers to
   * its wrong passwords are being held (guessing on parallel connections); the caller then
   * answers {@code 429} with {@link #retryAfterNanos} without looking at the credentials.
   */
  public boolean mayCheck(String ip) {
    return held.getOrDefault(ip, 0) < MAX_HELD;
  }

  /** Nanoseconds until {@code ip}'s lockout ends; 0 when it is not locked out. */
  public long retryAfterNanos(String ip) {
    long until;
    synchronized (sketch) {
      until = sketch.lockedUntil(ip);
    }
    return Math.max(0, until - nanos.getAsLong());
  }

  /**
   * Records a wrong password from {@code ip}; returns how long to hold its answer: the lockout
   * it now serves, or zero below {@code auth-failures} (and for exempt addresses).
   */
  public Duration failure(String ip) {
    if (limits.isExempt(ip)) {
      return Duration.ZERO;
    }
    long now = nanos.getAsLong();
    synchronized (sketch) {
      int over = sketch.fail(ip, now, limits.authWindow().toNanos()) - limits.authFailures();
      if (over < 0) {
        return Duration.ZERO;
      }
      long base = limits.authBackoff().toNanos();
      long max = limits.authBackoffMax().toNanos();
      long lock = over >= 62 || base > (max >> over) ? max : base << over;
      sketch.lock(ip, now + lock);
      return Duration.ofNanos(Math.max(0, sketch.lockedUntil(ip) - now));
    }
  }

  /**
   * Sends {@code answer} (to a wrong password from {@code ip}) after {@code delay} on {@code
   * ch}'s event loop, reading nothing from it meanwhile; the answer counts towards {@code ip}'s
   * {@link #MAX_HELD} until it is sent or the connection closes. A zero delay answers at once.
   */
  public void hold(Channel ch, String ip, Duration delay, Runnable answer) {
    if (delay.isZero()) {
      answer.run();
      return;
    }
    held.merge(ip, 1, Integer::sum);
    AtomicBoolean done = new AtomicBoolean();
    Runnable release = () -> {
      if (done.compareAndSet(false, true)) {
        held.computeIfPresent(ip, (k, n) -> n > 1 ? n - 1 : null);
      }
    };
    ch.config().setAutoRead(false);
    ch.closeFuture().addListener(f -> release.run());
    ch.eventLoop().schedule(() -> {
      release.run();
      if (ch.isActive()) {
        answer.run();
      }
    }, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Cells of the failure sketch: fixed (tests). */
  int trackedCells() {
    return sketch.size();
  }

  /** Answers being held, all addresses (tests). */
  int heldAnswers() {
    return held.values().stream().mapToInt(Integer::intValue).sum();
  }
}
