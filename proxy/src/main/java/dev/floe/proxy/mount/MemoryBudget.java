package dev.floe.proxy.mount;

import io.netty.util.internal.PlatformDependent;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One budget for the back buffers of every mount: audio chunks live in direct memory, so the
 * budget is a share of the JVM's direct memory ({@code -XX:MaxDirectMemorySize}, else the heap
 * ceiling), or the configured {@code server.buffer-memory}.
 *
 * <p>A mount reserves its {@code buffer-size} when it first needs a buffer and keeps the
 * reservation while it has a writer; it gives it back when its source has been gone for {@code
 * source-grace} ({@link Mount}). When the budget is tight a new buffer is shrunk to what is left,
 * or refused when even {@link #FLOOR} is not left (a source then gets {@code 503}); both are
 * logged and counted, and mounts already running keep their buffers. Configured relay, playlist
 * and swarm mounts are never refused: they get at least the floor, over the budget if need be
 * (logged). What else grows with connections is bounded elsewhere: listeners and peers by
 * {@code max-clients}, their queued bytes by {@code listener-write-buffer} and {@code
 * peer-queue-bytes}, sources by {@code max-sources}.
 */
public final class MemoryBudget {
  private static final Logger log = LoggerFactory.getLogger(MemoryBudget.class);

  /** The smallest back buffer worth giving: a burst, a listener delay and chunks in flight. */
  public static final long FLOOR = 512 * 1024;

  /** The share of the JVM's direct memory given to back buffers when not configured. */
  static final double AUTO_SHARE = 0.625;

  private final long total;
  private final AtomicLong reserved = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong shrunk = new AtomicLong();

  /** A budget of {@code total} bytes. */
  public MemoryBudget(long total) {
    if (total <= 0) {
      throw new IllegalArgumentException("budget must be > 0: " + total);
    }
    this.total = total;
  }

  /**
   * The budget for this JVM: {@code configured} bytes, or with 0 ("auto") {@value #AUTO_SHARE} of
   * its direct memory (the rest is for socket buffers). A configured budget above the direct
   * memory is logged: buffers may then exhaust it, and Floe exits on that error.
   */
  public static MemoryBudget forJvm(long configured) {
    long direct = PlatformDependent.maxDirectMemory();
    if (configured > 0) {
      if (configured > direct) {
        log.warn("buffer-memory {} is more than the JVM's direct memory ({}): raise"
            + " -XX:MaxDirectMemorySize, or Floe will exit when buffers exhaust it",
            mib(configured), mib(direct));
      }
      return new MemoryBudget(configured);
    }
    return new MemoryBudget(Math.max(FLOOR, (long) (direct * AUTO_SHARE)));
  }

  /**
   * Reserves up to {@code wanted} bytes for {@code path}'s buffer: all of it, or what is left when
   * that is at least {@code min(wanted, FLOOR)} (shrunk, logged), else nothing (refused, logged).
   *
   * @return the bytes reserved, 0 when refused
   */
  long reserve(String path, long wanted) {
    long floor = Math.min(wanted, FLOOR);
    while (true) {
      long r = reserved.get();
      long grant = Math.min(wanted, total - r);
      if (grant < floor) {
        refused.incrementAndGet();
        log.warn("{}: no memory for a back buffer: {} of the {} buffer budget reserved by other"
            + " mounts (buffer-memory, -XX:MaxDirectMemorySize): refused", path, mib(r),
            mib(total));
        return 0;
      }
      if (reserved.compareAndSet(r, r + grant)) {
        if (grant < wanted) {
          shrunk.incrementAndGet();
          log.warn("{}: buffer budget tight ({} of {} reserved): back buffer shrunk from {} to {}",
              path, mib(r), mib(total), mib(wanted), mib(grant));
        }
        return grant;
      }
    }
  }

  /**
   * Reserves {@code wanted} bytes, or what is left, but never less than {@code min(wanted,
   * FLOOR)} even over the budget (logged): for configured mounts that must run.
   */
  long reserveAtLeastFloor(String path, long wanted) {
    long got = reserve(path, wanted);
    if (got > 0) {
      return got;
    }
    long floor = Math.min(wanted, FLOOR);
    reserved.addAndGet(floor);
    log.warn("{}: a configured mount gets a {} back buffer over the budget", path, mib(floor));
    return floor;
  }

  /** Gives back a reservation. */
  void release(long bytes) {
    reserved.addAndGet(-bytes);
  }

  public long total() {
    return total;
  }

  public long reserved() {
    return reserved.get();
  }

  public long refused() {
    return refused.get();
  }

  public long shrunk() {
    return shrunk.get();
  }

  /** The budget's lines for {@code /metrics} (Prometheus text format). */
  public String metrics() {
    return gauge("floe_buffer_budget_bytes", "gauge", "Memory for all back buffers.", total)
        + gauge("floe_buffer_reserved_bytes", "gauge", "Memory reserved by back buffers.",
            reserved())
        + gauge("floe_buffers_refused_total", "counter",
            "Back buffers refused because the budget was spent (the source got 503).", refused())
        + gauge("floe_buffers_shrunk_total", "counter",
            "Back buffers given less than buffer-size because the budget was tight.", shrunk());
  }

  private static String gauge(String name, String type, String help, long value) {
    return "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " "
        + value + "\n";
  }

  public static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
