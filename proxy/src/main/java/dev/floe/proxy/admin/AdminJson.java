package dev.floe.proxy.admin;

import dev.floe.proxy.status.Escape;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Icecast 2.5's {@code .json} admin variants ({@code stats.json}, {@code listmounts.json},
 * {@code listclients.json}, {@code metadata.json}, {@code killclient.json},
 * {@code killsource.json}, {@code moveclients.json}), served as
 * {@code application/json; charset=utf-8}.
 *
 * <p>Icecast 2.5 builds its XML document and converts it with {@code xml2json.c}; the shapes here
 * follow that converter (read from {@code xiph/Icecast-Server} {@code src/xml2json.c}, not run
 * against a 2.5 server, which Debian does not ship):
 * <ul>
 *   <li>{@code <iceresponse>} becomes {@code {"message":"...","success":true}}.</li>
 *   <li>{@code <icestats>} becomes an array holding one object (sic: 2.5 opens an array and an
 *       object for the root): the simple elements as keys in document order, then
 *       {@code "source":{"/mount":{...},...}} keyed by mount, present only when there are
 *       sources.</li>
 *   <li>Global counters ({@code listeners}, {@code clients}, {@code client_connections},
 *       {@code connections}, {@code file_connections}, {@code listener_connections},
 *       {@code source_client_connections}, {@code source_relay_connections},
 *       {@code source_total_connections}, {@code sources}, {@code stats},
 *       {@code stats_connections}) and source counters ({@code audio_bitrate},
 *       {@code audio_channels}, {@code audio_samplerate}, {@code ice-bitrate},
 *       {@code listener_peak}, {@code listeners}, {@code slow_listeners},
 *       {@code total_bytes_read}, {@code total_bytes_sent}) are integers, parsed as C's
 *       {@code strtoll} does (a leading integer, else 0); {@code public} is a boolean; everything
 *       else is a string.</li>
 *   <li>{@code listmounts.json} uses 2.5's non-legacy element names: {@code connected} in lower
 *       case, {@code fallback} only when set.</li>
 * </ul>
 * Decisions where 2.5 could not be followed:
 * <ul>
 *   <li>2.5's converter renders every source with the first source's node (an indexing slip in
 *       {@code render_node_legacystats}); Floe renders each source's own stats.</li>
 *   <li>2.5 leaves {@code <listener>} elements to its generic "unhandled-child" form; Floe's
 *       {@code listclients.json} gives {@code "listener":[{"id":1,"ip":"...","useragent":"...",
 *       "connected":12,"username":"..."}]} with 2.5's lower-case names (the user agent key is
 *       left out when unknown, as 2.5 does), ordered by id.</li>
 *   <li>2.5-only fields Floe has no data for ({@code health}, {@code maintenance},
 *       {@code dumpfile_written}, {@code referer}, {@code host}, {@code role}, {@code acl}) are
 *       left out.</li>
 * </ul>
 */
public final class AdminJson {
  /** The Content-Type of these documents. */
  public static final String CONTENT_TYPE = "application/json; charset=utf-8";

  private static final Set<String> GLOBAL_NUMBERS = Set.of("listeners", "clients",
      "client_connections", "connections", "file_connections", "listener_connections",
      "source_client_connections", "source_relay_connections", "source_total_connections",
      "sources", "stats", "stats_connections");
  private static final Set<String> SOURCE_NUMBERS = Set.of("audio_bitrate", "audio_channels",
      "audio_samplerate", "ice-bitrate", "listener_peak", "listeners", "slow_listeners",
      "total_bytes_read", "total_bytes_sent");
  private static final Set<String> SOURCE_BOOLEANS = Set.of("public");

  private AdminJson() {}

  /** {@code stats.json}; {@code onlyMount} as in {@link AdminXml#stats}. */
  public static String stats(AdminServer server, List<AdminMount> mounts, String onlyMount) {
    Objects.requireNonNull(server, "server");
    StringBuilder sb = new StringBuilder(1024 + 1024 * mounts.size()).append("[{");
    boolean first = true;
    for (Map.Entry<String, String> e : AdminXml.globalStats(server).entrySet()) {
      first = typed(sb, first, e.getKey(), e.getValue(), GLOBAL_NUMBERS, Set.of());
    }
    List<AdminMount> shown = new ArrayList<>();
    for (AdminMount m : AdminXml.sorted(mounts)) {
      if (onlyMount == null || onlyMount.equals(m.mount())) {
        shown.add(m);
      }
    }
    if (!shown.isEmpty()) {
      first = key(sb, first, "source");
      sb.append('{');
      boolean firstSource = true;
      for (AdminMount m : shown) {
        firstSource = key(sb, firstSource, m.mount());
        sb.append('{');
        boolean f = true;
        for (Map.Entry<String, String> e : AdminXml.sourceStats(m).entrySet()) {
          f = typed(sb, f, e.getKey(), e.getValue(), SOURCE_NUMBERS, SOURCE_BOOLEANS);
        }
        sb.append('}');
      }
      sb.append('}');
    }
    return sb.append("}]").toString();
  }

