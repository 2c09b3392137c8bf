package dev.floe.proxy.status;

/**
 * The escapers of every hand-written emitter (status pages, playlists, admin XML/JSON/HTML, error
 * pages): text from strangers (titles, names, Host headers) goes through one of these before it
 * reaches any output. Pure and stateless.
 *
 * <ul>
 *   <li>{@link #json}: JSON string literals (status JSON, admin JSON).
 *   <li>{@link #html}, {@link #xml}: UTF-8 HTML and XML (status page, XSPF).
 *   <li>{@link #icecastXmlText}, {@link #icecastXmlAttribute}: ASCII-only XML, as icecast2 2.4.4
 *       writes its admin documents (admin XML, admin HTML pages), so parity tests can compare
 *       bytes.
 *   <li>{@link #oneLine}: line-based playlists (M3U, PLS).
 *   <li>{@link #prometheusLabel}: label values in {@code /metrics}.
 *   <li>{@link #errorPageText}: the four characters the server's HTML error page has always
 *       escaped, nothing else.
 * </ul>
 *
 * <p>Unpaired surrogates cannot be encoded as UTF-8 and become U+FFFD everywhere except in
 * {@link #errorPageText}. In HTML and XML, control characters other than tab, line feed and
 * carriage return are not allowed and also become U+FFFD.
 */
public final class Escape {
  private static final char REPLACEMENT = '\uFFFD';
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Escape() {}

  /** Appends {@code s} as a JSON string literal, quotes included. */
  public static void json(StringBuilder out, String s) {
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
  public static String html(String s) {
    return markup(s);
  }

  /** Returns {@code s} escaped for XML 1.0 text and attribute values. */
  public static String xml(String s) {
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
  public static String oneLine(String s) {
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

  /**
   * Appends {@code s} escaped as libxml2 escapes element text when icecast2 2.4.4 serialises a
   * document without an encoding declaration: the output is ASCII and every other character is a
   * hexadecimal character reference such as {@code &#xE9;}; {@code <}, {@code >}, {@code &} and
   * CR are escaped, quotes, LF and tab are not. Characters XML 1.0 forbids (controls other than
   * tab, LF and CR, lone surrogates, U+FFFE, U+FFFF) become U+FFFD (written {@code &#xFFFD;});
   * icecast2 drops such values altogether.
   */
  public static void icecastXmlText(StringBuilder out, String s) {
    icecastXml(out, s, false);
  }

  /**
   * Appends {@code s} escaped as libxml2 escapes a double-quoted attribute value: as {@link
   * #icecastXmlText}, and {@code "}, LF and tab become {@code &quot;}, {@code &#10;}, {@code &#9;}.
   */
  public static void icecastXmlAttribute(StringBuilder out, String s) {
    icecastXml(out, s, true);
  }

  private static void icecastXml(StringBuilder out, String s, boolean attribute) {
    int n = s.length();
    for (int i = 0; i < n; ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (!validXml(cp)) {
        cp = REPLACEMENT;
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

  /**
   * Returns {@code s} with only {@code <}, {@code >}, {@code &} and {@code "} escaped: the text of
   * the server's own HTML error pages (a status line's message), kept as it always was. Controls
   * and lone surrogates pass through unchanged (the latter become {@code ?} in UTF-8).
   */
  public static String errorPageText(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * Returns {@code s} as a Prometheus text-format label value (without its quotes): backslash,
   * double quote and line feed escaped, as the format asks; nothing else changed.
   */
  public static String prometheusLabel(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
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
