package dev.floe.proxy.status;

/**
 * Escapers for the hand-written emitters. Text from strangers (titles, names, Host headers) goes
 * through one of these before it reaches any output.
 *
 * <p>Unpaired surrogates cannot be encoded as UTF-8 and become U+FFFD everywhere. In HTML and
 * XML, control characters other than tab, line feed and carriage return are not allowed and also
 * become U+FFFD.
 */
final class Escape {
  private static final char REPLACEMENT = '\uFFFD';
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Escape() {}

  /** Appends {@code s} as a JSON string literal, quotes included. */
  static void json(StringBuilder out, String s) {
    out.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
        // U+2028/2029 are valid JSON but break JavaScript string literals (JSONP embedding).
        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
            .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
      } else if (Character.isSurrogate(c)) {
        i = appendSurrogate(out, s, i);
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  /** Returns {@code s} escaped for HTML text and double- or single-quoted attribute values. */
  static String html(String s) {
    return markup(s);
  }

  /** Returns {@code s} escaped for XML 1.0 text and attribute values. */
  static String xml(String s) {
    return markup(s);
  }

  private static String markup(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        case '\t', '\n', '\r' -> out.append(c);
        default -> {
          if (c < 0x20 || c == 0x7f || c == '\uFFFE' || c == '\uFFFF') {
            out.append(REPLACEMENT);
          } else if (Character.isSurrogate(c)) {
            i = appendSurrogate(out, s, i);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /**
   * Replaces CR, LF and other control characters with a space, for line-based formats (PLS, M3U)
   * where a line break in a title would inject a new entry. Unpaired surrogates become U+FFFD.
   */
  static String oneLine(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085') {
        out.append(' ');
      } else if (Character.isSurrogate(c)) {
        i = appendSurrogate(out, s, i);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Appends the pair starting at {@code i}, or U+FFFD if unpaired; returns the last index used. */
  private static int appendSurrogate(StringBuilder out, String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c) && i + 1 < s.length()
        && Character.isLowSurrogate(s.charAt(i + 1))) {
      out.append(c).append(s.charAt(i + 1));
      return i + 1;
    }
    out.append(REPLACEMENT);
    return i;
  }
}
