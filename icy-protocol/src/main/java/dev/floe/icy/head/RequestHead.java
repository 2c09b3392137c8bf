package dev.floe.icy.head;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request start line and its headers. {@code target} is kept raw (not percent-decoded); the
 * method and version are kept as sent ({@code SOURCE}, {@code ICE/1.0} ...).
 */
public record RequestHead(String method, String target, String version, Headers headers) {
  public RequestHead {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(version, "version");
    headers = headers == null ? Headers.EMPTY : headers;
  }

  /** The target before the first {@code ?}, raw. */
  public String path() {
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  /** The target after the first {@code ?}, raw, or "" when there is none. */
  public String query() {
    int q = target.indexOf('?');
    return q < 0 ? "" : target.substring(q + 1);
  }

  /**
   * The query decoded as application/x-www-form-urlencoded with UTF-8: {@code +} is a space,
   * {@code %XX} a byte (a malformed escape is kept literally). The first value of a name wins; a
   * name without {@code =} has the value "". Unmodifiable, in order of first appearance.
   */
  public Map<String, String> queryParams() {
    String q = query();
    if (q.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    int start = 0;
    while (start <= q.length()) {
      int amp = q.indexOf('&', start);
      int end = amp < 0 ? q.length() : amp;
      if (end > start) {
        int eq = q.indexOf('=', start);
        String name;
        String value;
        if (eq < 0 || eq > end) {
          name = formDecode(q, start, end);
          value = "";
        } else {
          name = formDecode(q, start, eq);
          value = formDecode(q, eq + 1, end);
        }
        if (!name.isEmpty()) {
          out.putIfAbsent(name, value);
        }
      }
      start = end + 1;
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The Host header without its port, or null when there is no Host header. An IPv6 literal keeps
   * its brackets ({@code [::1]:8000} gives {@code [::1]}), as in a URL.
   */
  public String host() {
    String h = headers.get("Host");
    if (h == null) {
      return null;
    }
    h = h.trim();
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      return close < 0 ? h : h.substring(0, close + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  /** The port of the Host header, or {@code defaultPort} when absent or not a valid port. */
  public int hostPort(int defaultPort) {
    String h = headers.get("Host");
    if (h == null) {
      return defaultPort;
    }
    h = h.trim();
    int from = 0;
    if (h.startsWith("[")) {
      from = h.indexOf(']');
      if (from < 0) {
        return defaultPort;
      }
    }
    int colon = h.indexOf(':', from);
    if (colon < 0 || colon == h.length() - 1 || h.length() - colon - 1 > 5) {
      return defaultPort;
    }
    if (!Syntax.isDigits(h, colon + 1, h.length())) {
      return defaultPort;
    }
    int port = Integer.parseInt(h.substring(colon + 1));
    return port <= 65535 ? port : defaultPort;
  }

  private static String formDecode(String s, int from, int to) {
    boolean plain = true;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '+' || c == '%' || c > 0x7F) {
        plain = false;
        break;
      }
    }
    if (plain) {
      return s.substring(from, to);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%' && i + 2 < to && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
        bytes.write(hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
        i += 2;
      } else if (c <= 0xFF) {
        // The decoder maps raw bytes to chars 0x00-0xFF: put them back as the same bytes.
        bytes.write(c);
      } else {
        int cp = s.codePointAt(i);
        byte[] u = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        bytes.write(u, 0, u.length);
        i += Character.charCount(cp) - 1;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
