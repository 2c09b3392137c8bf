package dev.floe.proxy.hls;

import java.io.ByteArrayOutputStream;

/** Synthetic MPEG-1 Layer III frames (44.1 kHz) with valid headers and silent payloads. */
final class Mp3 {
  private Mp3() {}

  /**
   * {@code count} frames at {@code 128} kbit/s whose padding bit follows the encoder's pattern
   * (417 or 418 bytes), as a real constant bitrate stream has.
   */
  static byte[] frames(int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long bytes = 0; // padding as LAME does: keep the average at exactly 128000 * 1152 / 44100 / 8
    for (int i = 0; i < count; i++) {
      long due = (i + 1) * 144L * 128_000 / 44_100;
      int padding = (int) (due - bytes - 417);
      padding = padding > 0 ? 1 : 0;
      byte[] f = new byte[417 + padding];
      f[0] = (byte) 0xFF;
      f[1] = (byte) 0xFB;
      f[2] = (byte) (0x90 | padding << 1);
      f[3] = (byte) 0x64;
      bytes += f.length;
      out.writeBytes(f);
    }
    return out.toByteArray();
  }

  /** Where each frame of {@link #frames} starts. */
  static long[] starts(byte[] stream) {
    long[] out = new long[stream.length / 417 + 1];
    int n = 0;
    int at = 0;
    while (at < stream.length) {
      out[n++] = at;
      at += 417 + ((stream[at + 2] >> 1) & 1);
    }
    return java.util.Arrays.copyOf(out, n);
  }
}
