package dev.floe.proxy.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.floe.proxy.config.InvalidConfigException.Problem;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a validated {@link FloeConfig} from a HOCON file, a {@link Config}, or the command-line
 * quick start. Every source is layered over {@code reference.conf} (the defaults), resolved
 * (so {@code ${?ENV_VAR}} substitutions work), then checked in one pass: all problems are
 * collected and thrown together as an {@link InvalidConfigException}, never just the first.
 *
 * <p>Problem keys are relative to the {@code floe} root: {@code server.port}, {@code
 * mount-defaults.burst-size}, {@code mounts[0].upstreams[1]} (mounts are numbered from 0).
 * Stateless and thread safe.
 */
public final class ConfigLoader {
  /** Problem key for an unreadable file or a HOCON syntax error. */
  public static final String FILE_KEY = "(file)";
  private static final String ROOT = "floe";
  private static final String DEFAULT_MOUNT = "/stream";

  private ConfigLoader() {}

  /**
   * Loads a HOCON file layered over the defaults. Keys outside the {@code floe { }} root are
   * reported as unknown; a missing file or a syntax error is a problem with key {@code (file)}.
   *
   * @throws InvalidConfigException listing every problem, with the file name as source
   */
  public static FloeConfig load(Path file) throws InvalidConfigException {
    return load(file, ignored -> { });
  }

  /**
   * The last guard of the icecast.xml mapping: a bug there (ConfigFuzzTest once found a bad
   * relay port unboxed to an NPE) is refused as an invalid file, never a crash. The fuzz target
   * asserts this message never appears, so such bugs are still found.
   */
  private static InvalidConfigException unmapped(String source, RuntimeException e) {
    return new InvalidConfigException(source, List.of(new Problem(FILE_KEY,
        "icecast.xml could not be mapped (" + e + "); run floe check on it and report it")));
  }

