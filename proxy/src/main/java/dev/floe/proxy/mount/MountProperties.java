package dev.floe.proxy.mount;

import java.time.Duration;

/**
 * The properties of a mount an operator may change at run time (the admin API), set from the
 * configuration at start and at each reload ({@code SourceMounts.applyProperties}). Each is
 * volatile: a change applies to the next listener or source that reads it.
 */
public final class MountProperties {
  private volatile String fallback;
  private volatile boolean fallbackOverride = true;
  private volatile Duration sourceGrace = Duration.ofSeconds(10);
  private volatile int maxListeners;
  private volatile boolean hidden;

  /** The fallback mount's path, or null. */
  public String fallback() {
    return fallback;
  }

  public void fallback(String path) {
    this.fallback = path;
  }

  /** Whether listeners moved to the fallback come back when a source returns. */
  public boolean fallbackOverride() {
    return fallbackOverride;
  }

  public void fallbackOverride(boolean on) {
    this.fallbackOverride = on;
  }

  /** How long listeners wait for a source that left to come back before they are closed. */
  public Duration sourceGrace() {
    return sourceGrace;
  }

  public void sourceGrace(Duration d) {
    this.sourceGrace = d;
  }

  /** Most listeners allowed, 0 for no limit. */
  public int maxListeners() {
    return maxListeners;
  }

  public void maxListeners(int n) {
    this.maxListeners = n;
  }

  /** Whether the mount is left out of public listings (status JSON, streamlist). */
  public boolean hidden() {
    return hidden;
  }

  public void hidden(boolean h) {
    this.hidden = h;
  }
}
