package dev.floe.proxy.status;

import java.util.Objects;

/**
 * Playlist files that point a player at a mount: {@code .m3u}, {@code .pls} and {@code .xspf}.
 *
 * <p>{@link #listenUrl} builds the URL they contain the way Icecast 2.4's {@code fserve.c} does.
 */
public final class Playlists {
  /** Content type of {@link #m3u}, as Icecast sends it. */
  public static final String M3U_CONTENT_TYPE = "audio/x-mpegurl";
  /** Content type of {@link #pls}. */
  public static final String PLS_CONTENT_TYPE = "audio/x-scpls";
  /** Content type of {@link #xspf}, as Icecast sends it. */
  public static final String XSPF_CONTENT_TYPE = "application/xspf+xml";

  private Playlists() {}

  /**
   * An M3U playlist: the URL and CRLF, exactly Icecast's body. Control characters in the URL
   * become spaces so it stays one line.
   */
  public static String m3u(String listenUrl) {
    return Escape.oneLine(Objects.requireNonNull(listenUrl, "listenUrl")) + "\r\n";
  }

  /**
   * A PLS (version 2) playlist with one entry of unknown length:
   * <pre>
   * [playlist]
   * NumberOfEntries=1
   * File1=&lt;url&gt;
   * Title1=&lt;title&gt;
   * Length1=-1
   * Version=2
   * </pre>
   * Line breaks and other control characters in the URL or title become spaces, so a title can
   * not add entries. A null title leaves the {@code Title1} line out.
   */
  public static String pls(String listenUrl, String title) {
    StringBuilder sb = new StringBuilder(128);
    sb.append("[playlist]\nNumberOfEntries=1\n");
    sb.append("File1=").append(Escape.oneLine(Objects.requireNonNull(listenUrl, "listenUrl")))
        .append('\n');
    if (title != null) {
      sb.append("Title1=").append(Escape.oneLine(title)).append('\n');
    }
    sb.append("Length1=-1\nVersion=2\n");
    return sb.toString();
  }

  /**
   * An XSPF version 1 playlist with one track, shaped like Icecast's {@code xspf.xsl}: the track
   * has {@code location}, then {@code creator} (if any), {@code title} and {@code annotation}.
   * Null title or annotation leave that element out. All text is XML-escaped.
   */
  public static String xspf(String listenUrl, String title, String creatorOrNull,
      String annotation) {
    Objects.requireNonNull(listenUrl, "listenUrl");
    StringBuilder sb = new StringBuilder(256);
    sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb.append("<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n");
    sb.append("  <trackList>\n");
    sb.append("    <track>\n");
    element(sb, "location", listenUrl);
    element(sb, "creator", creatorOrNull);
    element(sb, "title", title);
    element(sb, "annotation", annotation);
    sb.append("    </track>\n");
    sb.append("  </trackList>\n");
    sb.append("</playlist>\n");
    return sb.toString();
  }

  /**
   * The annotation Icecast's {@code xspf.xsl} writes for a mount: one {@code Label: value} line
   * per known field (stream title, description, content type, bitrate, listeners, peak, genre).
   */
  public static String annotation(MountStatus m) {
    StringBuilder sb = new StringBuilder(128);
    line(sb, "Stream Title: ", m.name());
    line(sb, "Stream Description: ", m.description());
    line(sb, "Content Type: ", m.contentType());
    line(sb, "Bitrate: ", m.bitrate() == null ? null : m.bitrate().toString());
    line(sb, "Current Listeners: ", Integer.toString(m.listeners()));
    line(sb, "Peak Listeners: ", Integer.toString(m.listenerPeak()));
    line(sb, "Stream Genre: ", m.genre());
    if (sb.length() > 0) {
      sb.setLength(sb.length() - 1);
    }
    return sb.toString();
  }

  /**
   * The URL a playlist should point at, by Icecast 2.4's rule ({@code fserve.c}): use the
   * request's {@code Host} header only if it names a port, because players such as foobar2000
   * and Winamp send {@code Host} without one even when they connected to another port; otherwise
   * use the configured host and port.
   *
   * <p>Unlike Icecast, which looks for any {@code ':'}, this checks for an explicit port, so a
   * bracketed IPv6 literal without a port ({@code [::1]}) also falls back to the configured host;
   * and a {@code Host} value that is not a plausible {@code host:port} (spaces, slashes, quotes)
   * is ignored rather than copied into a playlist. A configured IPv6 literal is bracketed.
   *
   * @param hostHeader the request's {@code Host} header, or null
   * @param configuredHost the configured host name or address
   * @param port the configured listen port
   * @param mount the mount, with or without its leading slash
   * @param tls whether to produce an {@code https://} URL
   * @return e.g. {@code http://example.org:8000/live}
   */
  public static String listenUrl(String hostHeader, String configuredHost, int port, String mount,
      boolean tls) {
    Objects.requireNonNull(configuredHost, "configuredHost");
    Objects.requireNonNull(mount, "mount");
    String authority;
    String header = hostHeader == null ? null : hostHeader.trim();
    if (header != null && hasPort(header)) {
      authority = header;
    } else {
      String host = configuredHost;
      if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
        host = "[" + host + "]";
      }
      authority = host + ":" + port;
    }
    return (tls ? "https://" : "http://") + authority + (mount.startsWith("/") ? "" : "/") + mount;
  }

  /** True if {@code host} is {@code name:port} or {@code [v6]:port} with a decimal port. */
  private static boolean hasPort(String host) {
    int colon;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0 || close + 1 >= host.length() || host.charAt(close + 1) != ':') {
        return false;
      }
      colon = close + 1;
      if (!allowed(host.substring(1, close), true)) {
        return false;
      }
    } else {
      colon = host.indexOf(':');
      if (colon <= 0 || !allowed(host.substring(0, colon), false)) {
        return false;
      }
    }
    String port = host.substring(colon + 1);
    if (port.isEmpty() || port.length() > 5) {
      return false;
    }
    for (int i = 0; i < port.length(); i++) {
      char c = port.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Letters, digits, {@code .-_} for names; plus {@code :%} inside IPv6 brackets. */
  private static boolean allowed(String name, boolean v6) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '-' || c == '_' || (v6 && (c == ':' || c == '%'));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static void element(StringBuilder sb, String name, String text) {
    if (text != null) {
      sb.append("      <").append(name).append('>').append(Escape.xml(text))
          .append("</").append(name).append(">\n");
    }
  }

  private static void line(StringBuilder sb, String label, String value) {
    if (value != null) {
      sb.append(label).append(Escape.oneLine(value)).append('\n');
    }
  }
}
