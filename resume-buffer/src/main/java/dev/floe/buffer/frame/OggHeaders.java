package dev.floe.buffer.frame;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The header packets of one Ogg logical stream, reassembled from its pages so they can be
 * re-paged on their own, as icecast2 does: some encoders (mpd after a tag change) put the last
 * header packets on a page together with audio, with a non-zero granule, and a player that
 * starts from such a header cannot decode. Pure: fed page bytes, no I/O.
 *
 * <p>How many header packets a stream has comes from its first packet: Vorbis and Theora 3,
 * Opus 2, Speex 2 plus its extra headers, FLAC 1 plus the count in its first packet. For any
 * other codec {@link #start} returns null and the caller keeps its page rule.
 */
final class OggHeaders {
  /** Returned by {@link #take} when a packet that should be a header is not one. */
  static final int NOT_HEADER = -2;

  private final int serial;
  private final int expected;
  /** The magic each later header packet starts with (by index), or null: not checked. */
  private final String[] magics;
  private final List<byte[]> packets = new ArrayList<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final int maxBytes;
  private int bytes;

  private OggHeaders(int serial, int expected, byte[] first, int maxBytes) {
    this.serial = serial;
    this.expected = expected;
    this.magics = magics(first);
    this.maxBytes = maxBytes;
    packets.add(first);
    bytes = first.length;
  }

  /**
   * Starts on a BOS page at {@code b[at]} (a whole, checked page): null when the page does not
   * hold exactly one complete packet of a known codec.
   */
  static OggHeaders start(byte[] b, int at, int maxBytes) {
    int segments = b[at + 26] & 0xFF;
    int length = 0;
    for (int i = 0; i < segments; i++) {
      int lace = b[at + OggPages.HEADER + i] & 0xFF;
      length += lace;
      if (lace < 255 && i != segments - 1) {
        return null; // more than one packet on the BOS page
      }
    }
    if (segments == 0 || (b[at + OggPages.HEADER + segments - 1] & 0xFF) == 255) {
      return null;
    }
    int body = at + OggPages.HEADER + segments;
    byte[] first = java.util.Arrays.copyOfRange(b, body, body + length);
    int count = headerCount(first);
    return count < 1 ? null : new OggHeaders(serial(b, at), count, first, maxBytes);
  }

  /** The number of header packets a stream with this first packet has, or -1 when unknown. */
  static int headerCount(byte[] p) {
    if (starts(p, 0, "\u0001vorbis") || starts(p, 0, "\u0080theora")) {
      return 3;
    }
    if (starts(p, 0, "OpusHead")) {
      return 2;
    }
    if (starts(p, 0, "Speex   ") && p.length >= 72) {
      int extra = le32(p, 68);
      return extra >= 0 && extra < 16 ? 2 + extra : -1;
    }
    if (starts(p, 0, "\u007fFLAC") && p.length >= 9) {
      int more = (p[7] & 0xFF) << 8 | (p[8] & 0xFF);
      return more == 0 ? -1 : 1 + more; // 0 means "unknown": keep the page rule
    }
    return -1;
  }

  /** The magics of the header packets after the first, for the codecs that have them. */
  private static String[] magics(byte[] first) {
    if (starts(first, 0, "\u0001vorbis")) {
      return new String[] {null, "\u0003vorbis", "\u0005vorbis"};
    }
    if (starts(first, 0, "\u0080theora")) {
      return new String[] {null, "\u0081theora", "\u0082theora"};
    }
    if (starts(first, 0, "OpusHead")) {
      return new String[] {null, "OpusTags"};
    }
    return null;
  }

  static int serial(byte[] b, int at) {
    return le32(b, at + 14);
  }

  int serialNumber() {
    return serial;
  }

  /** Whether every header packet has been read. */
  boolean done() {
    return packets.size() >= expected;
  }

  /** The header packets read so far, the first one first. */
  List<byte[]> packets() {
    return packets;
  }

  /** {@code Artist - Title} from the comment packet (the second), or null. */
  String title() {
    if (packets.size() < 2) {
      return null;
    }
    return OggComments.parse(packets.get(1), starts(packets.get(0), 0, "Speex   ")).display();
  }

  /**
   * Takes the header packets from the page at {@code b[at]} (a whole, checked page of this
   * stream) until they are complete.
   *
   * @return the number of the page's segments that belong to header packets: all of them, or
   *     fewer when the header ends inside the page (the rest is audio); -1 when the packets grow
   *     past the byte limit; {@link #NOT_HEADER} when a packet that should be a header is not
   */
  int take(byte[] b, int at) {
    int segments = b[at + 26] & 0xFF;
    int pos = at + OggPages.HEADER + segments;
    for (int i = 0; i < segments; i++) {
      if (done()) {
        return i;
      }
      int lace = b[at + OggPages.HEADER + i] & 0xFF;
      bytes += lace;
      if (bytes > maxBytes) {
        return -1;
      }
      partial.write(b, pos, lace);
      pos += lace;
      if (lace < 255) {
        byte[] packet = partial.toByteArray();
        partial.reset();
        String magic = magics == null ? null : magics[packets.size()];
        if (magic != null && !starts(packet, 0, magic)) {
          return NOT_HEADER;
        }
        packets.add(packet);
      }
    }
    return segments;
  }

  /**
   * One page of {@code serial} holding {@code segments} lacing values from the page at {@code
   * src[at]}, starting with its segment {@code from}, with the given flags, granule and sequence
   * number, and its CRC.
   */
  static byte[] repage(byte[] src, int at, int from, int count, int flags, long granule,
      int seq) {
    int segments = src[at + 26] & 0xFF;
    int bodyStart = at + OggPages.HEADER + segments;
    int skip = 0;
    for (int i = 0; i < from; i++) {
      skip += src[at + OggPages.HEADER + i] & 0xFF;
    }
    int length = 0;
    for (int i = from; i < from + count; i++) {
      length += src[at + OggPages.HEADER + i] & 0xFF;
    }
    byte[] p = new byte[OggPages.HEADER + count + length];
    System.arraycopy(src, at, p, 0, 4 + 1); // capture pattern and version
    p[5] = (byte) flags;
    for (int i = 0; i < 8; i++) {
      p[6 + i] = (byte) (granule >>> (8 * i));
    }
    System.arraycopy(src, at + 14, p, 14, 4); // serial
    for (int i = 0; i < 4; i++) {
      p[18 + i] = (byte) (seq >>> (8 * i));
    }
    p[26] = (byte) count;
    System.arraycopy(src, at + OggPages.HEADER + from, p, OggPages.HEADER, count);
    System.arraycopy(src, bodyStart + skip, p, OggPages.HEADER + count, length);
    int crc = OggPages.crc(p, 0, p.length);
    for (int i = 0; i < 4; i++) {
      p[22 + i] = (byte) (crc >>> (8 * i));
    }
    return p;
  }

  static int sequence(byte[] b, int at) {
    return le32(b, at + 18);
  }

  private static boolean starts(byte[] p, int off, String magic) {
    byte[] m = magic.getBytes(StandardCharsets.ISO_8859_1);
    if (p.length < off + m.length) {
      return false;
    }
    for (int i = 0; i < m.length; i++) {
      if (p[off + i] != m[i]) {
        return false;
      }
    }
    return true;
  }

  static int le32(byte[] b, int off) {
    return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16
        | (b[off + 3] & 0xFF) << 24;
  }
}
