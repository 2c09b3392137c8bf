package dev.floe.proxy;

import dev.floe.proxy.config.ConfigLoader;
import dev.floe.proxy.config.FloeConfig;
import dev.floe.proxy.config.InvalidConfigException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Re-reads the configuration file on SIGHUP ({@code systemctl reload floe}) and applies it with
 * {@link Floe#reload}. A file with problems is not applied: every problem is logged with its key,
 * and Floe keeps running on the configuration it has.
 */
final class Reloader {
  private static final Logger log = LoggerFactory.getLogger(Reloader.class);

  private Reloader() {}

  /** Installs the SIGHUP handler for a Floe started from {@code file}. */
  static void onHangup(Floe floe, Path file) {
    onHangup(floe, file, next -> next);
  }

  /**
   * As {@link #onHangup(Floe, Path)}, applying {@code adjust} to each configuration read (the
   * master's relays are added to it).
   */
  static void onHangup(Floe floe, Path file, java.util.function.UnaryOperator<FloeConfig> adjust) {
    try {
      SignalHandler was = Signal.handle(new Signal("HUP"),
          sig -> reloadLogged(floe, file, adjust));
      if (was == SignalHandler.SIG_IGN) {
        // The JVM leaves SIGHUP ignored when it started ignored (nohup): say so, or a reload
        // would silently do nothing.
        log.warn("SIGHUP is ignored by this process (started under nohup?): reload by restarting");
      }
    } catch (IllegalArgumentException e) {
      log.warn("SIGHUP is not available here ({}): reload by restarting", e.getMessage());
    }
  }

  /** {@link #reload} on the signal's thread: a failure is logged, never lost with the thread. */
  private static void reloadLogged(Floe floe, Path file,
      java.util.function.UnaryOperator<FloeConfig> adjust) {
    try {
      reload(floe, file, adjust);
    } catch (RuntimeException e) {
      log.error("Reload of {} failed; the running configuration may be partly applied", file, e);
    }
  }

  /** Loads {@code file} and applies it; returns the changes, or null when it has problems. */
  static List<String> reload(Floe floe, Path file) {
    return reload(floe, file, next -> next);
  }

  private static List<String> reload(Floe floe, Path file,
      java.util.function.UnaryOperator<FloeConfig> adjust) {
    FloeConfig next;
    try {
      next = ConfigLoader.load(file);
    } catch (InvalidConfigException e) {
      log.error("Reload of {} refused, keeping the running configuration:\n{}", file,
          e.getMessage());
      return null;
    }
    List<String> changes = floe.reload(adjust.apply(next));
    log.info("Reloaded {}: {}", file, changes.isEmpty() ? "no changes" : String.join("; ", changes));
    return changes;
  }
}
