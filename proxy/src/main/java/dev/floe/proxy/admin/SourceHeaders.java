package dev.floe.proxy.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Maps a source's request headers to the stream headers its listeners get, as icecast2 2.4.4's
 * {@code format_prepare_headers} does.
 *
 * <p>icecast2 keeps the source's headers in a tree keyed by lower-cased name (a repeated name
 * keeps its last value) and walks it in name order:
 * <ul>
 *   <li>{@code ice-audio-info}: the first time, when its value contains {@code bitrate=} followed
 *       by digits, {@code icy-br:<n>} is written; then (always) the header itself is passed
 *       through as {@code ice-audio-info: <value>}, with a space after the colon ("because of
 *       relays"). Note {@code ice-bitrate=128} inside the value matches too.</li>
 *   <li>{@code ice-password} and {@code icy-metaint} are never passed on.</li>
 *   <li>{@code ice-public} becomes {@code icy-pub}, {@code ice-bitrate} becomes {@code icy-br},
 *       any other {@code ice-X} becomes {@code icy-X}.</li>
 *   <li>{@code icy-*} headers pass through unchanged (ffmpeg's {@code Icy-MetaData: 1} on its
 *       source request thus reaches listeners as {@code icy-metadata:1}).</li>
 *   <li>Everything else is dropped.</li>
 * </ul>
 * Names come out in lower case, values as sent (trimmed); a name can appear twice (e.g.
 * {@code icy-br} from both {@code ice-audio-info} and {@code ice-bitrate}), as on icecast2.
 * {@code <stream-name>}-style mount overrides are the caller's business.
 */
public final class SourceHeaders {

  /**
   * One header.
   *
   * @param name the header name (lower case in the output)
   * @param value the value
   */
  public record Header(String name, String value) {
    /** Rejects nulls. */
    public Header {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }

    /**
     * The header line as icecast2 writes it, without CRLF: {@code name:value}, except
     * {@code ice-audio-info: value}.
     */
    public String line() {
      return name + (name.equals("ice-audio-info") ? ": " : ":") + value;
    }
  }

  private SourceHeaders() {}

  /**
   * The listener headers for a source's request headers.
   *
   * @param sourceHeaders the source request's headers in arrival order, any case
   * @return the headers to send to each listener, in icecast2's order
   */
  public static List<Header> forListeners(List<Header> sourceHeaders) {
    TreeMap<String, String> vars = new TreeMap<>();
    for (Header h : sourceHeaders) {
      vars.put(h.name().trim().toLowerCase(Locale.ROOT), h.value().trim());
    }
    List<Header> out = new ArrayList<>();
    boolean bitrateFiltered = false;
    for (Map.Entry<String, String> e : vars.entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      if (name.equals("ice-audio-info")) {
        if (!bitrateFiltered) {
          Long bitrate = bitrate(value);
          if (bitrate != null) {
            out.add(new Header("icy-br", Long.toString(bitrate)));
            bitrateFiltered = true;
          }
        }
        out.add(new Header(name, value));
      } else if (name.equals("ice-password") || name.equals("icy-metaint")) {
        continue;
      } else if (name.startsWith("ice-")) {
        String mapped = switch (name) {
          case "ice-public" -> "icy-pub";
          case "ice-bitrate" -> "icy-br";
          default -> "icy" + name.substring(3);
        };
        out.add(new Header(mapped, value));
      } else if (name.startsWith("icy-")) {
        out.add(new Header(name, value));
      }
    }
    return List.copyOf(out);
  }

  /**
   * The head lines for {@code headers}, each ending in CRLF, as icecast2 formats them.
   */
  public static String lines(List<Header> headers) {
    StringBuilder sb = new StringBuilder(32 * headers.size());
    for (Header h : headers) {
      sb.append(h.line()).append("\r\n");
    }
    return sb.toString();
  }

  /**
   * {@code sscanf(strstr(value, "bitrate="), "bitrate=%u")}: the unsigned number after the first
   * {@code bitrate=}, blanks skipped, saturating at 2^32-1; {@code null} when there is none.
   */
  static Long bitrate(String value) {
    int at = value.indexOf("bitrate=");
    if (at < 0) {
      return null;
    }
    int i = at + "bitrate=".length();
    int n = value.length();
    while (i < n && Character.isWhitespace(value.charAt(i))) {
      i++;
    }
    int start = i;
    long v = 0;
    while (i < n && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
      v = Math.min(0xFFFF_FFFFL, v * 10 + (value.charAt(i) - '0'));
      i++;
    }
    return i == start ? null : v;
  }
}
