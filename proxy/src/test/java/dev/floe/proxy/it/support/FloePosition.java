package dev.floe.proxy.it.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Floe-Position} value, {@code <epoch>:<offset>}: the epoch is 16 lowercase hex digits,
 * the offset counts audio bytes from the start of the epoch.
 *
 * @param epoch the stream's epoch
 * @param offset the absolute position of one audio byte
 */
public record FloePosition(String epoch, long offset) {

  private static final Pattern FORMAT = Pattern.compile("([0-9a-f]{16}):(\\d{1,19})");

  /**
   * Parses a header value; fails (AssertionError, a test failure) when it is missing or not in
   * the contract's format.
   */
  public static FloePosition parse(String value) {
    if (value == null) {
      throw new AssertionError("no Floe-Position header");
    }
    Matcher m = FORMAT.matcher(value.trim());
    if (!m.matches()) {
      throw new AssertionError("Floe-Position is not <16 hex digits>:<offset>: '" + value + "'");
    }
    return new FloePosition(m.group(1), Long.parseLong(m.group(2)));
  }

  /** The same epoch, {@code delta} bytes further. */
  public FloePosition plus(long delta) {
    return new FloePosition(epoch, offset + delta);
  }

  /** The header value, {@code <epoch>:<offset>}. */
  public String header() {
    return epoch + ":" + offset;
  }

  @Override
  public String toString() {
    return header();
  }

  /**
   * A {@code Floe-Window} value, {@code <oldest>-<newest>}.
   *
   * @param oldest the oldest position still resumable
   * @param newest the next byte to arrive
   */
  public record Window(long oldest, long newest) {
    private static final Pattern WINDOW = Pattern.compile("(\\d{1,19})-(\\d{1,19})");

    /** Parses a header value; fails (AssertionError) when missing or malformed. */
    public static Window parse(String value) {
      if (value == null) {
        throw new AssertionError("no Floe-Window header");
      }
      Matcher m = WINDOW.matcher(value.trim());
      if (!m.matches()) {
        throw new AssertionError("Floe-Window is not <oldest>-<newest>: '" + value + "'");
      }
      Window w = new Window(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
      if (w.oldest > w.newest) {
        throw new AssertionError("Floe-Window with oldest > newest: '" + value + "'");
      }
      return w;
    }

    /** Whether {@code position} is inside the window (both ends included). */
    public boolean contains(long position) {
      return oldest <= position && position <= newest;
    }
  }
}