  /** {@code listmounts.json}. */
  public static String listMounts(List<AdminMount> mounts) {
    return sourceList(null, mounts);
  }

  /** {@code moveclients.json} without {@code destination}: the mounts clients could move to. */
  public static String moveClientsChoices(String currentMount, List<AdminMount> mounts) {
    return sourceList(Objects.requireNonNull(currentMount, "currentMount"), mounts);
  }

  private static String sourceList(String current, List<AdminMount> mounts) {
    StringBuilder sb = new StringBuilder(64 + 160 * mounts.size()).append("[{");
    boolean first = true;
    if (current != null) {
      first = key(sb, first, "current_source");
      Escape.json(sb, current);
    }
    boolean any = false;
    for (AdminMount m : AdminXml.sorted(mounts)) {
      if (m.mount().equals(current)) {
        continue;
      }
      if (!any) {
        first = key(sb, first, "source");
        sb.append('{');
      } else {
        sb.append(',');
      }
      any = true;
      Escape.json(sb, m.mount());
      sb.append(":{");
      boolean f = true;
      if (m.fallback() != null) {
        f = key(sb, f, "fallback");
        Escape.json(sb, m.fallback());
      }
      f = key(sb, f, "listeners");
      sb.append(m.listeners());
      f = key(sb, f, "connected");
      Escape.json(sb, Long.toString(m.connectedSeconds()));
      key(sb, f, "content-type");
      Escape.json(sb, m.contentType() == null ? "" : m.contentType());
      sb.append('}');
    }
    if (any) {
      sb.append('}');
    }
    return sb.append("}]").toString();
  }

  /** {@code listclients.json}; see the class comment for the listener shape. */
  public static String listClients(AdminMount mount) {
    Objects.requireNonNull(mount, "mount");
    StringBuilder sb = new StringBuilder(64 + 160 * mount.clients().size()).append("[{\"source\":{");
    Escape.json(sb, mount.mount());
    sb.append(":{\"listeners\":").append(mount.listeners()).append(",\"listener\":[");
    List<AdminListener> clients = new ArrayList<>(mount.clients());
    clients.sort(Comparator.comparingLong(AdminListener::id));
    for (int i = 0; i < clients.size(); i++) {
      AdminListener l = clients.get(i);
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"id\":").append(l.id()).append(",\"ip\":");
      Escape.json(sb, l.ip() == null ? "" : l.ip());
      if (l.userAgent() != null) {
        sb.append(",\"useragent\":");
        Escape.json(sb, l.userAgent());
      }
      sb.append(",\"connected\":").append(l.connectedSeconds());
      if (l.username() != null) {
        sb.append(",\"username\":");
        Escape.json(sb, l.username());
      }
      sb.append('}');
    }
    return sb.append("]}}}]").toString();
  }

  /** The JSON form of an {@code <iceresponse>}: {@code {"message":"...","success":true}}. */
  public static String response(String message, boolean success) {
    StringBuilder sb = new StringBuilder(64).append("{\"message\":");
    Escape.json(sb, message);
    return sb.append(",\"success\":").append(success).append('}').toString();
  }

  private static boolean typed(StringBuilder sb, boolean first, String name, String value,
      Set<String> numbers, Set<String> booleans) {
    key(sb, first, name);
    if (numbers.contains(name)) {
      sb.append(strtoll(value));
    } else if (booleans.contains(name)) {
      sb.append(strToBool(value));
    } else {
      Escape.json(sb, value);
    }
    return false;
  }

  private static boolean key(StringBuilder sb, boolean first, String name) {
    if (!first) {
      sb.append(',');
    }
    Escape.json(sb, name);
    sb.append(':');
    return false;
  }

  /** C's {@code strtoll(s, NULL, 10)}: leading blanks, a sign, digits; 0 when none; saturating. */
  static long strtoll(String s) {
    int i = 0;
    int n = s.length();
    while (i < n && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    boolean negative = false;
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    long v = 0;
    while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      int d = s.charAt(i++) - '0';
      if (v > (Long.MAX_VALUE - d) / 10) {
        return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
      }
      v = v * 10 + d;
    }
    return negative ? -v : v;
  }

  /** Icecast's {@code util_str_to_bool}: true, yes, on (any case) or a non-zero integer. */
  static boolean strToBool(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    return t.equals("true") || t.equals("yes") || t.equals("on") || strtoll(t) != 0;
  }
}
