package dev.floe.proxy.source;

import dev.floe.buffer.frame.ContentKind;
import java.nio.ByteBuffer;

/**
 * Tells, from a source's first bytes, whether it sends the audio its content type announces, so
 * a source sending garbage is logged. Listeners get the bytes either way (the chunker passes
 * non-frame bytes through); this only decides what to log.
 *
 * <p>MPEG (MP3 and AAC ADTS): audio once two frame headers follow each other at the frame length
 * the first announces. Ogg: audio once the capture pattern {@code OggS} appears. Other types are
 * never judged. After {@link #LIMIT} bytes without a match the verdict is {@link Verdict#GARBAGE}.
 * Pure: no I/O, no clock; the verdict does not depend on how the input is split.
 */
final class FrameSniffer {
  /** Bytes examined before giving up. */
  static final int LIMIT = 64 * 1024;

  /** What the bytes so far look like. */
  enum Verdict { UNDECIDED, AUDIO, GARBAGE, NOT_JUDGED }

  private static final int[][] BITRATES = {
      {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448}, // V1 L1
      {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384}, // V1 L2
      {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}, // V1 L3
      {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256}, // V2 L1
      {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}, // V2 L2, L3
  };
  private static final int[] RATES = {44100, 48000, 32000};

  private final ContentKind kind;
  private final byte[] seen = new byte[LIMIT];
  private int length;
  private int scanned;
  private Verdict verdict;

  FrameSniffer(ContentKind kind) {
    this.kind = kind;
    this.verdict = kind == ContentKind.OTHER ? Verdict.NOT_JUDGED : Verdict.UNDECIDED;
  }

  Verdict verdict() {
    return verdict;
  }

  /** Looks at more bytes (the buffer's position is not moved); returns the verdict so far. */
  Verdict feed(ByteBuffer bytes) {
    if (verdict != Verdict.UNDECIDED) {
      return verdict;
    }
    int n = Math.min(bytes.remaining(), LIMIT - length);
    bytes.duplicate().get(seen, length, n);
    length += n;
    scan();
    if (verdict == Verdict.UNDECIDED && length == LIMIT) {
      verdict = Verdict.GARBAGE;
    }
    return verdict;
  }

  private void scan() {
    if (kind == ContentKind.OGG) {
      for (; scanned + 4 <= length; scanned++) {
        if (seen[scanned] == 'O' && seen[scanned + 1] == 'g' && seen[scanned + 2] == 'g'
            && seen[scanned + 3] == 'S') {
          verdict = Verdict.AUDIO;
          return;
        }
      }
      return;
    }
    for (; scanned + 6 <= length; scanned++) {
      int len = frameLength(scanned);
      if (len <= 0) {
        continue;
      }
      if (scanned + len + 6 > length) {
        return; // wait for the next header's bytes
      }
      if (frameLength(scanned + len) > 0) {
        verdict = Verdict.AUDIO;
        return;
      }
    }
  }

  /** The length of the MPEG audio or ADTS frame whose header starts at {@code i}, or 0. */
  private int frameLength(int i) {
    int b0 = seen[i] & 0xFF;
    int b1 = seen[i + 1] & 0xFF;
    if (b0 != 0xFF || (b1 & 0xE0) != 0xE0) {
      return 0;
    }
    int b2 = seen[i + 2] & 0xFF;
    int layer = (b1 >> 1) & 3;
    if (layer == 0) { // ADTS
      if ((b1 & 0xF6) != 0xF0 || ((b2 >> 2) & 0xF) > 12) {
        return 0;
      }
      int len = ((seen[i + 3] & 3) << 11) | ((seen[i + 4] & 0xFF) << 3)
          | ((seen[i + 5] & 0xFF) >> 5);
      return len >= 7 ? len : 0;
    }
    int version = (b1 >> 3) & 3; // 3 = MPEG 1, 2 = MPEG 2, 0 = MPEG 2.5
    int bitrateIndex = b2 >> 4;
    int rateIndex = (b2 >> 2) & 3;
    if (version == 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
      return 0;
    }
    boolean v1 = version == 3;
    int table = v1 ? 3 - layer : (layer == 3 ? 3 : 4);
    int bitrate = BITRATES[table][bitrateIndex] * 1000;
    int rate = RATES[rateIndex] >> (v1 ? 0 : version == 2 ? 1 : 2);
    int padding = (b2 >> 1) & 1;
    if (layer == 3) { // layer I
      return (12 * bitrate / rate + padding) * 4;
    }
    int factor = layer == 1 && !v1 ? 72 : 144; // layer III in MPEG 2/2.5: 576 samples
    return factor * bitrate / rate + padding;
  }
}