  /**
   * Loads a HOCON file, or an Icecast 2.4 {@code icecast.xml} (a file whose name ends in
   * {@code .xml} or whose first character is {@code <}; see {@link IcecastXml}). For an
   * icecast.xml, {@code ignored} is given one line per setting Floe does not use, and problems
   * name the XML element ({@code /icecast/mount[1]/burst-size}).
   *
   * @throws InvalidConfigException listing every problem, with the file name as source
   */
  public static FloeConfig load(Path file, java.util.function.Consumer<String> ignored)
      throws InvalidConfigException {
    String source = file.toString();
    if (!Files.isRegularFile(file)) {
      String reason = Files.exists(file) ? "not a regular file" : "file not found";
      throw new InvalidConfigException(source, List.of(new Problem(FILE_KEY, reason)));
    }
    if (IcecastXml.looksLikeXml(file)) {
      IcecastXml.Translation t;
      try {
        t = IcecastXml.read(file);
      } catch (RuntimeException e) {
        throw unmapped(source, e);
      }
      t.ignored().forEach(ignored);
      try {
        return build(t.config(), source, FILE_KEY, new ArrayList<>(t.problems()));
      } catch (InvalidConfigException e) {
        throw new InvalidConfigException(source, e.problems().stream()
            .map(p -> new Problem(t.element(p.key()), p.reason()))
            .distinct()
            .toList());
      } catch (RuntimeException e) {
        throw unmapped(source, e);
      }
    }
    Config parsed;
    try {
      parsed = ConfigFactory.parseFile(file.toFile(),
          ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw new InvalidConfigException(source, List.of(new Problem(FILE_KEY, e.getMessage())));
    }
    List<Problem> problems = new ArrayList<>();
    Fields outside = new Fields(parsed.root(), "", problems);
    Keys.reportUnknown(outside, Keys.Section.OUTSIDE);
    if (parsed.hasPathOrNull(ROOT + ".version")) {
      problems.add(new Problem("version", "is set by Floe itself and cannot be configured"));
    }
    return build(parsed, source, FILE_KEY, problems);
  }

  /**
   * Validates a configuration that is already parsed, layered over the defaults. Only the
   * {@code floe} root is read, so {@code ConfigFactory.load()} may be passed as is.
   *
   * @throws InvalidConfigException listing every problem, with source {@code (config)}
   */
  public static FloeConfig fromConfig(Config config) throws InvalidConfigException {
    return build(config, "(config)", "(config)", new ArrayList<>());
  }

  /**
   * The quick start behind {@code floe relay}: the defaults plus one mount relaying {@code
   * upstream}. Problems are keyed by the parameter name ({@code upstream}, {@code port}, {@code
   * bind}, {@code mount}) rather than by config key.
   *
   * @param upstream the URL to relay; required
   * @param port listening port, or null for the default (8000); 0 picks any free port
   * @param bind listening address, or null for the default (0.0.0.0)
   * @param mount mount path, or null for the upstream URL's path ({@code /stream} when that is
   *     empty or {@code /})
   * @throws InvalidConfigException listing every problem, with source {@code (command line)}
   */
  public static FloeConfig forRelay(URI upstream, Integer port, String bind, String mount)
      throws InvalidConfigException {
    return forRelay(upstream == null ? List.of() : List.of(upstream), port, bind, mount);
  }

  /**
   * As {@link #forRelay(URI, Integer, String, String)} with several upstreams in priority order;
   * the mount path defaults to the first one's path.
   */
  public static FloeConfig forRelay(List<URI> upstreams, Integer port, String bind, String mount)
      throws InvalidConfigException {
    URI upstream = upstreams.isEmpty() ? null : upstreams.get(0);
    Map<String, Object> server = new HashMap<>();
    if (port != null) {
      server.put("port", port);
    }
    if (bind != null) {
      server.put("bind", bind);
    }
    Map<String, Object> relay = new LinkedHashMap<>();
    relay.put("path", mount != null ? mount : defaultMountPath(upstream));
    if (isJoinAddress(upstream)) {
      // a swarm's join address: a peer with the swarm block's defaults; the other URLs (else the
      // join address's own stream URL) are its fallbacks
      relay.put("swarm", Map.of("role", "peer", "join", upstream.toString()));
      if (upstreams.size() > 1) {
        relay.put("upstreams", upstreams.subList(1, upstreams.size()).stream()
            .map(URI::toString).toList());
      }
    } else {
      relay.put("upstreams", upstreams.stream().map(URI::toString).toList());
    }
    Map<String, Object> floe = Map.of("server", server, "mounts", List.of(relay));
    Config config = ConfigValueFactory.fromMap(Map.of(ROOT, floe), "command line").toConfig();
    String source = "(command line)";
    try {
      return build(config, source, source, new ArrayList<>());
    } catch (InvalidConfigException e) {
      List<Problem> renamed = e.problems().stream()
          .map(p -> new Problem(relayKey(p.key()), p.reason()))
          .toList();
      throw new InvalidConfigException(source, renamed);
    }
  }

  /**
   * The quick start behind {@code floe server}: a bare Icecast. No mounts are configured; any
   * mount accepts a source with the source password ({@code sources-create-mounts = true}), and
   * SHOUTcast v1 sources connect on port + 1 (off when the port is 0 or 65535). Problems are keyed
   * by the option name ({@code port}, {@code bind}, {@code source-password}, {@code
   * admin-password}).
   *
   * @param port listening port, or null for the default (8000)
   * @param bind listening address, or null for the default (0.0.0.0)
   * @param sourcePassword the source password, or null for the default ({@code hackme})
   * @param adminPassword sets {@code floe.server.admin-password} when not null
   * @throws InvalidConfigException listing every problem, with source {@code (command line)}
   */
  public static FloeConfig forServer(Integer port, String bind, String sourcePassword,
      String adminPassword) throws InvalidConfigException {
    Map<String, Object> server = new HashMap<>();
    int effectivePort = port != null ? port : 8000;
    if (port != null) {
      server.put("port", port);
    }
    if (bind != null) {
      server.put("bind", bind);
    }
    if (sourcePassword != null) {
      server.put("source-password", sourcePassword);
    }
    if (adminPassword != null) {
      server.put("admin-password", adminPassword);
    }
    server.put("sources-create-mounts", true);
    if (effectivePort > 0 && effectivePort < 65535) {
      server.put("shoutcast-port", effectivePort + 1);
    }
    Config config = ConfigValueFactory.fromMap(Map.of(ROOT, Map.of("server", server)),
        "command line").toConfig();
    String source = "(command line)";
    try {
      return build(config, source, source, new ArrayList<>());
    } catch (InvalidConfigException e) {
      List<Problem> renamed = e.problems().stream()
          .map(p -> new Problem(p.key().startsWith("server.") ? p.key().substring(7) : p.key(),
              p.reason()))
          .toList();
      throw new InvalidConfigException(source, renamed);
    }
  }

  /**
   * The upstream URL's path without a playlist ending ({@code /live.m3u} names {@code /live}, as
   * Icecast's own playlist links do), or {@code /stream} when it has none.
   */
  public static String defaultMountPath(URI upstream) {
    String path = upstream == null ? null : upstream.getRawPath();
    if (path != null) {
      path = PLAYLIST_ENDING.matcher(path).replaceFirst("");
    }
    return path == null || path.isEmpty() || path.equals("/") ? DEFAULT_MOUNT : path;
  }

  private static final java.util.regex.Pattern PLAYLIST_ENDING = java.util.regex.Pattern.compile(
      "\\.(pls|m3u|m3u8|xspf|asx)$", java.util.regex.Pattern.CASE_INSENSITIVE);

  /** Whether a URL's path ends like a playlist file. */
  public static boolean playlistUrl(URI u) {
    return u.getRawPath() != null && PLAYLIST_ENDING.matcher(u.getRawPath()).find();
  }

  /** Whether {@code uri} is a swarm join address ({@code http://host:port/mount#floe=<key>}). */
  private static boolean isJoinAddress(URI uri) {
    return uri != null && uri.getRawFragment() != null
        && uri.getRawFragment().startsWith("floe=");
  }

  private static String relayKey(String key) {
    if (key.startsWith("mounts[0].swarm")) {
      return "upstream";
    }
    if (key.equals("server.port")) {
      return "port";
    }
    if (key.equals("server.bind")) {
      return "bind";
    }
    if (key.equals("mounts[0].path")) {
      return "mount";
    }
    if (key.startsWith("mounts[0].upstream")) {
      return "upstream";
    }
    return key;
  }

  /** The built-in defaults, with the running version filled in. */
  private static Config reference() {
    Config version = ConfigFactory.parseMap(
        Map.of(ROOT + ".version", FloeVersion.current()), "Floe version");
    return version.withFallback(
        ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf"));
  }

  private static FloeConfig build(Config user, String source, String rawKey,
      List<Problem> problems) throws InvalidConfigException {
    Config merged;
    try {
      merged = user.withFallback(reference()).resolve();
    } catch (ConfigException e) {
      problems.add(new Problem(rawKey, e.getMessage()));
      throw new InvalidConfigException(source, problems);
    }
    ConfigValue root = merged.root().get(ROOT);
    if (root == null || root.valueType() != ConfigValueType.OBJECT) {
      problems.add(new Problem(ROOT, "expected an object, got "
          + (root == null ? "nothing" : Fields.describe(root))));
      throw new InvalidConfigException(source, problems);
    }
    FloeConfig config = parse(new Fields((ConfigObject) root, "", problems), problems);
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(source, problems);
    }
    return config;
  }

  private static FloeConfig parse(Fields floe, List<Problem> problems) {
    Keys.reportUnknown(floe, Keys.Section.ROOT);
    ConfigObject serverObject = section(floe, "server");
    ServerSettings server = serverObject == null ? null
        : ServerParser.parse(serverObject, problems);
    ConfigObject defaultsObject = section(floe, "mount-defaults");
    MountParser parser = defaultsObject == null ? null
        : MountParser.withDefaults(defaultsObject, problems);
    List<MountSettings> mounts = parser == null ? null : mounts(floe, parser, problems);
    MountSettings defaults = parser == null ? null : parser.defaults();
    if (server != null && mounts != null) {
      checkFallbacks(mounts, problems);
    }
    MasterSettings master = master(floe, problems);
    return server == null || mounts == null || defaults == null ? null
        : new FloeConfig(server, mounts, defaults, master);
  }

  /** {@code floe.master}: null when its url is empty (no master). */
  private static MasterSettings master(Fields floe, List<Problem> problems) {
    ConfigObject object = section(floe, "master");
    if (object == null) {
      return null;
    }
    Fields f = new Fields(object, "master", problems);
    Keys.reportUnknown(f, Keys.Section.MASTER);
    String url = f.text("url", true);
    String user = f.text("user", false);
    String password = f.text("password", true);
    java.time.Duration interval = f.positiveDuration("interval");
    if (url == null || url.isBlank() || user == null || password == null || interval == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (java.net.URISyntaxException e) {
      f.problem("url", "not a valid URL: " + e.getReason());
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
        || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
      f.problem("url", "must be the master's http:// or https:// address with no path, such as"
          + " \"http://master.example.org:8000\", got \"" + url + "\"");
      return null;
    }
    if (user.contains(":")) {
      f.problem("user", "must not contain ':'");
      return null;
    }
    if (password.isEmpty()) {
      f.problem("password", "must be set when url is: the master's relay password");
      return null;
    }
    return new MasterSettings(uri, user, password, interval);
  }

  /** A fallback-mount may name any path (a source may create it later), but not its own. */
  private static void checkFallbacks(List<MountSettings> mounts, List<Problem> problems) {
    for (int i = 0; i < mounts.size(); i++) {
      MountSettings m = mounts.get(i);
      if (m.path().equals(m.fallbackMount())) {
        problems.add(new Problem("mounts[" + i + "].fallback-mount",
            "must name another mount, not the mount itself"));
      }
    }
  }

  private static ConfigObject section(Fields floe, String name) {
    ConfigValue value = floe.present(name);
    if (value == null) {
      return null;
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      floe.problem(name, "expected an object, got " + Fields.describe(value));
      return null;
    }
    return (ConfigObject) value;
  }

  private static List<MountSettings> mounts(Fields floe, MountParser parser,
      List<Problem> problems) {
    ConfigValue value = floe.present("mounts");
    if (value == null) {
      return null;
    }
    if (value.valueType() != ConfigValueType.LIST) {
      floe.problem("mounts", "expected a list of mounts such as [{ path = \"/live\", upstreams"
          + " = [\"http://host:8000/live\"] }], got " + Fields.describe(value));
      return null;
    }
    List<?> elements = (List<?>) value;
    List<MountSettings> mounts = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean ok = true;
    for (int i = 0; i < elements.size(); i++) {
      MountSettings mount = parser.parse(i, (ConfigValue) elements.get(i), seen, problems);
      ok &= mount != null;
      mounts.add(mount);
    }
    return ok ? mounts : null;
  }
}
