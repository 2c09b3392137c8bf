package dev.floe.proxy.source;

import dev.floe.buffer.frame.ContentKind;
import dev.floe.buffer.frame.MpegHeaders;
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
    return MpegHeaders.frameLength(version, layer, bitrateIndex, rateIndex, (b2 >> 1) & 1);
  }
}
