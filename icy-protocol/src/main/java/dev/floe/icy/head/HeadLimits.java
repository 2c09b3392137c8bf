package dev.floe.icy.head;

/**
 * Bounds on one head. {@code maxLineBytes} bounds each line (start line or header line, without
 * its line end), {@code maxHeaders} the number of header fields (continuation lines do not count),
 * and {@code maxHeadBytes} everything from the first byte to the blank line that ends the head,
 * line ends and skipped leading blank lines included.
 */
public record HeadLimits(int maxLineBytes, int maxHeaders, int maxHeadBytes) {
  /** 8 KiB lines, 100 headers, 16 KiB heads. */
  public static final HeadLimits DEFAULT = new HeadLimits(8192, 100, 16384);

  public HeadLimits {
    if (maxLineBytes <= 0) {
      throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
    }
    if (maxHeaders <= 0) {
      throw new IllegalArgumentException("maxHeaders must be positive: " + maxHeaders);
    }
    if (maxHeadBytes <= 0) {
      throw new IllegalArgumentException("maxHeadBytes must be positive: " + maxHeadBytes);
    }
  }
}
