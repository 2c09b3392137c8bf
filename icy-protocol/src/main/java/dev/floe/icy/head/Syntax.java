package dev.floe.icy.head;

/** Character classes shared by the decoder, the encoder and {@link Headers}. */
final class Syntax {
  private Syntax() {}

  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 'a' + 'A'] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  /** RFC 9110 tchar. */
  static boolean isTchar(int c) {
    return c >= 0 && c < 128 && TCHAR[c];
  }

  /** A non-empty sequence of tchar. */
  static boolean isToken(CharSequence s) {
    if (s == null || s.length() == 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** A control byte that may not appear in a head: everything below SP except HT, and DEL. */
  static boolean isForbiddenControl(int b) {
    return (b < 0x20 && b != '\t') || b == 0x7F;
  }

  /** {@code TOKEN/d.d} (one or more digits each side of the dot). */
  static boolean isVersion(String s) {
    int slash = s.indexOf('/');
    if (slash <= 0 || !isToken(s.substring(0, slash))) {
      return false;
    }
    int dot = s.indexOf('.', slash + 1);
    if (dot < 0) {
      return false;
    }
    return isDigits(s, slash + 1, dot) && isDigits(s, dot + 1, s.length());
  }

  static boolean isDigits(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Trims SP and HT from both ends. */
  static String trimOws(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && isOws(s.charAt(b))) {
      b++;
    }
    while (e > b && isOws(s.charAt(e - 1))) {
      e--;
    }
    return s.substring(b, e);
  }

  static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  /** Throws when a start-line part or header value holds CR, LF, NUL or another control. */
  static void checkNoControls(String what, String s) {
    for (int i = 0; i < s.length(); i++) {
      if (isForbiddenControl(s.charAt(i))) {
        throw new IllegalArgumentException(
            what + " contains control character 0x" + Integer.toHexString(s.charAt(i)));
      }
    }
  }
}
