package dev.floe.icy.resume;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of a {@code Floe-Position} header: {@code <epoch>:<offset>}, or {@code *} for "no
 * position yet" (see docs/protocol.md).
 *
 * @param epoch 16 lowercase hex digits naming one run of a stream, or null for {@code *}
 * @param offset position of an audio byte within the epoch (0 for {@code *})
 */
public record FloePosition(String epoch, long offset) {
  /** The request header's name (and the response's). */
  public static final String HEADER = "Floe-Position";

  /** {@code *}: a Floe node with no position asks to be started like a new player. */
  public static final FloePosition ANY = new FloePosition(null, 0);

  private static final Pattern FORM = Pattern.compile("([0-9a-f]{16}):([0-9]{1,18})");

  /** Checks the epoch's form and that the offset is not negative. */
  public FloePosition {
    if (epoch != null && !epoch.matches("[0-9a-f]{16}")) {
      throw new IllegalArgumentException("epoch must be 16 lowercase hex digits: " + epoch);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("negative offset " + offset);
    }
  }

  /** A fresh random epoch. */
  public static String newEpoch() {
    return String.format(Locale.ROOT, "%016x", ThreadLocalRandom.current().nextLong());
  }

  /** True for {@code *}. */
  public boolean isAny() {
    return epoch == null;
  }

  /**
   * Parses a header value; returns null when it is malformed (a malformed header is ignored, as
   * unknown headers are).
   */
  public static FloePosition parse(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    if (v.equals("*")) {
      return ANY;
    }
    Matcher m = FORM.matcher(v.toLowerCase(Locale.ROOT));
    return m.matches() ? new FloePosition(m.group(1), Long.parseLong(m.group(2))) : null;
  }

  @Override
  public String toString() {
    return isAny() ? "*" : epoch + ":" + offset;
  }

  /** The value of a {@code Floe-Window} header: {@code <oldest>-<newest>}. */
  public static String window(long oldest, long newest) {
    return oldest + "-" + newest;
  }

  /** Parses {@code <oldest>-<newest>} into {@code {oldest, newest}}, or null when malformed. */
  public static long[] parseWindow(String value) {
    if (value == null) {
      return null;
    }
    Matcher m = Pattern.compile("\\s*([0-9]{1,18})-([0-9]{1,18})\\s*").matcher(value);
    if (!m.matches()) {
      return null;
    }
    long a = Long.parseLong(m.group(1));
    long b = Long.parseLong(m.group(2));
    return a <= b ? new long[] {a, b} : null;
  }
}
