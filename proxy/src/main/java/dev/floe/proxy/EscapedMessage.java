package dev.floe.proxy;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The log message with control characters escaped ({@code %safemsg} in {@code logback.xml}):
 * whatever a log line prints from the network (a title, a user agent, a decoded query parameter,
 * an upstream's header) stays one line, so nobody can forge log lines or write terminal escapes
 * into the journal. CR, LF and HT print as {@code \r}, {@code \n}, {@code \t}, every other C0
 * control, DEL, NEL, U+2028 and U+2029 as {@code \\x}NN or {@code \\u}NNNN. Stack traces are not
 * messages and keep their lines.
 */
public final class EscapedMessage extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return escape(event.getFormattedMessage());
  }

  /** {@code text} with its control characters escaped; {@code text} itself when it has none. */
  static String escape(String text) {
    if (text == null) {
      return "null";
    }
    int i = 0;
    while (i < text.length() && !control(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!control(c)) {
        sb.append(c);
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c < 0x100) {
        sb.append(String.format("\\x%02X", (int) c));
      } else {
        sb.append(String.format("\\u%04X", (int) c));
      }
    }
    return sb.toString();
  }

  private static boolean control(char c) {
    return c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }
}
