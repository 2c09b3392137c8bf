package dev.floe.proxy.mount;

import dev.floe.icy.head.Headers;
import java.util.Locale;
import java.util.Map;

/**
 * What an upstream said about its stream, filtered to what a listener may see.
 *
 * <p>Icecast's mapping rules apply: {@code icy-*} headers pass through except {@code icy-metaint}
 * (the listener gets its own), {@code ice-audio-info} passes through, and everything else
 * (passwords, hop-by-hop headers) is dropped.
 *
 * @param contentType the stream's {@code Content-Type}, never null
 * @param listenerHeaders the headers to repeat to listeners, in the upstream's order
 */
public record StreamInfo(String contentType, Headers listenerHeaders) {

  /** Builds the listener-visible view of an upstream response's headers. */
  public static StreamInfo fromUpstream(Headers upstream) {
    String type = upstream.get("Content-Type");
    Headers.Builder b = Headers.builder();
    for (Map.Entry<String, String> e : upstream.entries()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if ((name.startsWith("icy-") && !name.equals("icy-metaint") && !name.equals("icy-metadata")) || name.equals("ice-audio-info")) {
        b.add(name, e.getValue());
      }
    }
    return new StreamInfo(type == null || type.isBlank() ? "audio/mpeg" : type.trim(), b.build());
  }

  /** A header the upstream sent (case-insensitive), or null. */
  public String header(String name) {
    return listenerHeaders.get(name);
  }

  /** The bitrate in kbit/s from {@code icy-br} or {@code ice-audio-info}, or null. */
  public Integer bitrate() {
    Integer br = parseInt(header("icy-br"));
    return br != null ? br : audioInfo("bitrate");
  }

  /** A numeric field of {@code ice-audio-info} (e.g. {@code samplerate}), or null. */
  public Integer audioInfo(String key) {
    String info = header("ice-audio-info");
    if (info == null) {
      return null;
    }
    for (String part : info.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        String k = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        if (k.equals(key) || k.equals("ice-" + key)) {
          return parseInt(part.substring(eq + 1));
        }
      }
    }
    return null;
  }

  private static Integer parseInt(String s) {
    if (s == null) {
      return null;
    }
    String t = s.trim();
    int comma = t.indexOf(',');
    if (comma >= 0) {
      t = t.substring(0, comma); // "128,128" as some SHOUTcast servers send
    }
    try {
      return Integer.valueOf(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
