package dev.floe.proxy.mount;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A mount's running totals for status, metrics and the admin API: bytes in and out, upstream
 * reconnects and switches, gaps, slow listeners dropped. Written by the mount's writer and its
 * listeners' event loops, read from any thread; each is one atomic, so a reader may see one
 * counter newer than another.
 */
public final class MountCounters {
  private final AtomicLong slowDropped = new AtomicLong();
  private final AtomicLong bytesIn = new AtomicLong();
  private final AtomicLong bytesOut = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong switches = new AtomicLong();
  private final AtomicLong gaps = new AtomicLong();
  private final AtomicLong gapBytes = new AtomicLong();

  void received(long bytes) {
    bytesIn.addAndGet(bytes);
  }

  void sent(long bytes) {
    bytesOut.addAndGet(bytes);
  }

  void slowListenerDropped() {
    slowDropped.incrementAndGet();
  }

  /** The writer took another upstream: {@code switched} to another one, else the same again. */
  void upstreamChanged(boolean switched) {
    (switched ? switches : reconnects).incrementAndGet();
  }

  /** The stream has a gap of about {@code bytes} (0 when unknown, e.g. an epoch change). */
  void gap(long bytes) {
    gaps.incrementAndGet();
    gapBytes.addAndGet(bytes);
  }

  public long slowListenersDropped() {
    return slowDropped.get();
  }

  public long bytesIn() {
    return bytesIn.get();
  }

  public long bytesOut() {
    return bytesOut.get();
  }

  public long reconnects() {
    return reconnects.get();
  }

  /** Upstream changes while data flowed (failover or moving back to a higher priority). */
  public long switches() {
    return switches.get();
  }

  public long gaps() {
    return gaps.get();
  }

  public long gapBytes() {
    return gapBytes.get();
  }
}
