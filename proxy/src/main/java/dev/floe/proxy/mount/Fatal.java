package dev.floe.proxy.mount;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JVM out of memory ends the process: a Floe that lingers half-alive (sources cut, status
 * silent) never recovers, while systemd restarts one that exits ({@code Restart=on-failure}).
 * The launcher passes {@code -XX:+ExitOnOutOfMemoryError} for the heap; this class covers the
 * errors the JVM does not exit on, direct memory above all ({@code Cannot reserve ... bytes of
 * direct buffer memory}, thrown as an ordinary exception into whatever allocated), wherever Floe
 * sees them: the back buffer's append, the connection handlers, uncaught exceptions.
 */
public final class Fatal {
  private static final Logger log = LoggerFactory.getLogger(Fatal.class);

  /** The exit status, as the JVM's own {@code -XX:+ExitOnOutOfMemoryError}. */
  public static final int STATUS = 3;

  private Fatal() {}

  /** Exits when {@code t} is, or was caused by, an {@link OutOfMemoryError}; else returns. */
  public static void exitIfOutOfMemory(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof OutOfMemoryError oom) {
        exit(oom);
      }
    }
  }

  /**
   * Logs one clear line and halts (no shutdown hook: they may need memory too). Declared to
   * return an error so a caller can write {@code throw Fatal.exit(e)}; it never returns.
   */
  public static Error exit(OutOfMemoryError oom) {
    String line = "out of memory (" + oom.getMessage() + "): exiting with status " + STATUS
        + " so that the service manager restarts Floe; raise -Xmx or -XX:MaxDirectMemorySize,"
        + " or lower buffer-memory";
    try {
      log.error(line);
      System.err.println("floe: " + line);
      System.err.flush();
    } finally {
      Runtime.getRuntime().halt(STATUS);
    }
    return oom;
  }
}
