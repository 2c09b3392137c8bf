package dev.floe.proxy.playlist;

import dev.floe.buffer.frame.MpegHeaders;

/**
 * Splits an audio file's bytes into frames and tells each frame's duration: MPEG audio (MP3,
 * MP2), AAC in ADTS, and Ogg pages (Opus, Vorbis; a page lasts from the previous page's granule
 * position to its own). ID3v2 tags (and ID3v1's 128-byte {@code TAG} block) are dropped, and so
 * is anything between frames that does not parse. A pure state machine: bytes go in with {@link
 * #feed}, frames come out of {@link #next}, in any split. Memory is bounded by {@link #CAPACITY}.
 *
 * <p>A Xing, Info or VBRI header frame at the start is dropped too. Limits: free-format MP3 is not supported (no frame length in its header); the MPEG stream
 * is locked to the version, layer and sample rate of its first frame; Ogg page CRCs are not
 * checked (the mount's chunker checks them).
 */
public final class FrameReader {
  /** What the frames are. */
  public enum Kind {
    MPEG("audio/mpeg"), ADTS("audio/aac"), OGG("audio/ogg");

    private final String contentType;

    Kind(String contentType) {
      this.contentType = contentType;
    }

    /** The {@code Content-Type} of a stream of these frames. */
    public String contentType() {
      return contentType;
    }
  }

  /** Bytes held at most: more than the longest Ogg page (65,307 bytes). */
  public static final int CAPACITY = 128 * 1024;

  private final byte[] buf = new byte[CAPACITY];
  private int start;
  private int end;
  private long skip;
  private boolean ended;

  private Kind kind;
  private int mpegSignature = -1;
  private boolean first = true;
  private int oggRate;
  private long lastGranule;

  private int frameOff;
  private int frameLen;
  private long frameNanos;
  private int bitrate;

  /** Free space for {@link #feed}, after compaction. */
  public int room() {
    return CAPACITY - (end - start);
  }

