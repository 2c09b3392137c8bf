package dev.floe.proxy.admin;

import dev.floe.proxy.config.LimitSettings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * do not multiply the guess rate either. Held connections are bounded in total too, so a flood
 * from many addresses cannot fill {@code max-clients} with them. Exempt addresses are never
 * slowed.
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
  /** Bytes a held connection may send (a source's first audio); more closes it. */
  static final int HELD_READ_LIMIT = 64 * 1024;

  private final LimitSettings limits;
  private final LongSupplier nanos;
  private final FailureSketch sketch = new FailureSketch(new SecureRandom().nextLong());
  private final ConcurrentMap<String, Integer> held = new ConcurrentHashMap<>();
  private final AtomicInteger heldTotal = new AtomicInteger();
  private final int maxHeldTotal;

  /**
   * @param limits {@code auth-failures}, {@code auth-window}, {@code auth-backoff}, {@code
   *     auth-backoff-max} and {@code exempt}
   * @param maxHeldTotal answers held at once, all addresses together: past it, wrong passwords
   *     are answered at once, so held connections never take more than this share of {@code
   *     max-clients} (a flood from many addresses)
   * @param nanos the clock, as {@link System#nanoTime}
   */
  public AuthBackoff(LimitSettings limits, int maxHeldTotal, LongSupplier nanos) {
    this.limits = limits;
    this.maxHeldTotal = maxHeldTotal;
    this.nanos = nanos;
  }

  /** At most 1,024 answers held at once. */
  public AuthBackoff(LimitSettings limits, LongSupplier nanos) {
    this(limits, 1024, nanos);
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
   * ch}'s event loop; meanwhile what the client sends is discarded (up to {@link
   * #HELD_READ_LIMIT}, then it is closed) and a client that closes is forgotten. The answer
   * counts towards {@code ip}'s {@link #MAX_HELD} until it is sent or the connection closes. A
   * zero delay, or {@code maxHeldTotal} answers held already, answers at once.
   */
  public void hold(Channel ch, String ip, Duration delay, Runnable answer) {
    if (delay.isZero() || heldTotal.incrementAndGet() > maxHeldTotal) {
      if (!delay.isZero()) {
        heldTotal.decrementAndGet();
      }
      answer.run();
      return;
    }
    held.merge(ip, 1, Integer::sum);
    AtomicBoolean done = new AtomicBoolean();
    Runnable release = () -> {
      if (done.compareAndSet(false, true)) {
        heldTotal.decrementAndGet();
        held.computeIfPresent(ip, (k, n) -> n > 1 ? n - 1 : null);
      }
    };
    ch.pipeline().addLast("auth-held", new Discard());
    ch.closeFuture().addListener(f -> release.run());
    ch.eventLoop().schedule(() -> {
      release.run();
      if (ch.isActive()) {
        ch.pipeline().remove("auth-held");
        answer.run();
      }
    }, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Reads and drops what a held client sends, so its close is seen; bounded. */
  private static final class Discard extends ChannelInboundHandlerAdapter {
    private long bytes;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf b) {
        bytes += b.readableBytes();
      }
      ReferenceCountUtil.release(msg);
      if (bytes > HELD_READ_LIMIT) {
        ctx.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
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
