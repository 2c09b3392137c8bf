package dev.floe.proxy.upstream;

import dev.floe.proxy.playlist.Entry;
import dev.floe.proxy.playlist.PlaylistFiles;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an upstream's {@code 200} answer is, from its content type and first bytes: audio, a
 * playlist of streams ({@code .pls}, {@code .m3u}/{@code .m3u8}, {@code .xspf}, {@code .asx}) to
 * resolve, or something that is not audio (an HTML page, JSON, text) to refuse. Pure: no
 * sockets; the caller feeds the body collected so far.
 */
public final class StreamPlaylist {
  /** Largest playlist body read; a longer one is refused. */
  public static final int MAX_BYTES = 64 * 1024;

  /** Most streams taken from one playlist. */
  public static final int MAX_STREAMS = 16;

  /** Bytes looked at before a body with an unknown type is judged. */
  static final int SNIFF_BYTES = 64;

  private static final Set<String> PLAYLIST_TYPES = Set.of("audio/x-scpls", "audio/scpls",
      "audio/x-mpegurl", "audio/mpegurl", "application/x-mpegurl",
      "application/vnd.apple.mpegurl", "application/xspf+xml", "video/x-ms-asf",
      "video/x-ms-asx", "audio/x-ms-asx", "application/pls+xml");

  private static final Pattern XSPF_LOCATION =
      Pattern.compile("<location>\\s*([^<]+?)\\s*</location>", Pattern.CASE_INSENSITIVE);
  private static final Pattern ASX_REF =
      Pattern.compile("<ref\\s[^>]*?href\\s*=\\s*[\"']([^\"']+)[\"']", Pattern.CASE_INSENSITIVE);

  private StreamPlaylist() {}

  /** What to do with the answer. */
  public enum Kind {
    /** Not enough bytes yet to tell: feed more (or call again with {@code complete}). */
    MORE,
    /** Audio: stream it. */
    AUDIO,
    /** A playlist: {@link Verdict#streams()} are its stream URLs, in order. */
    PLAYLIST,
    /** Not audio, or a playlist Floe cannot use: {@link Verdict#reason()} says why. */
    REFUSED
  }

  /**
   * @param kind what the answer is
   * @param streams the playlist's stream URLs (absolute http/https, at most {@link
   *     #MAX_STREAMS}, no duplicates), empty unless {@link Kind#PLAYLIST}
   * @param reason for {@link Kind#REFUSED}, a sentence naming what was answered; else null
   */
  public record Verdict(Kind kind, List<URI> streams, String reason) {
    static final Verdict MORE = new Verdict(Kind.MORE, List.of(), null);
    static final Verdict AUDIO = new Verdict(Kind.AUDIO, List.of(), null);

    static Verdict refused(String reason) {
      return new Verdict(Kind.REFUSED, List.of(), reason);
    }
  }

  /**
   * Whether a content type is audio Floe streams at once, with no look at the body: {@code
   * audio/*} and Ogg, other than the playlist types.
   */
  public static boolean audioType(String contentType) {
    String t = bare(contentType);
    return !PLAYLIST_TYPES.contains(t) && (t.startsWith("audio/") || t.equals("application/ogg")
        || t.equals("video/ogg") || t.equals("video/webm"));
  }

  /**
   * Judges an answer.
   *
   * @param contentType the {@code Content-Type} header, or null
   * @param body the first bytes of the body ({@code length} of them)
   * @param complete whether the body ended (or {@link #MAX_BYTES} were read)
   * @param base the URL the answer came from, against which relative entries resolve
   */
  public static Verdict inspect(String contentType, byte[] body, int length, boolean complete,
      URI base) {
    String type = bare(contentType);
    if (audioType(type)) {
      return Verdict.AUDIO;
    }
    if (length >= 4 && audioMagic(body, length)) {
      return Verdict.AUDIO;
    }
    if (length >= 16 && asfMagic(body)) {
      return Verdict.refused("answered an ASF (Windows Media) stream, which Floe does not relay");
    }
    if (!complete && length < SNIFF_BYTES) {
      return Verdict.MORE;
    }
    String text = new String(body, 0, length, StandardCharsets.UTF_8);
    String head = text.stripLeading().replace("\uFEFF", "").stripLeading()
        .toLowerCase(Locale.ROOT);
    String root = head.startsWith("<") ? rootElement(head) : "";
    if (root == null && !complete) {
      return Verdict.MORE; // the root element's name is not in yet
    }
    Format format = format(type, head, root == null ? "" : root);
    if (format == null) {
      if (!textual(body, length) && (type.isEmpty() || type.equals("application/octet-stream"))) {
        return Verdict.AUDIO;
      }
      return Verdict.refused("answered " + (type.isEmpty() ? "no content type" : type) + " ("
          + (textual(body, length) ? describe(head) : "binary data") + "), not audio or a"
          + " playlist");
    }
    if (!complete) {
      return Verdict.MORE;
    }
    if (length >= MAX_BYTES) {
      return Verdict.refused("answered a playlist longer than " + MAX_BYTES + " bytes");
    }
    if (format == Format.M3U && (head.contains("#ext-x-targetduration")
        || head.contains("#ext-x-stream-inf") || head.contains("#ext-x-media-sequence"))) {
      return Verdict.refused("answered an HLS playlist (segments), which Floe does not relay:"
          + " give the station's Icecast or SHOUTcast stream URL instead");
    }
    List<URI> streams = streams(format, text, base);
    if (streams.isEmpty()) {
      return Verdict.refused("answered a " + format.name + " playlist naming no http(s) stream");
    }
    return new Verdict(Kind.PLAYLIST, streams, null);
  }