  /** Copies up to {@link #room()} bytes of {@code src[off, off + len)}; returns how many. */
  public int feed(byte[] src, int off, int len) {
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      frameOff -= start;
      start = 0;
    }
    int n = Math.min(len, CAPACITY - end);
    System.arraycopy(src, off, buf, end, n);
    end += n;
    return n;
  }

  /** No more input: a partial frame at the end is dropped. */
  public void endOfInput() {
    ended = true;
  }

  /** Whether the input ended and every frame was taken. */
  public boolean finished() {
    return ended && !hasFrameAhead();
  }

  private boolean hasFrameAhead() {
    return end > start;
  }

  /**
   * Finds the next frame. Returns true when one is ready ({@link #frameBytes}, {@link
   * #frameOffset}, {@link #frameLength}, {@link #frameNanos}); false when more input is needed
   * (or, after {@link #endOfInput}, none is left).
   */
  public boolean next() {
    while (true) {
      if (skip > 0) {
        int n = (int) Math.min(skip, end - start);
        start += n;
        skip -= n;
        if (skip > 0) {
          return false;
        }
      }
      int avail = end - start;
      if (avail == 0) {
        return false;
      }
      int r = scan(start, avail);
      if (r > 0) {
        frameOff = start;
        frameLen = r;
        start += r;
        return true;
      }
      if (r == 0) {
        if (ended) {
          start = end; // a partial frame at the end
        }
        return false;
      }
      skip = -r;
    }
  }

  /** The array holding the current frame. */
  public byte[] frameBytes() {
    return buf;
  }

  public int frameOffset() {
    return frameOff;
  }

  public int frameLength() {
    return frameLen;
  }

  /** How long the current frame plays, in nanoseconds (0 for Ogg header pages). */
  public long frameNanos() {
    return frameNanos;
  }

  /** The kind of the frames, once the first was found; else null. */
  public Kind kind() {
    return kind;
  }

  /** The bitrate of the last MPEG or ADTS frame in kbit/s (0 for Ogg, or before any frame). */
  public int bitrate() {
    return bitrate;
  }

  /** A frame length (&gt; 0), 0 for "need more bytes", or minus the bytes to skip. */
  private int scan(int at, int avail) {
    int b0 = buf[at] & 0xFF;
    if (b0 == 'I' && kind != Kind.OGG) {
      if (avail < 10) {
        return ended ? -avail : 0;
      }
      if (buf[at + 1] == 'D' && buf[at + 2] == '3') {
        int size = ((buf[at + 6] & 0x7F) << 21) | ((buf[at + 7] & 0x7F) << 14)
            | ((buf[at + 8] & 0x7F) << 7) | (buf[at + 9] & 0x7F);
        return -(10 + size + ((buf[at + 5] & 0x10) != 0 ? 10 : 0));
      }
      return -1;
    }
    if (b0 == 'T' && kind != Kind.OGG) {
      if (avail < 3) {
        return ended ? -avail : 0;
      }
      return buf[at + 1] == 'A' && buf[at + 2] == 'G' ? -128 : -1;
    }
    if (b0 == 'O') {
      return ogg(at, avail);
    }
    if (b0 == 0xFF && kind != Kind.OGG) {
      if (avail < 7) {
        return ended ? -avail : 0;
      }
      int b1 = buf[at + 1] & 0xFF;
      int length = (b1 & 0xF6) == 0xF0 && kind != Kind.MPEG ? adts(at, b1)
          : (b1 & 0xE0) == 0xE0 && kind != Kind.ADTS ? mpeg(at, b1) : -1;
      if (length > avail) {
        return ended ? -avail : 0;
      }
      return length > 0 && first && xing(at, length) ? -length : length;
    }
    return -1;
  }

  /**
   * Whether an MPEG frame is a Xing, Info or VBRI header (a silent frame describing the whole
   * file): dropped, since a stream of several files must not claim to be one of them.
   */
  private boolean xing(int at, int length) {
    first = false;
    for (int i = at + 4; i + 4 <= at + Math.min(length, 40); i++) {
      String tag = new String(buf, i, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      if (tag.equals("Xing") || tag.equals("Info") || tag.equals("VBRI")) {
        return true;
      }
    }
    return false;
  }

  private int mpeg(int at, int b1) {
    int versionBits = (b1 >> 3) & 3;
    int layerBits = (b1 >> 1) & 3;
    int b2 = buf[at + 2] & 0xFF;
    int bitrateIndex = b2 >> 4;
    int rateIndex = (b2 >> 2) & 3;
    if (versionBits == 1 || layerBits == 0 || bitrateIndex == 0 || bitrateIndex == 15
        || rateIndex == 3) {
      return -1;
    }
    int signature = versionBits << 4 | layerBits << 2 | rateIndex;
    if (mpegSignature >= 0 && signature != mpegSignature) {
      return -1;
    }
    int kbps = MpegHeaders.bitrateKbps(versionBits, layerBits, bitrateIndex);
    int rate = MpegHeaders.sampleRate(versionBits, rateIndex);
    int samples = MpegHeaders.samplesPerFrame(versionBits, layerBits);
    int length = MpegHeaders.frameLength(versionBits, layerBits, bitrateIndex, rateIndex,
        (b2 >> 1) & 1);
    mpegSignature = signature;
    kind = Kind.MPEG;
    bitrate = kbps;
    frameNanos = samples * 1_000_000_000L / rate;
    return length;
  }

  private int adts(int at, int b1) {
    int b2 = buf[at + 2] & 0xFF;
    int rateIndex = (b2 >> 2) & 0xF;
    int length = ((buf[at + 3] & 3) << 11) | ((buf[at + 4] & 0xFF) << 3)
        | ((buf[at + 5] & 0xFF) >> 5);
    int rate = MpegHeaders.adtsSampleRate(rateIndex);
    if (rate == 0 || length < ((b1 & 1) == 0 ? 9 : 7)) {
      return -1;
    }
    long samples = 1024L * ((buf[at + 6] & 3) + 1);
    kind = Kind.ADTS;
    frameNanos = samples * 1_000_000_000L / rate;
    bitrate = (int) (length * 8L * rate / samples / 1000);
    return length;
  }

  private int ogg(int at, int avail) {
    if (avail < 27) {
      return ended ? -avail : 0;
    }
    if (buf[at + 1] != 'g' || buf[at + 2] != 'g' || buf[at + 3] != 'S' || buf[at + 4] != 0) {
      return -1;
    }
    int segments = buf[at + 26] & 0xFF;
    if (avail < 27 + segments) {
      return ended ? -avail : 0;
    }
    int length = 27 + segments;
    for (int i = 0; i < segments; i++) {
      length += buf[at + 27 + i] & 0xFF;
    }
    if (avail < length) {
      return ended ? -avail : 0;
    }
    int body = at + 27 + segments;
    if ((buf[at + 5] & 2) != 0) { // BOS: the codec's identification header
      oggRate = identRate(body, length - 27 - segments);
      lastGranule = 0;
    }
    long granule = 0;
    for (int i = 7; i >= 0; i--) {
      granule = (granule << 8) | (buf[at + 6 + i] & 0xFF);
    }
    frameNanos = 0;
    if (granule != -1 && oggRate > 0) {
      if (granule > lastGranule) {
        frameNanos = (granule - lastGranule) * 1_000_000_000L / oggRate;
      }
      lastGranule = granule;
    }
    kind = Kind.OGG;
    bitrate = 0;
    return length;
  }

  /** The sample rate of an Opus (always 48 kHz) or Vorbis identification header, else 0. */
  private int identRate(int at, int len) {
    if (len >= 8 && new String(buf, at, 8, java.nio.charset.StandardCharsets.ISO_8859_1)
        .equals("OpusHead")) {
      return 48_000;
    }
    if (len >= 16 && buf[at] == 1 && buf[at + 1] == 'v' && buf[at + 2] == 'o') {
      return (buf[at + 12] & 0xFF) | (buf[at + 13] & 0xFF) << 8 | (buf[at + 14] & 0xFF) << 16
          | (buf[at + 15] & 0xFF) << 24;
    }
    return 0;
  }
}
