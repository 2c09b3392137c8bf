package dev.floe.proxy.swarm;

import dev.floe.buffer.Chunk;
import dev.floe.buffer.Cursor;
import dev.floe.buffer.LappedException;
import dev.floe.buffer.StreamBuffer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test Ogg: valid pages (CRC included) of a synthetic Opus-like stream: a header (a BOS page with
 * {@code OpusHead}, a page with {@code OpusTags}, both granule 0) and numbered audio pages of
 * {@value #PAGE} bytes each.
 */
final class OggAudio {
  static final int BODY = 200;
  static final int PAGE = 27 + 1 + BODY;
  private static final int[] CRC = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int r = i << 24;
      for (int k = 0; k < 8; k++) {
        r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
      }
      CRC[i] = r;
    }
  }

  private OggAudio() {}

  /** One page: {@code flags} (2: BOS), granule, serial, page number, body (at most 255 bytes). */
  static byte[] page(int flags, long granule, int serial, int number, byte[] body) {
    byte[] p = new byte[27 + 1 + body.length];
    ByteBuffer b = ByteBuffer.wrap(p).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put("OggS".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 0).put((byte) flags)
        .putLong(granule).putInt(serial).putInt(number).putInt(0).put((byte) 1)
        .put((byte) body.length).put(body);
    int crc = 0;
    for (byte x : p) {
      crc = (crc << 8) ^ CRC[((crc >>> 24) ^ x) & 0xFF];
    }
    ByteBuffer.wrap(p).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(22, crc);
    return p;
  }

  /** The header pages of logical stream {@code serial}; {@code tag} goes into OpusTags. */
  static byte[] header(int serial, String tag) {
    byte[] head = "OpusHead\u0001\u0002\u0038\u0001\u0080\u00bb\u0000\u0000\u0000\u0000\u0000"
        .getBytes(StandardCharsets.ISO_8859_1);
    byte[] tags = ("OpusTags" + tag).getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(page(2, 0, serial, 0, head));
    out.writeBytes(page(0, 0, serial, 1, tags));
    return out.toByteArray();
  }

  /** {@code count} audio pages of {@code serial}, numbered from {@code first} (granule > 0). */
  static byte[] audio(int serial, int first, int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = first; i < first + count; i++) {
      byte[] body = new byte[BODY];
      for (int k = 0; k < BODY; k++) {
        body[k] = (byte) (i * 7 + k + serial);
      }
      out.writeBytes(page(0, 960L * (i + 1), serial, i + 2, body));
    }
    return out.toByteArray();
  }

  /** For each chunk {@code buffer} holds, oldest first: its header bytes (or null). */
  static List<byte[]> headers(StreamBuffer buffer) throws LappedException {
    List<byte[]> out = new ArrayList<>();
    Cursor c = buffer.open(buffer.oldest());
    for (Chunk ch = c.next(); ch != null; ch = c.next()) {
      if (ch.header() == null) {
        out.add(null);
      } else {
        ByteBuffer d = ch.header().data();
        byte[] h = new byte[d.remaining()];
        d.get(h);
        out.add(h);
      }
    }
    return out;
  }
}
