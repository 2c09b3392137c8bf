package dev.floe.buffer.frame;

/**
 * Parses MPEG audio frame headers (MPEG 1, 2 and 2.5; layers I, II and III) and AAC ADTS headers.
 * Stateless and allocation-free, so safe from any thread.
 *
 * <p>{@link #parse} returns a packed value: the frame length in the low 32 bits and a signature
 * in the high bits. Two headers belong to the same stream when their signatures are equal: for
 * MPEG audio the version, layer and sample-rate index; for ADTS the MPEG id, profile and
 * sample-rate index.
 *
 * <p>This is the project's one copy of the MPEG audio tables (bitrates, sample rates, samples per
 * frame) and of the frame-length formula: the public methods below serve the proxy's playlist
 * reader and source sniffer, which apply their own acceptance rules around them.
 */
public final class MpegHeaders {
  /** The bytes are not a header (here or ever). */
  static final long INVALID = -1;

  /** The bytes so far may start a header: more are needed to tell. */
  static final long NEED_MORE = -2;

  /** Longest frame: an ADTS frame length has 13 bits. */
  static final int MAX_FRAME = 8191;

  /** Longest header: ADTS. */
  static final int MAX_HEADER = 7;

  // Bitrates in kbit/s, by [table][bitrate index].
  private static final int[][] BITRATES = {
    {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448}, // MPEG-1 layer I
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384}, // MPEG-1 layer II
    {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}, // MPEG-1 layer III
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256}, // MPEG-2/2.5 layer I
    {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}, // MPEG-2/2.5 layers II, III
  };

  // Sample rates in Hz, by [version bits][sample-rate index]; version bits 01 are reserved.
  private static final int[][] SAMPLE_RATES = {
    {11025, 12000, 8000}, // 00: MPEG-2.5
    null, // 01: reserved
    {22050, 24000, 16000}, // 10: MPEG-2
    {44100, 48000, 32000}, // 11: MPEG-1
  };

  // ADTS sample rates in Hz, by sampling-frequency index; 13 to 15 are reserved or explicit.
  private static final int[] ADTS_SAMPLE_RATES = {
    96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
  };

  private static final long ADTS_TAG = 1L << 20;

  private MpegHeaders() {}

  /**
   * Parses the header at {@code b[off]}, of which {@code avail} bytes exist.
   *
   * @return {@link #INVALID}, {@link #NEED_MORE}, or {@code signature << 32 | frameLength}
   */
  static long parse(byte[] b, int off, int avail) {
    if (avail < 1) {
      return NEED_MORE;
    }
    if ((b[off] & 0xFF) != 0xFF) {
      return INVALID;
    }
    if (avail < 2) {
      return NEED_MORE;
    }
    int b1 = b[off + 1] & 0xFF;
    if ((b1 & 0xE0) != 0xE0) {
      return INVALID;
    }
    int layerBits = (b1 >> 1) & 3;
    if (layerBits == 0) {
      return (b1 & 0xF0) == 0xF0 ? parseAdts(b, off, avail, b1) : INVALID;
    }
    int versionBits = (b1 >> 3) & 3;
    if (versionBits == 1) {
      return INVALID;
    }
    if (avail < 3) {
      return NEED_MORE;
    }
    int b2 = b[off + 2] & 0xFF;
    int bitrateIndex = b2 >> 4;
    int rateIndex = (b2 >> 2) & 3;
    if (bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
      return INVALID; // free format is not supported: its frame length is not in the header
    }
    if (avail < 4) {
      return NEED_MORE;
    }
    if ((b[off + 3] & 3) == 2) {
      return INVALID; // reserved emphasis
    }
    int length = frameLength(versionBits, layerBits, bitrateIndex, rateIndex, (b2 >> 1) & 1);
    long signature = (versionBits << 4) | (layerBits << 2) | rateIndex;
    return signature << 32 | length;
  }

  /**
   * The bitrate in kbit/s of an MPEG audio header's fields: {@code versionBits} (3 = MPEG-1, 2 =
   * MPEG-2, 0 = MPEG-2.5), {@code layerBits} (3 = layer I, 2 = II, 1 = III) and the 4-bit
   * {@code bitrateIndex}; 0 when they are no valid header (reserved version or layer, free format
   * index 0, bad index 15).
   */
  public static int bitrateKbps(int versionBits, int layerBits, int bitrateIndex) {
    if (versionBits == 1 || versionBits < 0 || versionBits > 3 || layerBits < 1 || layerBits > 3
        || bitrateIndex < 1 || bitrateIndex > 14) {
      return 0;
    }
    int layer = 4 - layerBits; // 11 -> I, 10 -> II, 01 -> III
    int table = versionBits == 3 ? layer - 1 : (layer == 1 ? 3 : 4);
    return BITRATES[table][bitrateIndex];
  }

  /**
   * The sample rate in Hz of an MPEG audio header's {@code versionBits} and 2-bit {@code
   * rateIndex}; 0 when reserved (version 01, index 3).
   */
  public static int sampleRate(int versionBits, int rateIndex) {
    if (versionBits < 0 || versionBits > 3 || versionBits == 1 || rateIndex < 0 || rateIndex > 2) {
      return 0;
    }
    return SAMPLE_RATES[versionBits][rateIndex];
  }

  /**
   * Samples per channel in one MPEG audio frame: 384 for layer I, 576 for layer III in MPEG-2 and
   * 2.5, else 1152; 0 for a reserved version or layer.
   */
  public static int samplesPerFrame(int versionBits, int layerBits) {
    if (versionBits < 0 || versionBits > 3 || versionBits == 1 || layerBits < 1 || layerBits > 3) {
      return 0;
    }
    int layer = 4 - layerBits;
    return layer == 1 ? 384 : (layer == 3 && versionBits != 3 ? 576 : 1152);
  }

  /**
   * The length in bytes of an MPEG audio frame with these header fields ({@code padding} is the
   * padding bit, 0 or 1: one 4-byte slot in layer I, one byte otherwise); 0 when the fields are
   * no valid header (see {@link #bitrateKbps} and {@link #sampleRate}).
   */
  public static int frameLength(
      int versionBits, int layerBits, int bitrateIndex, int rateIndex, int padding) {
    int kbps = bitrateKbps(versionBits, layerBits, bitrateIndex);
    int sampleRate = sampleRate(versionBits, rateIndex);
    if (kbps == 0 || sampleRate == 0) {
      return 0;
    }
    int bitrate = kbps * 1000;
    int layer = 4 - layerBits;
    if (layer == 1) {
      return (12 * bitrate / sampleRate + padding) * 4;
    }
    if (layer == 3 && versionBits != 3) {
      return 72 * bitrate / sampleRate + padding;
    }
    return 144 * bitrate / sampleRate + padding;
  }

  /** The sample rate in Hz of an ADTS sampling-frequency index (4 bits); 0 for 13 to 15. */
  public static int adtsSampleRate(int rateIndex) {
    return rateIndex >= 0 && rateIndex < ADTS_SAMPLE_RATES.length
        ? ADTS_SAMPLE_RATES[rateIndex] : 0;
  }

  private static long parseAdts(byte[] b, int off, int avail, int b1) {
    if (avail < 3) {
      return NEED_MORE;
    }
    int b2 = b[off + 2] & 0xFF;
    int rateIndex = (b2 >> 2) & 0xF;
    if (adtsSampleRate(rateIndex) == 0) {
      return INVALID;
    }
    if (avail < 6) {
      return NEED_MORE;
    }
    int length =
        ((b[off + 3] & 3) << 11) | ((b[off + 4] & 0xFF) << 3) | ((b[off + 5] & 0xFF) >> 5);
    boolean crc = (b1 & 1) == 0;
    if (length < (crc ? 9 : 7)) {
      return INVALID;
    }
    if (avail < 7) {
      return NEED_MORE;
    }
    int id = (b1 >> 3) & 1;
    int profile = b2 >> 6;
    long signature = ADTS_TAG | (id << 8) | (profile << 4) | rateIndex;
    return signature << 32 | length;
  }

  /**
   * One MPEG audio or ADTS frame as its header describes it.
   *
   * @param length the frame's length in bytes, header included
   * @param samples samples per channel the frame decodes to
   * @param sampleRate in Hz
   * @param bitrateKbps an MPEG audio header's bitrate; 0 for ADTS, whose header has none
   */
  public record Frame(int length, int samples, int sampleRate, int bitrateKbps) {}

  /**
   * The frame whose header starts at {@code b[off]} (of which {@code avail} bytes exist), or null
   * when the bytes there are no complete valid header. The caller decides whether to trust it
   * (e.g. whether the next header follows).
   */
  public static Frame frame(byte[] b, int off, int avail) {
    long parsed = parse(b, off, avail);
    if (parsed < 0) {
      return null;
    }
    int b1 = b[off + 1] & 0xFF;
    int layerBits = (b1 >> 1) & 3;
    int b2 = b[off + 2] & 0xFF;
    if (layerBits == 0) { // ADTS: 1024 samples per raw data block
      return new Frame(length(parsed), 1024 * ((b[off + 6] & 3) + 1),
          adtsSampleRate((b2 >> 2) & 0xF), 0);
    }
    int versionBits = (b1 >> 3) & 3;
    return new Frame(length(parsed), samplesPerFrame(versionBits, layerBits),
        sampleRate(versionBits, (b2 >> 2) & 3), bitrateKbps(versionBits, layerBits, b2 >> 4));
  }

  static int length(long parsed) {
    return (int) parsed;
  }

  static long signature(long parsed) {
    return parsed >>> 32;
  }
}
