package dev.floe.proxy.playlist;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Reads a playlist: a folder (its audio files by name), an M3U/M3U8 file, a PLS file, or an RSS
 * 1.0 (RDF) file whose items may carry scheduled start times ({@code dc:date}). The text parsers
 * are pure; relative entries resolve against the list's folder. Limits: the list file is read
 * whole (at most {@link #MAX_LIST_BYTES}); RSS DTDs and external entities are refused.
 */
public final class PlaylistFiles {
  /** Largest playlist file read. */
  public static final int MAX_LIST_BYTES = 4 * 1024 * 1024;

  /** File name endings of the audio a folder contributes. */
  static final List<String> AUDIO = List.of(".mp3", ".aac", ".ogg", ".oga", ".opus");

  private static final String RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
  private static final String DC = "http://purl.org/dc/elements/1.1/";

  private PlaylistFiles() {}

  /** Why {@code path} cannot be a playlist (for the {@code playlist} key), or null when it can. */
  public static String problem(Path path) {
    try {
      return load(path).isEmpty() ? "no playable entries in " + path : null;
    } catch (IOException | IllegalArgumentException e) {
      return "cannot read " + path + ": " + e.getMessage();
    }
  }

  /** The entries of a folder or playlist file. */
  public static List<Entry> load(Path path) throws IOException {
    Path abs = path.toAbsolutePath().normalize();
    if (Files.isDirectory(abs)) {
      try (Stream<Path> files = Files.list(abs)) {
        return files.filter(Files::isRegularFile).filter(p -> isAudio(p.toString())).sorted()
            .map(p -> new Entry(p.toString(), null, null)).toList();
      }
    }
    if (Files.size(abs) > MAX_LIST_BYTES) {
      throw new IOException("larger than " + MAX_LIST_BYTES + " bytes");
    }
    String name = abs.getFileName().toString().toLowerCase(Locale.ROOT);
    if (isAudio(name)) {
      return List.of(new Entry(abs.toString(), null, null));
    }
    String text = Files.readString(abs, StandardCharsets.UTF_8);
    Path base = abs.getParent();
    if (name.endsWith(".pls")) {
      return pls(text, base);
    }
    if (name.endsWith(".rss") || name.endsWith(".rdf") || name.endsWith(".xml")) {
      return rss(text, base);
    }
    return m3u(text, base);
  }

  static boolean isAudio(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return AUDIO.stream().anyMatch(n::endsWith);
  }

  /**
   * M3U and extended M3U: one location per line; {@code #EXTINF:<seconds>,<title>} names the
   * next one; other {@code #} lines and blank lines are ignored.
   */
  public static List<Entry> m3u(String text, Path base) {
    return m3u(text, l -> resolve(l, base));
  }

  /** As {@link #m3u(String, Path)}, each location passed through {@code resolver}. */
  public static List<Entry> m3u(String text, UnaryOperator<String> resolver) {
    List<Entry> out = new ArrayList<>();
    String title = null;
    for (String raw : text.split("\r\n|\r|\n")) {
      String line = raw.strip();
      if (line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.regionMatches(true, 0, "#EXTINF:", 0, 8)) {
        int comma = line.indexOf(',');
        title = comma < 0 || comma == line.length() - 1 ? null : line.substring(comma + 1).strip();
      } else if (!line.isEmpty() && !line.startsWith("#")) {
        out.add(new Entry(resolver.apply(line), title, null));
        title = null;
      }
    }
    return out;
  }

  /** PLS: {@code FileN=} locations in order of N, {@code TitleN=} titles. */
  public static List<Entry> pls(String text, Path base) {
    return pls(text, l -> resolve(l, base));
  }

  /** As {@link #pls(String, Path)}, each location passed through {@code resolver}. */
  public static List<Entry> pls(String text, UnaryOperator<String> resolver) {
    Map<Integer, String> files = new TreeMap<>();
    Map<Integer, String> titles = new TreeMap<>();
    for (String raw : text.split("\r\n|\r|\n")) {
      String line = raw.strip();
      int eq = line.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(eq + 1).strip();
      Map<Integer, String> target = key.startsWith("file") ? files
          : key.startsWith("title") ? titles : null;
      Integer n = target == null ? null : number(key.substring(key.startsWith("file") ? 4 : 5));
      if (n != null && !value.isEmpty()) {
        target.put(n, value);
      }
    }
    List<Entry> out = new ArrayList<>();
    files.forEach((n, file) -> out.add(new Entry(resolver.apply(file), titles.get(n), null)));
    return out;
  }

  /**
   * RSS 1.0 (RDF): each {@code item} in document order; its location is {@code link}, else
   * {@code rdf:about}; {@code title} and an ISO-8601 {@code dc:date} (the scheduled start, with
   * an offset or {@code Z}) are optional. A date that does not parse leaves the item unscheduled.
   *
   * @throws IllegalArgumentException when the text is not well-formed XML
   */
  public static List<Entry> rss(String text, Path base) {
    NodeList items;
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setExpandEntityReferences(false);
      items = f.newDocumentBuilder().parse(new InputSource(new StringReader(text)))
          .getElementsByTagNameNS("*", "item");
    } catch (Exception e) {
      throw new IllegalArgumentException("not an RSS file: " + e.getMessage(), e);
    }
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < items.getLength(); i++) {
      Element item = (Element) items.item(i);
      String link = child(item, null, "link");
      if (link == null || link.isEmpty()) {
        link = item.getAttributeNS(RDF, "about").strip();
      }
      if (link.isEmpty()) {
        continue;
      }
      out.add(new Entry(resolve(link, base), child(item, null, "title"),
          instant(child(item, DC, "date"))));
    }
    return out;
  }

  private static String child(Element e, String ns, String local) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && local.equals(c.getLocalName())
          && (ns == null ? !DC.equals(c.getNamespaceURI()) : ns.equals(c.getNamespaceURI()))) {
        return c.getTextContent().strip();
      }
    }
    return null;
  }

  private static Instant instant(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Integer number(String s) {
    try {
      return Integer.valueOf(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A URL as it is; {@code file:} URLs and paths resolved against {@code base}. */
  static String resolve(String location, Path base) {
    String l = location.toLowerCase(Locale.ROOT);
    if (l.startsWith("http://") || l.startsWith("https://")) {
      return location;
    }
    Path p = l.startsWith("file:") ? Path.of(java.net.URI.create(location)) : Path.of(location);
    return (base == null ? p : base.resolve(p)).toAbsolutePath().normalize().toString();
  }
}
