package dev.floe.proxy.it.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects Floe's log lines (formatted messages) while open, so tests can assert on them. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private static final int MAX = 100_000;
  private final List<String> lines = new ArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  private LogCapture() {}

  /** Starts capturing every logger's lines. */
  public static LogCapture capture() {
    LogCapture c = new LogCapture();
    c.setContext(c.root.getLoggerContext());
    c.start();
    c.root.addAppender(c);
    return c;
  }

  @Override
  protected synchronized void append(ILoggingEvent e) {
    if (lines.size() < MAX) {
      lines.add(e.getLevel() + " " + e.getFormattedMessage());
    }
  }

  /** A copy of the lines so far. */
  public synchronized List<String> lines() {
    return new ArrayList<>(lines);
  }

  /** Whether some line contains every one of the given parts. */
  public synchronized boolean has(String... parts) {
    return lines.stream().anyMatch(l -> {
      for (String p : parts) {
        if (!l.contains(p)) {
          return false;
        }
      }
      return true;
    });
  }

  @Override
  public void close() {
    root.detachAppender(this);
    stop();
  }
}
