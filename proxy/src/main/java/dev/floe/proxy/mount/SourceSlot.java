package dev.floe.proxy.mount;

import dev.floe.proxy.config.MountSettings;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may write a mount that has no upstreams: at most one source client (SOURCE/PUT or the
 * SHOUTcast port), else its playlist (AutoDJ) while no source is connected. Holds the claim, the
 * lock that keeps a source and a playlist on another event loop from writing at the same time,
 * and the grace timer that closes the listeners (or releases the back buffer) when a source left
 * and none came back.
 *
 * <p>The grace timer runs on the event loop of the source connection that left, which was the
 * mount's writer until then (a mount has no event loop of its own), instead of Netty's {@code
 * GlobalEventExecutor} thread: it ends with Floe's event-loop group, and the writer-side work of
 * a mount stays on Floe's event loops.
 */
public final class SourceSlot {
  private static final Logger log = LoggerFactory.getLogger(SourceSlot.class);

  private final Mount mount;
  private final MountRegistry registry;
  private final AtomicReference<Runnable> closer = new AtomicReference<>();
  private final Object writerLock = new Object();
  private volatile Runnable autoDj;
  private volatile ScheduledFuture<?> graceTimer;

  SourceSlot(Mount mount, MountRegistry registry) {
    this.mount = mount;
    this.registry = registry;
  }

  /**
   * Claims the mount for a source. Returns false when a source is already connected, or when the
   * mount is fed by upstreams (Icecast's {@code 403 Mountpoint in use}).
   *
   * @param closer closes the source's connection (for {@code killsource})
   */
  public boolean claim(Runnable closer) {
    MountSettings settings = mount.settings();
    if (!settings.upstreams().isEmpty() || !this.closer.compareAndSet(null, closer)) {
      return false;
    }
    if (registry.get(mount.path()) != mount) {
      this.closer.set(null); // released and unlisted meanwhile: the source must ask again
      return false;
    }
    return true;
  }

  /**
   * Reserves memory for the back buffer of a source that claimed this mount, unless the mount
   * holds a reservation already; false (logged, counted) when the budget is spent: the caller
   * then refuses the source with {@link #unclaim}.
   */
  public boolean reserve() {
    synchronized (writerLock) {
      return mount.reserveForSource();
    }
  }

  /** Undoes a {@link #claim} whose source is refused before it started. */
  public void unclaim() {
    closer.set(null);
    if (mount.segment() == null && !awaitedOnAFallback()) {
      registry.unlist(mount); // made for this source: it never ran
    }
  }

  /** Whether a source is connected. */
  public boolean connected() {
    return closer.get() != null;
  }

  /**
   * A claimed source starts sending: a new epoch from position 0 (a source restart is a new
   * stream). Listeners waiting through the grace time continue into it, and listeners that had
   * moved to the fallback come back when {@code fallback-override} is on. Call on the source's
   * event loop, which is the mount's writer from now on.
   */
  public Feed start(String who, StreamInfo info) {
    synchronized (writerLock) {
      ScheduledFuture<?> g = graceTimer;
      if (g != null) {
        g.cancel(false);
      }
      Feed f = mount.startOwnStream(who, info);
      log.info("{}: source connected from {} ({})", mount.path(), who, info.contentType());
      if (mount.properties().fallbackOverride()) {
        for (Mount m : registry.all()) {
          if (m != mount) {
            m.listenerRegistry().returnHome(mount);
          }
        }
      }
      return f;
    }
  }

  /**
   * The source's connection ended. Listeners move to the fallback mount when one is live;
   * otherwise they wait {@code source-grace} for a source to return, then are closed.
   *
   * @param loop the ended connection's event loop, where the grace timer runs
   */
  public void end(Feed f, EventExecutor loop) {
    Runnable dj;
    synchronized (writerLock) {
      mount.feedEnded(f);
      closer.set(null);
      dj = autoDj;
    }
    log.info("{}: source disconnected", mount.path());
    if (dj != null) {
      dj.run(); // the playlist takes the mount back; listeners stay
      return;
    }
    String fallback = mount.properties().fallback();
    Mount fb = fallback == null ? null : registry.get(fallback);
    boolean moved = fb != null && fb != mount && fb.live();
    if (moved) {
      int n = mount.listenerRegistry().moveTo(fb);
      log.info("{}: {} listener(s) moved to fallback {}", mount.path(), n, fb.path());
    }
    Duration grace = mount.properties().sourceGrace();
    graceTimer = loop.schedule(() -> {
      if (!connected()) {
        if (!moved) {
          log.info("{}: no source for {} s: closing {} listener(s)", mount.path(),
              grace.toSeconds(), mount.listenerRegistry().count());
          mount.listenerRegistry().kickAll("source gone");
        }
        release("no source for " + grace.toSeconds() + " s");
      }
    }, grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Gives the back buffer's memory back to the budget and forgets the stream, unless a writer
   * came back; a mount a source created is then unlisted, unless listeners that moved to a
   * fallback are waiting to come back to it. The next source starts afresh.
   */
  private void release(String why) {
    synchronized (writerLock) {
      if (connected() || autoDj != null || !mount.settings().upstreams().isEmpty()
          || !mount.forgetStream(why)) {
        return;
      }
    }
    if (!awaitedOnAFallback() && registry.unlist(mount)) {
      log.info("{}: unlisted (a source made it, and none came back)", mount.path());
    }
  }

  /** Whether listeners whose home is this mount wait on another one (a fallback). */
  private boolean awaitedOnAFallback() {
    for (Mount m : registry.all()) {
      if (m != mount && m.listenerRegistry().awaits(mount)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Installs (or with null removes) the playlist that feeds this mount while no source is
   * connected: {@code handBack} runs (on the source's thread) each time a source leaves, instead
   * of the fallback move and the grace timer.
   */
  public void autoDj(Runnable handBack) {
    this.autoDj = handBack;
  }

  /**
   * Runs {@code write} (writer-side calls: {@link #start}, the feed's bytes, {@link Mount#tick})
   * unless a source has claimed the mount; returns whether it ran. A source's {@link #start} and
   * {@link #end} wait for a write in progress, so a playlist on another event loop and a live
   * source never write at the same time.
   */
  public boolean writeUnlessSource(Runnable write) {
    synchronized (writerLock) {
      if (connected()) {
        return false;
      }
      write.run();
      return true;
    }
  }

  /** Closes the source's connection; false when none is connected. */
  public boolean kill() {
    Runnable c = closer.get();
    if (c == null) {
      return false;
    }
    c.run();
    return true;
  }
}
