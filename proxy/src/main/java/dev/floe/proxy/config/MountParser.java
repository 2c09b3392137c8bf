package dev.floe.proxy.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.floe.proxy.config.InvalidConfigException.Problem;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code floe.mount-defaults} once, then each element of {@code floe.mounts} on top of it.
 * A problem in an inherited default is reported once, under {@code mount-defaults.<key>}; a
 * mount only gets problems for the keys it sets itself.
 *
 * <p>Over 400 lines because it is one case per mount key with its bounds and cross-checks; the
 * rules stay beside the keys they check.
 */
final class MountParser {
  private static final Pattern BAD_PATH_CHARS = Pattern.compile("[?#\\s]");
  private static final List<String> PLAYLIST_SUFFIXES = List.of(".m3u", ".pls", ".xspf");

  /** Parsed mount-defaults; a value is null when it was invalid (and already reported). */
  private final Map<String, Object> defaults;

  private MountParser(Map<String, Object> defaults) {
    this.defaults = defaults;
  }

  /** Reads and validates {@code floe.mount-defaults}. */
  static MountParser withDefaults(ConfigObject object, List<Problem> problems) {
    Fields f = new Fields(object, "mount-defaults", problems);
    Keys.reportUnknown(f, Keys.Section.MOUNT_DEFAULTS);
    Map<String, Object> values = new HashMap<>();
    for (String key : Keys.MOUNT_DEFAULTS) {
      values.put(key, value(f, key));
    }
    crossCheck(f, values, Set.copyOf(Keys.MOUNT_DEFAULTS));
    return new MountParser(values);
  }

  /**
   * Mount number {@code index}, or null when a problem was recorded.
   *
   * @param seenPaths paths of earlier mounts and their index; this mount's path is added
   */
  MountSettings parse(int index, ConfigValue element, Map<String, Integer> seenPaths,
      List<Problem> problems) {
    String prefix = "mounts[" + index + "]";
    if (element.valueType() != ConfigValueType.OBJECT) {
      problems.add(new Problem(prefix, "expected an object such as { path = \"/live\", upstreams"
          + " = [\"http://host:8000/live\"] }, got " + Fields.describe(element)));
      return null;
    }
    int before = problems.size();
    Fields f = new Fields((ConfigObject) element, prefix, problems);
    Keys.reportUnknown(f, Keys.Section.MOUNT);
    String path = path(f);
    Integer first = path == null ? null : seenPaths.putIfAbsent(path, index);
    if (first != null) {
      f.problem("path", "duplicate of mounts[" + first + "].path \"" + path + "\"");
    }
    List<URI> upstreams = upstreams(f);
    ListenerAuthSettings listenerAuth = listenerAuth(f, problems);
    Map<String, Object> values = new HashMap<>(defaults);
    Set<String> own = new HashSet<>();
    for (String key : Keys.MOUNT_DEFAULTS) {
      if (f.has(key)) {
        own.add(key);
        values.put(key, value(f, key));
      }
    }
    crossCheck(f, values, own);
    String password = f.has("password") ? f.text("password", false) : null;
    String fallback = f.has("fallback-mount") ? fallback(f) : null;
    String playlist = f.has("playlist") ? playlist(f, upstreams) : null;
    SwarmSettings swarm = f.has("swarm") ? SwarmParser.parse(f, problems) : null;
    MountExtras extras = extras(f);
    if (swarm != null && !swarm.origin() && f.has("playlist")) {
      f.problem("swarm", "a swarm peer gets its stream from the swarm: it cannot have a playlist");
    }
    if (problems.size() > before || values.containsValue(null)) {
      return null;
    }
    if (swarm != null && !swarm.origin() && upstreams.isEmpty()) {
      upstreams = List.of(swarm.join().streamUri()); // the fallback when the swarm falls short
    }
    MountSettings m = settings(path, upstreams, listenerAuth, values, password, fallback);
    m = playlist == null ? m : withPlaylist(m, playlist);
    m = swarm == null ? m : m.withSwarm(swarm);
    return extras == MountExtras.NONE ? m : m.withExtras(extras);
  }

