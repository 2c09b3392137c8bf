package dev.floe.proxy.hls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The ID3v2.4 tag at the front of every HLS segment of packed audio: a {@code PRIV} frame owned by
 * {@code com.apple.streaming.transportStreamTimestamp} with the 33-bit 90 kHz timestamp of the
 * segment's first sample (RFC 8216 section 3.4, so players align segments), and the title in
 * force ({@code TIT2}, UTF-8) when there is one. Pure: the same arguments give the same bytes.
 */
public final class Id3 {
  /** The owner of the timestamp {@code PRIV} frame. */
  public static final String TIMESTAMP_OWNER = "com.apple.streaming.transportStreamTimestamp";

  /** Timestamps wrap at 33 bits, as MPEG-2 transport stream timestamps do. */
  public static final long TIMESTAMP_MASK = (1L << 33) - 1;

  /** Titles are cut to this many bytes of UTF-8 (on a character boundary). */
  static final int MAX_TITLE_BYTES = 1024;

  private Id3() {}

  /**
   * The tag for a segment whose first sample is at {@code timestamp90k} (taken modulo 2^33), with
   * {@code title} as {@code TIT2} unless it is null or empty.
   */
  public static byte[] tag(long timestamp90k, String title) {
    ByteArrayOutputStream frames = new ByteArrayOutputStream(128);
    byte[] owner = TIMESTAMP_OWNER.getBytes(StandardCharsets.ISO_8859_1);
    byte[] priv = new byte[owner.length + 1 + 8];
    System.arraycopy(owner, 0, priv, 0, owner.length);
    long ts = timestamp90k & TIMESTAMP_MASK;
    for (int i = 0; i < 8; i++) {
      priv[owner.length + 1 + i] = (byte) (ts >>> (56 - 8 * i));
    }
    frame(frames, "PRIV", priv);
    if (title != null && !title.isEmpty()) {
      byte[] text = utf8(title);
      byte[] tit2 = new byte[1 + text.length];
      tit2[0] = 3; // UTF-8
      System.arraycopy(text, 0, tit2, 1, text.length);
      frame(frames, "TIT2", tit2);
    }
    byte[] body = frames.toByteArray();
    byte[] out = new byte[10 + body.length];
    out[0] = 'I';
    out[1] = 'D';
    out[2] = '3';
    out[3] = 4; // ID3v2.4.0
    out[4] = 0;
    out[5] = 0; // no flags
    syncsafe(out, 6, body.length);
    System.arraycopy(body, 0, out, 10, body.length);
    return out;
  }

  private static void frame(ByteArrayOutputStream out, String id, byte[] data) {
    byte[] head = new byte[10];
    for (int i = 0; i < 4; i++) {
      head[i] = (byte) id.charAt(i);
    }
    syncsafe(head, 4, data.length); // v2.4 frame sizes are syncsafe too
    out.writeBytes(head);
    out.writeBytes(data);
  }

  /** {@code value} (below 2^28) as four 7-bit bytes, most significant first. */
  static void syncsafe(byte[] b, int off, int value) {
    if (value < 0 || value >= 1 << 28) {
      throw new IllegalArgumentException("ID3 size out of range: " + value);
    }
    for (int i = 0; i < 4; i++) {
      b[off + i] = (byte) ((value >>> (21 - 7 * i)) & 0x7F);
    }
  }

  /** The title as UTF-8, cut to {@link #MAX_TITLE_BYTES} without splitting a character. */
  private static byte[] utf8(String title) {
    byte[] all = title.getBytes(StandardCharsets.UTF_8);
    if (all.length <= MAX_TITLE_BYTES) {
      return all;
    }
    int end = MAX_TITLE_BYTES;
    while (end > 0 && (all[end] & 0xC0) == 0x80) {
      end--; // all[end] continues a character: cut before that character starts
    }
    byte[] cut = new byte[end];
    System.arraycopy(all, 0, cut, 0, end);
    return cut;
  }
}
