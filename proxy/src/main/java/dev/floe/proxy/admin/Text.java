package dev.floe.proxy.admin;

/**
 * Escapers shaped after what icecast2 2.4.4 sends: libxml2 serialising a document without an
 * encoding declaration (so the output is ASCII and every other character is a hexadecimal
 * character reference such as {@code &#xE9;}), and JSON strings.
 *
 * <p>Characters XML 1.0 forbids (controls other than tab, line feed and carriage return, lone
 * surrogates, U+FFFE, U+FFFF) become U+FFFD; icecast2 drops such values altogether.
 */
final class Text {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Text() {}

  /** Appends {@code s} escaped as libxml2 escapes element text. */
  static void xmlText(StringBuilder out, String s) {
    xml(out, s, false);
  }

  /** Appends {@code s} escaped as libxml2 escapes a double-quoted attribute value. */
  static void xmlAttribute(StringBuilder out, String s) {
    xml(out, s, true);
  }

  private static void xml(StringBuilder out, String s, boolean attribute) {
    int n = s.length();
    for (int i = 0; i < n; ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (!validXml(cp)) {
        cp = 0xFFFD;
      }
      switch (cp) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '\r' -> out.append("&#13;");
        case '"' -> out.append(attribute ? "&quot;" : "\"");
        case '\n' -> out.append(attribute ? "&#10;" : "\n");
        case '\t' -> out.append(attribute ? "&#9;" : "\t");
        default -> {
          if (cp < 0x80) {
            out.append((char) cp);
          } else {
            out.append("&#x").append(Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT))
                .append(';');
          }
        }
      }
    }
  }

  private static boolean validXml(int cp) {
    if (cp < 0x20) {
      return cp == '\t' || cp == '\n' || cp == '\r';
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      return false; // a lone surrogate (codePointAt returns it unpaired)
    }
    return cp != 0xFFFE && cp != 0xFFFF;
  }

  /** Appends {@code s} as a JSON string literal, quotes included; lone surrogates become U+FFFD. */
  static void json(StringBuilder out, String s) {
    out.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
            .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
      } else if (Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  /** The length of {@code s} in UTF-8 bytes. */
  static int utf8Length(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }
}
