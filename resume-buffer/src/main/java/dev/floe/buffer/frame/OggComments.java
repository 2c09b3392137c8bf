package dev.floe.buffer.frame;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Artist and title from an Ogg stream's comment header: a Vorbis comment packet ({@code
 * \x03vorbis}), Opus's {@code OpusTags}, Theora's {@code \x81theora}, FLAC's {@code
 * VORBIS_COMMENT} block, or Speex's bare comment list. Pure and bounded: a malformed packet
 * gives what was read before the fault, never an exception.
 */
final class OggComments {
  /** Longest value kept; longer ones are cut (a title, not a cover image). */
  static final int MAX_VALUE = 1024;

  /** The fields the status shows; either may be null. */
  record Tags(String artist, String title) {
    static final Tags NONE = new Tags(null, null);

    /** {@code Artist - Title} as Icecast shows an MP3 stream's title, or whichever is set. */
    String display() {
      if (artist != null && title != null) {
        return artist + " - " + title;
      }
      return title != null ? title : artist;
    }
  }

  private OggComments() {}

  /**
   * The tags of a comment packet.
   *
   * @param speex whether the stream is Speex (its comment packet has no magic)
   */
  static Tags parse(byte[] p, boolean speex) {
    int off;
    if (startsWith(p, "\u0003vorbis") || startsWith(p, "\u0081theora")) {
      off = 7;
    } else if (startsWith(p, "OpusTags")) {
      off = 8;
    } else if (p.length >= 4 && (p[0] & 0x7F) == 4) {
      off = 4; // a FLAC metadata block of type VORBIS_COMMENT
    } else if (speex) {
      off = 0;
    } else {
      return Tags.NONE;
    }
    String artist = null;
    String title = null;
    long vendor = u32(p, off);
    if (vendor < 0 || off + 4 + vendor + 4 > p.length) {
      return Tags.NONE;
    }
    int at = (int) (off + 4 + vendor);
    long count = u32(p, at);
    at += 4;
    for (long i = 0; i < count && at + 4 <= p.length; i++) {
      long len = u32(p, at);
      at += 4;
      if (len > p.length - at) {
        break;
      }
      String field = new String(p, at, (int) len, StandardCharsets.UTF_8);
      at += (int) len;
      int eq = field.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = field.substring(0, eq).toUpperCase(Locale.ROOT);
      String value = field.substring(eq + 1).strip();
      if (value.length() > MAX_VALUE) {
        value = value.substring(0, MAX_VALUE);
      }
      if (value.isEmpty()) {
        continue;
      }
      if (key.equals("ARTIST") && artist == null) {
        artist = value;
      } else if (key.equals("TITLE") && title == null) {
        title = value;
      }
    }
    return new Tags(artist, title);
  }

  private static boolean startsWith(byte[] p, String magic) {
    byte[] m = magic.getBytes(StandardCharsets.ISO_8859_1);
    if (p.length < m.length) {
      return false;
    }
    for (int i = 0; i < m.length; i++) {
      if (p[i] != m[i]) {
        return false;
      }
    }
    return true;
  }

  /** An unsigned little-endian 32-bit value at {@code off}, or -1 past the end. */
  private static long u32(byte[] p, int off) {
    if (off < 0 || off + 4 > p.length) {
      return -1;
    }
    return OggHeaders.le32(p, off) & 0xFFFFFFFFL;
  }
}
