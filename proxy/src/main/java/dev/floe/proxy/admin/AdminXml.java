package dev.floe.proxy.admin;

import dev.floe.proxy.status.Escape;
import dev.floe.proxy.status.HttpDates;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Icecast 2.4.4's admin XML documents, as {@code text/xml; charset=utf-8} bodies.
 *
 * <p>Every document is what libxml2's {@code xmlDocDumpMemory} prints for icecast2: the
 * declaration {@code <?xml version="1.0"?>}, a line feed, the root element on one line without
 * indentation, and a final line feed. Text is escaped as libxml2 escapes it (non-ASCII characters
 * become {@code &#xE9;}-style references, so the body is pure ASCII). Icecast's orderings are
 * kept: stats by name (its AVL trees compare with {@code strcmp}), sources by mount name,
 * listeners by connection id.
 *
 * <p>Not rendered: {@code <authenticator>} in {@code listmounts} (Floe has no per-mount listener
 * authentication yet), and the {@code .xsl} HTML views.
 */
public final class AdminXml {
  /** The Content-Type icecast2 serves these documents with. */
  public static final String CONTENT_TYPE = "text/xml; charset=utf-8";

  private static final String DECLARATION = "<?xml version=\"1.0\"?>\n";
  private static final Comparator<AdminMount> BY_MOUNT = Comparator.comparing(AdminMount::mount);

  private AdminXml() {}

  /**
   * {@code /admin/stats}: the global stats, then one {@code <source mount="...">} per mount with
   * its stats (hidden mounts included, as icecast2 shows them to the admin).
   *
   * @param server server-wide fields and counters
   * @param mounts the live mounts, any order
   * @param onlyMount with {@code /admin/stats?mount=/m}: render that source only; {@code null}
   *     renders all
   * @return the document
   */
  public static String stats(AdminServer server, List<AdminMount> mounts, String onlyMount) {
    Objects.requireNonNull(server, "server");
    StringBuilder sb = new StringBuilder(1024 + 1024 * mounts.size()).append(DECLARATION);
    sb.append("<icestats>");
    for (Map.Entry<String, String> e : globalStats(server).entrySet()) {
      element(sb, e.getKey(), e.getValue());
    }
    for (AdminMount m : sorted(mounts)) {
      if (onlyMount != null && !onlyMount.equals(m.mount())) {
        continue;
      }
      sb.append("<source mount=\"");
      Escape.icecastXmlAttribute(sb, m.mount());
      sb.append("\">");
      for (Map.Entry<String, String> e : sourceStats(m).entrySet()) {
        element(sb, e.getKey(), e.getValue());
      }
      sb.append("</source>");
    }
    return sb.append("</icestats>\n").toString();
  }

  /**
   * {@code /admin/listmounts}: per mount {@code fallback} (empty when none), {@code listeners},
   * {@code Connected} (seconds) and {@code content-type}.
   */
  public static String listMounts(List<AdminMount> mounts) {
    return sourceList(null, mounts);
  }

  /**
   * {@code /admin/moveclients?mount=/m} without {@code destination}: a
   * {@code <current_source>} element, then the {@code listmounts} entries of every other mount.
   */
  public static String moveClientsChoices(String currentMount, List<AdminMount> mounts) {
    return sourceList(Objects.requireNonNull(currentMount, "currentMount"), mounts);
  }

  private static String sourceList(String current, List<AdminMount> mounts) {
    StringBuilder sb = new StringBuilder(128 + 200 * mounts.size()).append(DECLARATION);
    sb.append("<icestats>");
    if (current != null) {
      element(sb, "current_source", current);
    }
    for (AdminMount m : sorted(mounts)) {
      if (m.mount().equals(current)) {
        continue;
      }
      sb.append("<source mount=\"");
      Escape.icecastXmlAttribute(sb, m.mount());
      sb.append("\">");
      element(sb, "fallback", m.fallback() == null ? "" : m.fallback());
      element(sb, "listeners", Integer.toString(m.listeners()));
      element(sb, "Connected", Long.toString(m.connectedSeconds()));
      element(sb, "content-type", m.contentType() == null ? "" : m.contentType());
      sb.append("</source>");
    }
    return sb.append("</icestats>\n").toString();
  }

  /**
   * {@code /admin/listclients?mount=/m}: {@code <Listeners>} then one {@code <listener>} per
   * client with {@code IP}, {@code UserAgent} ({@code Unknown} when absent), {@code Connected},
   * {@code ID} and, when authenticated, {@code username}; listeners in ascending id order.
   */
  public static String listClients(AdminMount mount) {
    Objects.requireNonNull(mount, "mount");
    StringBuilder sb = new StringBuilder(160 + 160 * mount.clients().size()).append(DECLARATION);
    sb.append("<icestats><source mount=\"");
    Escape.icecastXmlAttribute(sb, mount.mount());
    sb.append("\">");
    element(sb, "Listeners", Integer.toString(mount.listeners()));
    List<AdminListener> clients = new ArrayList<>(mount.clients());
    clients.sort(Comparator.comparingLong(AdminListener::id));
    for (AdminListener l : clients) {
      sb.append("<listener>");
      element(sb, "IP", l.ip() == null ? "" : l.ip());
      element(sb, "UserAgent", l.userAgent() == null ? "Unknown" : l.userAgent());
      element(sb, "Connected", Long.toString(l.connectedSeconds()));
      element(sb, "ID", Long.toString(l.id()));
      if (l.username() != null) {
        element(sb, "username", l.username());
      }
      sb.append("</listener>");
    }
    return sb.append("</source></icestats>\n").toString();
  }

  /**
   * {@code manageauth}'s answer, as Icecast's document before its XSL view: the outcome (when an
   * action was asked) and the mount's users, e.g. {@code <icestats><iceresponse>...</iceresponse>
   * <source mount="/m"><User><username>foo</username></User></source></icestats>}.
   *
   * @param message the outcome, or null when the users were only listed
   */
  public static String manageAuth(String mount, String message, boolean success,
      List<String> users) {
    StringBuilder sb = new StringBuilder(256).append(DECLARATION).append("<icestats>");
    if (message != null) {
      sb.append("<iceresponse>");
      element(sb, "message", message);
      element(sb, "return", success ? "1" : "0");
      sb.append("</iceresponse>");
    }
    sb.append("<source mount=\"");
    Escape.icecastXmlAttribute(sb, mount);
    sb.append("\">");
    for (String u : users) {
      sb.append("<User>");
      element(sb, "username", u);
      sb.append("</User>");
    }
    return sb.append("</source></icestats>\n").toString();
  }

  /**
   * The {@code <iceresponse>} answer of {@code metadata}, {@code killclient},
   * {@code killsource} and {@code moveclients}; see {@link AdminMessages} for the texts.
   *
   * @param message e.g. {@code Metadata update successful}
   * @param success renders {@code <return>1</return>}, else {@code 0}
   */
  public static String response(String message, boolean success) {
    StringBuilder sb = new StringBuilder(128).append(DECLARATION).append("<iceresponse>");
    element(sb, "message", message);
    element(sb, "return", success ? "1" : "0");
    return sb.append("</iceresponse>\n").toString();
  }

  /** A document as a response body (UTF-8; the documents are ASCII anyway). */
  public static byte[] bytes(String document) {
    return document.getBytes(StandardCharsets.UTF_8);
  }

  /** The global stats in Icecast's (name) order; named components override the map. */
  static TreeMap<String, String> globalStats(AdminServer server) {
    TreeMap<String, String> all = new TreeMap<>(server.globalStats());
    put(all, "admin", server.admin());
    put(all, "host", server.host());
    put(all, "location", server.location());
    put(all, "server_id", server.serverId());
    if (server.start() != null) {
      all.put("server_start", HttpDates.icecast(server.start()));
      all.put("server_start_iso8601", HttpDates.icecastIso8601(server.start()));
    }
    return all;
  }

  /** A source's stats in Icecast's (name) order; record components override the map. */
  static TreeMap<String, String> sourceStats(AdminMount m) {
    TreeMap<String, String> all = new TreeMap<>(m.stats());
    all.put("listeners", Integer.toString(m.listeners()));
    all.put("listener_peak", Integer.toString(m.listenerPeak()));
    put(all, "server_type", m.contentType());
    put(all, "title", m.title());
    return all;
  }

  static List<AdminMount> sorted(List<AdminMount> mounts) {
    List<AdminMount> copy = new ArrayList<>(mounts);
    copy.sort(BY_MOUNT);
    return copy;
  }

  private static void put(Map<String, String> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  private static void element(StringBuilder sb, String name, String text) {
    sb.append('<').append(name).append('>');
    Escape.icecastXmlText(sb, text);
    sb.append("</").append(name).append('>');
  }
}
