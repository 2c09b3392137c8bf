package dev.floe.proxy.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The known keys of each section and the wording of "unknown key" problems, including a
 * did-you-mean suggestion when exactly one known key is close to a typo.
 */
final class Keys {
  /** Keys directly under {@code floe}. {@code version} is set by Floe itself. */
  static final List<String> ROOT = List.of("version", "server", "mount-defaults", "mounts",
      "master");

  /** Keys of {@code floe.master}. */
  static final List<String> MASTER = List.of("url", "user", "password", "interval");

  static final List<String> SERVER = List.of(
      "bind", "port", "hostname", "location", "admin", "server-id", "max-clients",
      "max-line-bytes", "max-headers", "max-head-bytes", "header-timeout", "idle-timeout",
      "response-headers",
      "source-password", "max-sources", "shoutcast-port", "shoutcast-mount",
      "sources-create-mounts", "admin-user", "admin-password", "relay-user", "relay-password",
      "tls", "limits", "port-mapping", "port-mapping-gateway", "trusted-proxies",
      "forwarded-header", "proxy-protocol", "buffer-memory", "web-player");

  /** Keys of {@code floe.server.web-player}. */
  static final List<String> WEB_PLAYER = List.of("enabled", "tracker", "stun",
      "report-interval", "report-rate", "report-burst", "tracker-max-peers", "tracker-interval");

  /** Keys of {@code floe.server.tls}. */
  static final List<String> TLS = List.of("port", "bind", "certificate", "key", "proxy-protocol");

  /** Keys of {@code floe.server.limits}. */
  static final List<String> LIMITS = List.of(
      "max-connections-per-ip", "admin-rate", "admin-burst", "auth-failures", "auth-window",
      "auth-backoff", "auth-backoff-max", "listener-write-buffer", "exempt",
      "peer-frame-bytes", "peer-requests-per-second", "peer-request-burst", "peer-queue-bytes",
      "peer-partners");

  /** Keys of {@code floe.mount-defaults}; each may also be set on a single mount. */
  static final List<String> MOUNT_DEFAULTS = List.of(
      "metaint", "burst-size", "max-lag", "buffer-size", "buffer-age", "stall-timeout",
      "reconnect-min", "reconnect-max", "reconnect-fast", "reconnect-fast-for", "max-redirects",
      "connect-timeout", "user-agent",
      "switch-timeout", "probe-interval", "listener-delay",
      "fallback-override", "source-grace", "max-listeners", "hidden", "start-hold");

  /** Keys only a mount may set. */
  static final List<String> MOUNT_ONLY = List.of("path", "upstreams", "upstream",
      "password", "fallback-mount", "listener-auth", "playlist", "swarm",
      "source-user", "on-connect", "on-disconnect", "stream-name", "stream-description",
      "stream-url", "stream-genre", "charset");

  /** Keys of a mount's {@code swarm} block. */
  static final List<String> SWARM = List.of("role", "key-file", "join", "upload", "copies",
      "bitrate", "lag", "partners");

  /** Where an unknown key was found. */
  enum Section { OUTSIDE, ROOT, SERVER, TLS, LIMITS, MOUNT_DEFAULTS, MOUNT, MASTER, WEB_PLAYER }

  private Keys() {}

  /** The keys a section accepts. */
  static List<String> known(Section section) {
    return switch (section) {
      case OUTSIDE -> List.of("floe");
      case ROOT -> ROOT;
      case SERVER -> SERVER;
      case TLS -> TLS;
      case LIMITS -> LIMITS;
      case MOUNT_DEFAULTS -> MOUNT_DEFAULTS;
      case MOUNT -> concat(MOUNT_ONLY, MOUNT_DEFAULTS);
      case MASTER -> MASTER;
      case WEB_PLAYER -> WEB_PLAYER;
    };
  }

  /** Why {@code key} is not accepted in {@code section}, with a hint where one helps. */
  static String unknownKeyReason(String key, Section section) {
    boolean serverKey = SERVER.contains(key);
    boolean mountKey = MOUNT_DEFAULTS.contains(key) || MOUNT_ONLY.contains(key);
    switch (section) {
      case OUTSIDE:
        if (ROOT.contains(key) || serverKey || mountKey) {
          return "unknown key outside the floe { } root: settings must be inside floe { }";
        }
        break;
      case ROOT:
        if (serverKey) {
          return "unknown key here: it is a server setting, put it in server { }";
        }
        if (mountKey) {
          return "unknown key here: it is a mount setting, put it in mount-defaults { } or a mount";
        }
        break;
      case SERVER:
        if (mountKey) {
          return "unknown key in server: it is a mount setting, put it in mount-defaults { } or a"
              + " mount";
        }
        break;
      case MOUNT_DEFAULTS:
        if (MOUNT_ONLY.contains(key)) {
          return "cannot be set in mount-defaults: set it in each mount";
        }
        if (serverKey) {
          return "unknown key in mount-defaults: it is a server setting, put it in server { }";
        }
        break;
      case MOUNT:
        if (serverKey) {
          return "unknown key in a mount: it is a server setting, put it in server { }";
        }
        break;
      default:
        break;
    }
    String suggestion = suggest(key, known(section));
    return suggestion == null ? "unknown key" : "unknown key (did you mean \"" + suggestion + "\"?)";
  }

  /**
   * The one known key closest to {@code key}, or null when none is close or several are equally
   * close. Case, hyphens and underscores are ignored, so {@code burstSize} and {@code burst_size}
   * both suggest {@code burst-size}; a swap of two letters counts as one edit.
   */
  static String suggest(String key, Collection<String> known) {
    String typed = normalize(key);
    int limit = Math.max(1, typed.length() / 4);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    boolean tie = false;
    for (String candidate : known) {
      int distance = distance(typed, normalize(candidate));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
        tie = false;
      } else if (distance == bestDistance) {
        tie = true;
      }
    }
    return best != null && !tie && bestDistance <= limit ? best : null;
  }

  private static String normalize(String key) {
    return key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  /** Records an "unknown key" problem for every key of the section not in its known set. */
  static void reportUnknown(Fields fields, Section section) {
    List<String> known = known(section);
    fields.object().keySet().stream()
        .sorted()
        .filter(key -> !known.contains(key))
        .forEach(key -> fields.problem(key, unknownKeyReason(key, section)));
  }
}
