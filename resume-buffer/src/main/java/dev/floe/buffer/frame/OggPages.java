package dev.floe.buffer.frame;

/** Ogg page parsing and the Ogg CRC-32 (polynomial 0x04c11db7, no reflection, init 0). */
final class OggPages {
  static final long INVALID = -1;
  static final long NEED_MORE = -2;

  /** Page header without the segment table. */
  static final int HEADER = 27;

  /** Longest page: 27 + 255 lacing values + 255 x 255 body bytes. */
  static final int MAX_PAGE = HEADER + 255 + 255 * 255;

  static final int FLAG_CONTINUED = 1;
  static final int FLAG_BOS = 2;
  static final int FLAG_EOS = 4;

  private static final byte[] CAPTURE = {'O', 'g', 'g', 'S'};

  private static final int[] CRC_TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int r = i << 24;
      for (int k = 0; k < 8; k++) {
        r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04c11db7 : r << 1;
      }
      CRC_TABLE[i] = r;
    }
  }

  private OggPages() {}

  /**
   * Checks the page at {@code b[off]}, of which {@code avail} bytes exist: capture pattern,
   * version 0, known flags, whole page present and CRC right.
   *
   * @return {@link #INVALID}, {@link #NEED_MORE} or the page length
   */
  static long parse(byte[] b, int off, int avail) {
    for (int i = 0; i < 4; i++) {
      if (i >= avail) {
        return NEED_MORE;
      }
      if (b[off + i] != CAPTURE[i]) {
        return INVALID;
      }
    }
    if (avail < HEADER) {
      return NEED_MORE;
    }
    if (b[off + 4] != 0 || (b[off + 5] & ~7) != 0) {
      return INVALID;
    }
    int segments = b[off + 26] & 0xFF;
    if (avail < HEADER + segments) {
      return NEED_MORE;
    }
    int length = HEADER + segments;
    for (int i = 0; i < segments; i++) {
      length += b[off + HEADER + i] & 0xFF;
    }
    if (avail < length) {
      return NEED_MORE;
    }
    int stored =
        (b[off + 22] & 0xFF)
            | (b[off + 23] & 0xFF) << 8
            | (b[off + 24] & 0xFF) << 16
            | (b[off + 25] & 0xFF) << 24;
    return crc(b, off, length) == stored ? length : INVALID;
  }

  /** The CRC of a page, computed with its CRC field taken as zero. */
  static int crc(byte[] b, int off, int length) {
    int crc = 0;
    for (int i = 0; i < length; i++) {
      int v = (i >= 22 && i < 26) ? 0 : b[off + i] & 0xFF;
      crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ v) & 0xFF];
    }
    return crc;
  }

  static int flags(byte[] b, int off) {
    return b[off + 5] & 0xFF;
  }

  static long granule(byte[] b, int off) {
    long g = 0;
    for (int i = 7; i >= 0; i--) {
      g = (g << 8) | (b[off + 6 + i] & 0xFF);
    }
    return g;
  }
}