  /** {@code source-user}, {@code on-connect}, ... of a mount; problems under their keys. */
  private static MountExtras extras(Fields f) {
    String user = MountExtras.DEFAULT_SOURCE_USER;
    if (f.has("source-user")) {
      user = f.text("source-user", false);
      if (user != null && (user.contains(":") || user.chars().anyMatch(c -> c < ' '))) {
        f.problem("source-user", "must not contain ':' or control characters (HTTP Basic"
            + " splits at the first colon)");
      }
    }
    String[] keys = {"on-connect", "on-disconnect", "stream-name", "stream-description",
        "stream-url", "stream-genre", "charset"};
    String[] optional = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      optional[i] = f.has(keys[i]) ? f.text(keys[i], false) : null;
    }
    String charset = optional[6];
    if (charset != null) {
      try {
        java.nio.charset.Charset.forName(charset);
      } catch (IllegalArgumentException e) {
        f.problem("charset", "not a charset Java knows, such as UTF-8, ISO-8859-1 or"
            + " windows-1251: \"" + charset + "\"");
      }
    }
    if (user == null || (user.equals(MountExtras.DEFAULT_SOURCE_USER)
        && java.util.Arrays.stream(optional).allMatch(java.util.Objects::isNull))) {
      return MountExtras.NONE;
    }
    return new MountExtras(user, optional[0], optional[1], optional[2], optional[3],
        optional[4], optional[5], optional[6]);
  }

  /** {@code playlist}: a folder or playlist file with entries, on a mount without upstreams. */
  private static String playlist(Fields f, List<URI> upstreams) {
    String text = f.text("playlist", false);
    if (text == null) {
      return null;
    }
    if (upstreams != null && !upstreams.isEmpty()) {
      f.problem("playlist", "a mount has either upstreams or a playlist, not both");
      return null;
    }
    String reason = dev.floe.proxy.playlist.PlaylistFiles.problem(java.nio.file.Path.of(text));
    if (reason != null) {
      f.problem("playlist", reason);
      return null;
    }
    return text;
  }

  private static MountSettings withPlaylist(MountSettings m, String playlist) {
    return new MountSettings(m.path(), m.upstreams(), m.listenerAuth(), m.metaint(),
        m.burstBytes(), m.maxLagBytes(), m.bufferBytes(), m.bufferAge(), m.stallTimeout(),
        m.reconnectMin(), m.reconnectMax(), m.maxRedirects(), m.connectTimeout(), m.userAgent(),
        m.switchTimeout(), m.probeInterval(), m.listenerDelayBytes(), m.password(),
        m.fallbackMount(), m.fallbackOverride(), m.sourceGrace(), m.maxListeners(), m.hidden(),
        playlist, m.swarm(), m.extras(), m.reconnectFast(), m.reconnectFastFor())
        .withStartHold(m.startHold());
  }

  /** {@code mount-defaults} as settings at path {@code /}, or null after a problem. */
  MountSettings defaults() {
    return defaults.containsValue(null) ? null
        : settings("/", List.of(), null, defaults, null, null);
  }

  private static String fallback(Fields f) {
    String path = f.text("fallback-mount", false);
    String reason = path == null ? null : pathProblem(path);
    if (reason != null) {
      f.problem("fallback-mount", reason);
      return null;
    }
    return path;
  }

  private static MountSettings settings(String path, List<URI> upstreams,
      ListenerAuthSettings listenerAuth, Map<String, Object> values, String password,
      String fallback) {
    return new MountSettings(path, upstreams,
        listenerAuth,
        ((Long) values.get("metaint")).intValue(),
        ((Long) values.get("burst-size")).intValue(),
        (Long) values.get("max-lag"),
        (Long) values.get("buffer-size"),
        (Duration) values.get("buffer-age"),
        (Duration) values.get("stall-timeout"),
        (Duration) values.get("reconnect-min"),
        (Duration) values.get("reconnect-max"),
        ((Long) values.get("max-redirects")).intValue(),
        (Duration) values.get("connect-timeout"),
        (String) values.get("user-agent"),
        (Duration) values.get("switch-timeout"),
        (Duration) values.get("probe-interval"),
        listenerDelay(values),
        password,
        fallback,
        (Boolean) values.get("fallback-override"),
        (Duration) values.get("source-grace"),
        ((Long) values.get("max-listeners")).intValue(),
        (Boolean) values.get("hidden"), null, null, MountExtras.NONE,
        (Duration) values.get("reconnect-fast"),
        (Duration) values.get("reconnect-fast-for")).withStartHold(
            (Duration) values.get("start-hold"));
  }

  /** {@code listener-delay}, where the word {@code burst-size} means "the same as burst-size". */
  private static long listenerDelay(Map<String, Object> values) {
    Object delay = values.get("listener-delay");
    return delay == SAME_AS_BURST ? (Long) values.get("burst-size") : (Long) delay;
  }

  /** The parsed value of {@code listener-delay = burst-size}. */
  private static final Object SAME_AS_BURST = "burst-size";

  /** One mount-defaults key: a Long, a Duration, a Boolean or a String, or null after a problem. */
  private static Object value(Fields f, String key) {
    return switch (key) {
      case "metaint" -> f.whole(key, 1, 1024 * 1024);
      case "burst-size" -> f.bytes(key, 0, Integer.MAX_VALUE);
      case "max-lag" -> f.bytes(key, 1, Long.MAX_VALUE);
      case "buffer-size" -> f.bytes(key, 1024, Long.MAX_VALUE);
      case "max-redirects" -> f.whole(key, 0, 20);
      case "max-listeners" -> f.whole(key, 0, Integer.MAX_VALUE);
      case "fallback-override", "hidden" -> f.flag(key);
      case "user-agent" -> f.text(key, false);
      case "listener-delay" -> "burst-size".equals(Fields.textOf(f.present(key)))
          ? SAME_AS_BURST : f.bytes(key, 0, Long.MAX_VALUE);
      case "buffer-age", "stall-timeout", "reconnect-min", "reconnect-max", "reconnect-fast",
          "reconnect-fast-for", "connect-timeout",
          "switch-timeout", "probe-interval", "source-grace", "start-hold" ->
          f.positiveDuration(key);
      default -> throw new IllegalArgumentException(key);
    };
  }

  /**
   * Rules between two keys. Checked only when the section sets at least one of the two
   * ({@code own}), and reported under the first key it sets.
   */
  private static void crossCheck(Fields f, Map<String, Object> values, Set<String> own) {
    Long burst = (Long) values.get("burst-size");
    Long lag = (Long) values.get("max-lag");
    Long buffer = (Long) values.get("buffer-size");
    if (burst != null && buffer != null && burst > buffer) {
      report(f, own, "burst-size", "buffer-size", "burst-size (" + Units.bytes(burst)
          + ") must not exceed buffer-size (" + Units.bytes(buffer) + ")");
    }
    if (lag != null && buffer != null && lag > buffer) {
      report(f, own, "max-lag", "buffer-size", "max-lag (" + Units.bytes(lag)
          + ") must not exceed buffer-size (" + Units.bytes(buffer) + ")");
    }
    if (burst != null && lag != null && burst > lag) {
      report(f, own, "burst-size", "max-lag", "burst-size (" + Units.bytes(burst)
          + ") must not exceed max-lag (" + Units.bytes(lag)
          + "): a new listener would start already too far behind");
    }
    Object delay = values.get("listener-delay");
    if (delay instanceof Long d && burst != null && lag != null && d + burst > lag) {
      report(f, own, "listener-delay", "max-lag", "listener-delay (" + Units.bytes(d)
          + ") plus burst-size (" + Units.bytes(burst) + ") must not exceed max-lag ("
          + Units.bytes(lag) + "): a new listener would start already too far behind");
    }
    Duration min = (Duration) values.get("reconnect-min");
    Duration max = (Duration) values.get("reconnect-max");
    if (min != null && max != null && min.compareTo(max) > 0) {
      report(f, own, "reconnect-min", "reconnect-max", "reconnect-min (" + Units.duration(min)
          + ") must not exceed reconnect-max (" + Units.duration(max) + ")");
    }
  }

  private static void report(Fields f, Set<String> own, String a, String b, String reason) {
    if (own.contains(a)) {
      f.problem(a, reason);
    } else if (own.contains(b)) {
      f.problem(b, reason);
    }
  }

  private static String path(Fields f) {
    if (!f.has("path")) {
      f.problem("path", "missing: every mount needs a path such as \"/live\"");
      return null;
    }
    String path = f.text("path", true);
    if (path == null) {
      return null;
    }
    String reason = pathProblem(path);
    if (reason != null) {
      f.problem("path", reason);
      return null;
    }
    return path;
  }

  /** Why {@code path} cannot be a mount path, or null when it can. */
  static String pathProblem(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    if (!path.startsWith("/")) {
      return "must start with /, got \"" + path + "\"";
    }
    if (path.equals("/")) {
      return "must name a mount such as /live, not just /";
    }
    if (BAD_PATH_CHARS.matcher(path).find()) {
      return "must not contain '?', '#' or spaces, got \"" + path + "\"";
    }
    for (String suffix : PLAYLIST_SUFFIXES) {
      if (lower.endsWith(suffix)) {
        return "must not end in .m3u, .pls or .xspf (those names serve playlists), got \""
            + path + "\"";
      }
    }
    if (lower.equals("/admin") || lower.startsWith("/admin/") || lower.endsWith(".xsl")) {
      return "is reserved for Icecast admin and status pages, got \"" + path + "\"";
    }
    return null;
  }

  private static List<URI> upstreams(Fields f) {
    boolean many = f.has("upstreams");
    boolean one = f.has("upstream");
    if (many && one) {
      f.problem("upstream", "set either upstream or upstreams, not both");
      return null;
    }
    if (!many && !one) {
      return List.of(); // a source mount
    }
    if (one) {
      String text = f.text("upstream", false);
      URI uri = text == null ? null : upstream(f, "upstream", text);
      return uri == null ? null : List.of(uri);
    }
    ConfigValue value = f.present("upstreams");
    if (value == null) {
      return null;
    }
    if (value.valueType() != ConfigValueType.LIST) {
      f.problem("upstreams", "expected a list of URLs such as [\"http://host:8000/live\"], got "
          + Fields.describe(value));
      return null;
    }
    List<?> list = (List<?>) value;
    if (list.isEmpty()) {
      f.problem("upstreams", "must list at least one upstream URL (leave upstreams out for a"
          + " mount fed by a source)");
      return null;
    }
    List<URI> uris = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < list.size(); i++) {
      String key = "upstreams[" + i + "]";
      ConfigValue item = (ConfigValue) list.get(i);
      String text = item.valueType() == ConfigValueType.STRING ? (String) item.unwrapped() : null;
      URI uri = null;
      if (text == null) {
        f.problem(key, "expected a URL string, got " + Fields.describe(item));
      } else {
        uri = upstream(f, key, text);
      }
      if (uri != null && uris.contains(uri)) {
        f.problem(key, "duplicate of upstreams[" + uris.indexOf(uri) + "]");
        uri = null;
      }
      ok &= uri != null;
      uris.add(uri);
    }
    return ok ? uris : null;
  }

  /**
   * {@code listener-auth { add-url, remove-url }}: null when absent; problems are recorded
   * under {@code listener-auth.*}.
   */
  private static ListenerAuthSettings listenerAuth(Fields f, List<Problem> problems) {
    if (!f.has("listener-auth")) {
      return null;
    }
    ConfigValue value = f.present("listener-auth");
    if (value == null) {
      return null;
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      f.problem("listener-auth", "expected an object such as { add-url = \"http://auth/add\" },"
          + " got " + Fields.describe(value));
      return null;
    }
    Fields a = new Fields((ConfigObject) value, f.key("listener-auth"), problems);
    for (String key : new java.util.TreeSet<>(((ConfigObject) value).keySet())) {
      if (!key.equals("add-url") && !key.equals("remove-url") && !key.equals("htpasswd")) {
        a.problem(key, "unknown key (listener-auth takes add-url and remove-url, or htpasswd)");
      }
    }
    if (a.has("htpasswd")) {
      if (a.has("add-url") || a.has("remove-url")) {
        a.problem("htpasswd", "set either htpasswd or add-url/remove-url, not both");
        return null;
      }
      String file = a.text("htpasswd", false);
      return file == null ? null : ListenerAuthSettings.htpasswd(java.nio.file.Path.of(file));
    }
    String add = a.text("add-url", false);
    URI addUrl = add == null ? null : upstream(a, "add-url", add);
    URI removeUrl = null;
    if (a.has("remove-url")) {
      String remove = a.text("remove-url", false);
      removeUrl = remove == null ? null : upstream(a, "remove-url", remove);
    }
    return addUrl == null ? null : new ListenerAuthSettings(addUrl, removeUrl);
  }

  /** Parses one upstream URL, or records why it cannot be used and returns null. */
  private static URI upstream(Fields f, String key, String text) {
    String reason = null;
    URI uri = null;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      reason = "not a valid URL: " + e.getReason() + " at index " + e.getIndex();
    }
    if (uri != null) {
      String scheme = uri.getScheme();
      if (scheme == null) {
        reason = "must be an absolute http:// or https:// URL";
      } else if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
        reason = "must be an http:// or https:// URL, got scheme \"" + scheme + "\"";
      } else if (uri.getHost() == null) {
        reason = "has no valid host name";
      } else if (uri.getPort() == 0 || uri.getPort() > 65535) {
        reason = "port must be between 1 and 65535, got " + uri.getPort();
      } else if (!scheme.equals(scheme.toLowerCase(Locale.ROOT))) {
        uri = URI.create(scheme.toLowerCase(Locale.ROOT) + text.trim().substring(scheme.length()));
      }
    }
    if (reason != null) {
      f.problem(key, reason);
      return null;
    }
    return uri;
  }
}