  /** The playlist formats. */
  private enum Format {
    PLS("PLS"), M3U("M3U"), XSPF("XSPF"), ASX("ASX");

    final String name;

    Format(String name) {
      this.name = name;
    }
  }

  /** The playlist format of a body, or null when it is none. */
  private static Format format(String type, String head, String root) {
    if (head.startsWith("[playlist]")) {
      return Format.PLS;
    }
    if (head.startsWith("#extm3u") || head.startsWith("http://") || head.startsWith("https://")) {
      return Format.M3U;
    }
    if (root.equals("asx")) {
      return Format.ASX;
    }
    if (root.equals("playlist")) {
      return Format.XSPF;
    }
    if (head.startsWith("<") || head.startsWith("{") || head.startsWith("[")) {
      return null; // HTML, other XML, JSON
    }
    if (type.contains("mpegurl")) {
      return Format.M3U; // comments or blank lines first
    }
    return type.contains("scpls") ? Format.PLS : null;
  }

  /**
   * The name of the first element of a markup text (after the XML declaration, comments and a
   * doctype), lower case; null when the prefix ends before it.
   */
  private static String rootElement(String text) {
    int i = 0;
    while (true) {
      int lt = text.indexOf('<', i);
      if (lt < 0 || lt + 1 >= text.length()) {
        return null;
      }
      char c = text.charAt(lt + 1);
      if (c == '?' || c == '!') {
        int end = text.indexOf('>', lt);
        if (end < 0) {
          return null;
        }
        i = end + 1;
        continue;
      }
      int j = lt + 1;
      while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j))
          || text.charAt(j) == ':' || text.charAt(j) == '-' || text.charAt(j) == '_')) {
        j++;
      }
      return j == text.length() ? null : text.substring(lt + 1, j);
    }
  }

  private static List<URI> streams(Format format, String text, URI base) {
    UnaryOperator<String> same = UnaryOperator.identity();
    List<String> locations = new ArrayList<>();
    switch (format) {
      case PLS -> PlaylistFiles.pls(text, same).stream().map(Entry::location)
          .forEach(locations::add);
      case M3U -> PlaylistFiles.m3u(text, same).stream().map(Entry::location)
          .forEach(locations::add);
      case XSPF -> matches(XSPF_LOCATION, text, locations);
      case ASX -> matches(ASX_REF, text, locations);
      default -> throw new IllegalStateException();
    }
    Set<URI> out = new LinkedHashSet<>();
    for (String l : locations) {
      URI u = resolve(base, unescapeXml(l.strip()));
      if (u != null && out.size() < MAX_STREAMS) {
        out.add(u);
      }
    }
    return List.copyOf(out);
  }

  private static void matches(Pattern p, String text, List<String> out) {
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
  }

  /** An entry as an absolute http(s) URL with a host, or null. */
  private static URI resolve(URI base, String location) {
    try {
      URI u = base == null ? new URI(location) : base.resolve(new URI(location));
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null ? u : null;
    } catch (Exception e) {
      return null; // not a URL: ignored, as a player would
    }
  }

  private static String unescapeXml(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
        .replace("&apos;", "'").replace("&amp;", "&");
  }

  private static String bare(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).strip()
        .toLowerCase(Locale.ROOT);
  }

  /** MP3 (ID3 or frame sync), AAC ADTS, Ogg, FLAC. */
  private static boolean audioMagic(byte[] b, int n) {
    if (b[0] == 'I' && b[1] == 'D' && b[2] == '3') {
      return true;
    }
    if (b[0] == 'O' && b[1] == 'g' && b[2] == 'g' && b[3] == 'S') {
      return true;
    }
    if (b[0] == 'f' && b[1] == 'L' && b[2] == 'a' && b[3] == 'C') {
      return true;
    }
    return (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0;
  }

  /** The ASF header object's GUID starts 30 26 B2 75 8E 66 CF 11. */
  private static boolean asfMagic(byte[] b) {
    return (b[0] & 0xFF) == 0x30 && (b[1] & 0xFF) == 0x26 && (b[2] & 0xFF) == 0xB2
        && (b[3] & 0xFF) == 0x75;
  }

  /** Whether the bytes look like text: no control bytes other than tab, CR, LF, FF. */
  private static boolean textual(byte[] b, int n) {
    for (int i = 0; i < Math.min(n, 512); i++) {
      int c = b[i] & 0xFF;
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
        return false;
      }
    }
    return true;
  }

  /** A short name for a body that is not audio, for the log line. */
  private static String describe(String head) {
    if (head.startsWith("<!doctype html") || head.startsWith("<html") || head.contains("<html")) {
      return "an HTML page";
    }
    if (head.startsWith("{") || head.startsWith("[")) {
      return "JSON";
    }
    if (head.startsWith("<")) {
      return "XML";
    }
    return head.isEmpty() ? "an empty body" : "text";
  }
}
