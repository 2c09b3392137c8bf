package dev.floe.buffer.frame;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The committed audio fixtures (see fixtures/generate.sh) and straightforward reference scans of
 * them, written independently of the chunker: they walk a clean file from its first frame by the
 * frame lengths in the headers, with no searching and no validation beyond what the walk needs.
 */
final class Fixtures {
  private Fixtures() {}

  static byte[] load(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The packet offsets that ffprobe found when the fixtures were made. */
  static List<Integer> ffprobeOffsets(String name) {
    String text = new String(load(name + ".ffprobe-offsets"), StandardCharsets.US_ASCII);
    List<Integer> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        out.add(Integer.parseInt(line.trim()));
      }
    }
    return out;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  // ------------------------------------------------------------ reference MPEG / ADTS walk

  // kbit/s per bitrate index for: MPEG-1 layers I, II, III; MPEG-2/2.5 layer I; layers II+III.
  static final String[] KBPS = {
    "0 32 64 96 128 160 192 224 256 288 320 352 384 416 448",
    "0 32 48 56 64 80 96 112 128 160 192 224 256 320 384",
    "0 32 40 48 56 64 80 96 112 128 160 192 224 256 320",
    "0 32 48 56 64 80 96 112 128 144 160 176 192 224 256",
    "0 8 16 24 32 40 48 56 64 80 96 112 128 144 160",
  };

  /** Length of the MPEG audio or ADTS frame at {@code at}, or -1. */
  static int mpegFrameLength(byte[] d, int at) {
    if (at + 7 > d.length || (d[at] & 0xFF) != 0xFF) {
      return -1;
    }
    int b1 = d[at + 1] & 0xFF;
    int b2 = d[at + 2] & 0xFF;
    if ((b1 & 0xF6) == 0xF0) { // ADTS: 13-bit length in bytes 3..5
      return ((d[at + 3] & 3) << 11) | ((d[at + 4] & 0xFF) << 3) | ((d[at + 5] & 0xFF) >> 5);
    }
    if ((b1 & 0xE0) != 0xE0) {
      return -1;
    }
    int version = (b1 >> 3) & 3; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
    int layer = 4 - ((b1 >> 1) & 3);
    int brIndex = b2 >> 4;
    int srIndex = (b2 >> 2) & 3;
    if (version == 1 || layer == 4 || brIndex == 0 || brIndex == 15 || srIndex == 3) {
      return -1;
    }
    int table = version == 3 ? layer - 1 : (layer == 1 ? 3 : 4);
    int kbps = Integer.parseInt(KBPS[table].split(" ")[brIndex]);
    int[] base = {44100, 48000, 32000};
    int rate = base[srIndex] / (version == 3 ? 1 : version == 2 ? 2 : 4);
    int pad = (b2 >> 1) & 1;
    if (layer == 1) {
      return (12000 * kbps / rate + pad) * 4;
    }
    int factor = layer == 3 && version != 3 ? 72 : 144;
    return factor * 1000 * kbps / rate + pad;
  }

  /** Frame offsets from {@code from} on, walking frame lengths until the walk leaves the data. */
  static List<Integer> mpegFrames(byte[] d, int from, int to) {
    List<Integer> out = new ArrayList<>();
    int at = from;
    while (at < to) {
      int len = mpegFrameLength(d, at);
      if (len <= 0 || at + len > to) {
        break;
      }
      out.add(at);
      at += len;
    }
    if (at != to) {
      throw new IllegalStateException("walk stopped at " + at + " of " + to);
    }
    return out;
  }

  // ------------------------------------------------------------ reference Ogg walk

  record Page(int offset, int length, int flags, long granule) {
    boolean bos() {
      return (flags & 2) != 0;
    }
  }

  static List<Page> oggPages(byte[] d, int from, int to) {
    List<Page> out = new ArrayList<>();
    int at = from;
    while (at < to) {
      if (d[at] != 'O' || d[at + 1] != 'g' || d[at + 2] != 'g' || d[at + 3] != 'S') {
        throw new IllegalStateException("no page at " + at);
      }
      int n = d[at + 26] & 0xFF;
      int len = 27 + n;
      for (int i = 0; i < n; i++) {
        len += d[at + 27 + i] & 0xFF;
      }
      long granule = 0;
      for (int i = 7; i >= 0; i--) {
        granule = granule << 8 | (d[at + 6 + i] & 0xFF);
      }
      out.add(new Page(at, len, d[at + 5] & 0xFF, granule));
      at += len;
    }
    return out;
  }

  /** Pages that are codec headers: a BOS page and the granule-0 pages right after it. */
  static boolean[] headerPages(List<Page> pages) {
    boolean[] header = new boolean[pages.size()];
    boolean inHeader = false;
    for (int i = 0; i < pages.size(); i++) {
      Page p = pages.get(i);
      inHeader = p.bos() || (inHeader && p.granule() == 0);
      header[i] = inHeader;
    }
    return header;
  }

  // ------------------------------------------------------------ junk

  /** An ID3v2.4 tag of {@code bodyLength} bytes whose body is full of false MPEG syncs. */
  static byte[] fakeId3(int bodyLength) {
    byte[] tag = new byte[10 + bodyLength];
    tag[0] = 'I';
    tag[1] = 'D';
    tag[2] = '3';
    tag[3] = 4;
    tag[6] = (byte) ((bodyLength >> 21) & 0x7F);
    tag[7] = (byte) ((bodyLength >> 14) & 0x7F);
    tag[8] = (byte) ((bodyLength >> 7) & 0x7F);
    tag[9] = (byte) (bodyLength & 0x7F);
    for (int i = 10; i + 4 <= tag.length; i += 4) {
      tag[i] = (byte) 0xFF; // MPEG-1 layer III 128 kbit/s 44.1 kHz, 417 bytes, every 4 bytes
      tag[i + 1] = (byte) 0xFB;
      tag[i + 2] = (byte) 0x90;
      tag[i + 3] = (byte) 0x64;
    }
    return tag;
  }

  /**
   * Random bytes with lone frame headers planted in them (each a valid header whose successor is
   * not), so a scanner that trusts one header alone cuts in the wrong place.
   */
  static byte[] garbage(int length, long seed) {
    byte[] g = new byte[length];
    new Random(seed).nextBytes(g);
    for (int i = 0; i < g.length; i++) {
      if ((g[i] & 0xFF) == 0xFF) {
        g[i] = 0x11; // no accidental syncs beyond the planted ones
      }
    }
    byte[][] planted = {
      {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64}, // MP3 128k 44.1k
      {(byte) 0xFF, (byte) 0xF3, (byte) 0x80, (byte) 0xC4}, // MPEG-2 layer III
      {(byte) 0xFF, (byte) 0xF1, 0x50, 0x40, 0x34, (byte) 0xFF, (byte) 0xFC}, // ADTS
      {'O', 'g', 'g', 'S', 0, 2, 0, 0, 0, 0, 0, 0, 0, 0}, // a page start with a wrong CRC
    };
    int at = 5;
    for (byte[] p : planted) {
      if (at + p.length <= g.length) {
        System.arraycopy(p, 0, g, at, p.length);
      }
      at += length / planted.length;
    }
    return g;
  }
}
