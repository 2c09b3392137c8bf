package dev.floe.proxy.swarm;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of one swarm mount that could not be published (origin) or played (peer): each
 * failure is counted (the status's {@code errors}, {@code floe_swarm_errors_total}), the latest is
 * shown on the status page, and each distinct cause is logged once, with its stack trace, so a
 * failure that repeats on every chunk neither floods the log nor goes unseen. The caller goes on
 * with the next record: one failure never stops the stream. Thread-safe.
 */
public final class SwarmErrors {
  private static final Logger log = LoggerFactory.getLogger(SwarmErrors.class);
  /** Distinct causes remembered (and logged once each); past it, each is logged again. */
  private static final int MAX_CAUSES = 64;

  private final String mount;
  private final AtomicLong count = new AtomicLong();
  private final Set<String> logged = new LinkedHashSet<>();
  private volatile String last;

  /** The failures of {@code mount}'s swarm records. */
  public SwarmErrors(String mount) {
    this.mount = mount;
  }

  /**
   * A record that failed: {@code what} names it ({@code "chunk 12 at 98304 not published"}),
   * {@code cause} is why.
   */
  public void failed(String what, Throwable cause) {
    count.incrementAndGet();
    String why = cause.toString();
    String line = mount + ": swarm " + what + ": " + why;
    last = line;
    String key = what.replaceAll("[0-9]+", "#") + why;
    boolean first;
    synchronized (logged) {
      first = logged.add(key);
      if (logged.size() > MAX_CAUSES) {
        logged.remove(logged.iterator().next());
      }
    }
    if (first) {
      log.error("{} (logged once per cause; counted in floe_swarm_errors_total)", line, cause);
    }
  }

  /** Failures so far. */
  public long count() {
    return count.get();
  }

  /** The latest failure as logged, or null when there was none. */
  public String last() {
    return last;
  }
}
