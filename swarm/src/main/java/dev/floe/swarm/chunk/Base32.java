package dev.floe.swarm.chunk;

/** RFC 4648 base32 without padding, written in lower case, read in either case. */
final class Base32 {
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

  private Base32() {}

  static String encode(byte[] in) {
    StringBuilder out = new StringBuilder((in.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : in) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  /**
   * Decodes exactly {@code length} bytes.
   *
   * @throws IllegalArgumentException naming the length or the first bad character
   */
  static byte[] decode(String text, int length) {
    int chars = (length * 8 + 4) / 5;
    if (text.length() != chars) {
      throw new IllegalArgumentException(
          "must be " + chars + " base32 characters (a-z, 2-7), got " + text.length());
    }
    byte[] out = new byte[length];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      int v = ALPHABET.indexOf(Character.toLowerCase(text.charAt(i)));
      if (v < 0) {
        throw new IllegalArgumentException(
            "bad base32 character '" + text.charAt(i) + "' at index " + i + " (use a-z, 2-7)");
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out[n++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    if ((buffer & ((1 << bits) - 1)) != 0) {
      throw new IllegalArgumentException("last base32 character has non-zero padding bits");
    }
    return out;
  }
}
