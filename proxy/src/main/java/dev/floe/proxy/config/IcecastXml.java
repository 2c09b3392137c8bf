package dev.floe.proxy.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.floe.proxy.config.InvalidConfigException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Reads an Icecast 2.4 {@code icecast.xml} into the same {@code floe { }} tree a HOCON file
 * gives, so {@link ConfigLoader} validates it into the same records. Every setting Floe has an
 * equivalent for is mapped ({@code docs/icecast-migration.md} has the table); every other one is
 * named in one line of {@link Translation#ignored()}. Problems name the XML element ({@code
 * /icecast/mount[2]/burst-size}), also for rules Floe's validation finds after the mapping.
 *
 * <p>Icecast's behaviour is kept where Floe's defaults differ: any mount accepts a source
 * ({@code sources-create-mounts}), and a listener may fall {@code queue-size} behind the burst
 * it started with ({@code max-lag = queue-size + burst-size}, since Floe serves players
 * {@code listener-delay} = {@code burst-size} behind live).
 *
 * <p>About 750 lines: one method per icecast.xml section, mapping, ignoring with a reason, or
 * reporting each Icecast 2.4 setting; the settings are many, the logic for each is short.
 */
final class IcecastXml {
  /** The Icecast 2.4 defaults the mapping needs. */
  private static final long ICECAST_QUEUE = 524_288;
  private static final long ICECAST_BURST = 65_535;
  private static final long FLOE_BUFFER = 4L * 1024 * 1024;
  private static final long MAX_FILE = 4L * 1024 * 1024;

  /**
   * The result of reading one file.
   *
   * @param config the {@code floe { }} tree (without defaults)
   * @param ignored one line per setting Floe does not use, with why
   * @param elements the element each config key came from, for problem messages
   * @param problems problems found while reading (bad numbers, missing elements)
   */
  record Translation(Config config, List<String> ignored, Map<String, String> elements,
      List<Problem> problems) {

    /** The element a config key came from (or its nearest mapped parent), else the key. */
    String element(String key) {
      String k = key;
      while (true) {
        String e = elements.get(k);
        if (e != null) {
          return k.equals(key) ? e : e + " (" + key.substring(k.length() + 1) + ")";
        }
        int dot = Math.max(k.lastIndexOf('.'), k.lastIndexOf('['));
        if (dot <= 0) {
          return key;
        }
        k = k.substring(0, dot);
      }
    }
  }

  private final Map<String, Object> server = new LinkedHashMap<>();
  private final Map<String, Object> defaults = new LinkedHashMap<>();
  private final Map<String, Object> limits = new LinkedHashMap<>();
  private final List<Map<String, Object>> mounts = new ArrayList<>();
  private final Map<String, Object> master = new LinkedHashMap<>();
  private final Map<String, Element> masterParts = new LinkedHashMap<>();
  private final Map<String, String> elements = new LinkedHashMap<>();
  private final List<String> ignored = new ArrayList<>();
  private final List<Problem> problems = new ArrayList<>();
  private Long queueSize;
  private Long burstSize;

  private IcecastXml() {}

  /** Whether {@code file} is an XML file: its name ends in {@code .xml} or it starts with '<'. */
  static boolean looksLikeXml(Path file) {
    if (file.getFileName() != null
        && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml")) {
      return true;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(256);
      String text = new String(head, StandardCharsets.UTF_8).stripLeading();
      if (text.startsWith("\uFEFF")) {
        text = text.substring(1).stripLeading();
      }
      return text.startsWith("<");
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads {@code file}; problems that stop the reading altogether are thrown. */
  static Translation read(Path file) throws InvalidConfigException {
    Element root;
    try {
      if (Files.size(file) > MAX_FILE) {
        throw new InvalidConfigException(file.toString(), List.of(new Problem(
            ConfigLoader.FILE_KEY, "larger than 4 MiB: not an icecast.xml")));
      }
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      root = builder.parse(file.toFile()).getDocumentElement();
    } catch (IOException | SAXException | ParserConfigurationException e) {
      throw new InvalidConfigException(file.toString(), List.of(new Problem(
          ConfigLoader.FILE_KEY, "not a readable icecast.xml: " + e.getMessage())));
    }
    if (!root.getTagName().equals("icecast")) {
      throw new InvalidConfigException(file.toString(), List.of(new Problem(
          "/" + root.getTagName(), "the root element of an icecast.xml is <icecast>")));
    }
    IcecastXml x = new IcecastXml();
    x.root(root);
    return x.translation();
  }

  private Translation translation() {
    Map<String, Object> floe = new LinkedHashMap<>();
    server.put("limits", limits);
    floe.put("server", server);
    floe.put("mount-defaults", defaults);
    floe.put("mounts", mounts);
    if (!master.isEmpty()) {
      floe.put("master", master);
    }
    Config config = ConfigValueFactory.fromMap(Map.of("floe", floe), "icecast.xml").toConfig();
    Map<String, String> keys = new LinkedHashMap<>();
    elements.forEach((k, v) -> keys.put(k.startsWith("floe.") ? k.substring(5) : k, v));
    return new Translation(config, List.copyOf(ignored), keys, List.copyOf(problems));
  }

  // ---- the root --------------------------------------------------------------------------------

  private void root(Element root) {
    server.put("sources-create-mounts", true); // Icecast lets a source onto any mount
    List<Element> sockets = new ArrayList<>();
    int mountIndex = 0;
    int relayIndex = 0;
    List<Element> relays = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Element e : children(root)) {
      String name = e.getTagName();
      int n = counts.merge(name, 1, Integer::sum);
      String at = "/icecast/" + name + (name.equals("mount") || name.equals("relay")
          || name.equals("listen-socket") ? "[" + n + "]" : "");
      switch (name) {
        case "location" -> text(e, at, "server.location");
        case "admin" -> text(e, at, "server.admin");
        case "hostname" -> text(e, at, "server.hostname");
        case "server-id" -> text(e, at, "server.server-id");
        case "shoutcast-mount" -> text(e, at, "server.shoutcast-mount");
        case "source-password" -> text(e, at, "server.source-password");
        case "limits" -> limits(e, at);
        case "authentication" -> authentication(e, at);
        case "listen-socket" -> sockets.add(e);
        case "port", "bind-address" -> sockets.add(e); // Icecast 2.2's top-level socket
        case "http-headers" -> headers(e, at);
        case "mount" -> mount(e, at, ++mountIndex);
        case "relay" -> relays.add(e);
        case "paths" -> paths(e, at);
        case "master-server", "master-server-port", "master-update-interval",
            "master-username", "master-password" -> masterParts.put(name, e);
        case "master-ssl-port", "master-redirect", "max-redirect-slaves" ->
            ignore(at, "Floe relays its master's mounts over plain HTTP and redirects no"
                + " listener to slaves");
        case "relays-on-demand" -> ignore(at, "Floe relays continuously, so listeners get a"
            + " back buffer");
        case "logging" -> ignore(at, "Floe logs to standard output (journald under systemd)"
            + " and has no access log");
        case "security" -> ignore(at, "run Floe as an unprivileged user (the .deb's systemd"
            + " unit does); there is no chroot or changeowner");
        case "fileserve" -> ignore(at, "Floe serves no files from a webroot");
        case "directory" -> ignore(at, "Floe lists no stream in a YP directory");
        default -> ignore(at, "not an Icecast 2.4 setting Floe knows");
      }
    }
    for (Element r : relays) {
      relay(r, "/icecast/relay[" + (++relayIndex) + "]");
    }
    sockets(sockets);
    mountLimits();
    master();
  }

  /** {@code <master-server>} and its companions as {@code floe.master}. */
  private void master() {
    Element host = masterParts.get("master-server");
    if (host == null) {
      masterParts.keySet().forEach(name -> ignore("/icecast/" + name,
          "without <master-server> there is no master"));
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    Element portElement = masterParts.get("master-server-port");
    Long port = portElement == null ? Long.valueOf(8000)
        : whole(portElement, "/icecast/master-server-port", 1, 65535);
    m.put("url", "http://" + value(host) + ":" + (port == null ? 8000 : port));
    elements.put("master.url", "/icecast/master-server");
    Element user = masterParts.get("master-username");
    if (user != null) {
      m.put("user", value(user));
      elements.put("master.user", "/icecast/master-username");
    }
    Element password = masterParts.get("master-password");
    m.put("password", password == null ? "" : value(password));
    elements.put("master.password", "/icecast/master-password");
    Element interval = masterParts.get("master-update-interval");
    if (interval != null) {
      Long seconds = whole(interval, "/icecast/master-update-interval", 1, 86_400);
      if (seconds != null) {
        m.put("interval", seconds + "s");
      }
      elements.put("master.interval", "/icecast/master-update-interval");
    }
    master.putAll(m);
  }

  private void limits(Element limitsElement, String at) {
    for (Element e : children(limitsElement)) {
      String name = e.getTagName();
      String here = at + "/" + name;
      switch (name) {
        case "clients" -> number(e, here, "server.max-clients", 1, Integer.MAX_VALUE);
        case "sources" -> number(e, here, "server.max-sources", 1, Integer.MAX_VALUE);
        case "queue-size" -> queueSize = whole(e, here, 1, Long.MAX_VALUE / 4);
        case "burst-size" -> {
          Long b = whole(e, here, 0, Integer.MAX_VALUE);
          if (burstSize == null || burstSize != 0) { // burst-on-connect 0 wins
            burstSize = b;
          }
          elements.put("mount-defaults.burst-size", here);
        }
        case "burst-on-connect" -> {
          Long on = whole(e, here, 0, 1);
          if (on != null && on == 0) {
            burstSize = 0L;
            elements.put("mount-defaults.burst-size", here);
          }
        }
        case "header-timeout" -> seconds(e, here, "server.header-timeout");
        case "source-timeout" -> ignore(here, "Floe drops a silent source after 10 s and a"
            + " silent relay upstream after the mount's stall-timeout (3 s)");
        case "client-timeout" -> ignore(here, "unused by Icecast 2.4 too");
        case "threadpool" -> ignore(here, "Floe runs one event loop per core, no thread pool");
        default -> ignore(here, "not an Icecast 2.4 limit Floe knows");
      }
    }
  }

  /** Icecast's queue-size and burst-size as Floe's max-lag, burst-size and buffer-size. */
  private void mountLimits() {
    if (defaults.containsKey("max-lag")) {
      return; // a <mount type="default"> set its own burst or queue size
    }
    if (burstSize != null) {
      defaults.put("burst-size", burstSize);
    }
    if (queueSize != null || burstSize != null) {
      long queue = queueSize == null ? ICECAST_QUEUE : queueSize;
      long burst = burstSize == null ? ICECAST_BURST : burstSize;
      defaults.put("max-lag", queue + burst);
      defaults.put("buffer-size", Math.max(FLOE_BUFFER, queue + burst));
      elements.put("mount-defaults.max-lag", "/icecast/limits/queue-size");
      elements.put("mount-defaults.buffer-size", "/icecast/limits/queue-size");
      elements.putIfAbsent("mount-defaults.listener-delay", "/icecast/limits/burst-size");
    }
  }

  private void authentication(Element auth, String at) {
    for (Element e : children(auth)) {
      String name = e.getTagName();
      String here = at + "/" + name;
      switch (name) {
        case "source-password" -> text(e, here, "server.source-password");
        case "relay-user" -> text(e, here, "server.relay-user");
        case "relay-password" -> text(e, here, "server.relay-password");
        case "admin-user" -> text(e, here, "server.admin-user");
        case "admin-password" -> text(e, here, "server.admin-password");
        default -> ignore(here, "not an Icecast 2.4 credential Floe knows");
      }
    }
  }

  private void headers(Element headersElement, String at) {
    Map<String, Object> h = new LinkedHashMap<>();
    int n = 0;
    for (Element e : children(headersElement)) {
      String here = at + "/" + e.getTagName() + "[" + (++n) + "]";
      if (!e.getTagName().equals("header")) {
        ignore(here, "not a <header>");
        continue;
      }
      String name = e.getAttribute("name");
      if (name.isEmpty()) {
        problems.add(new Problem(here, "needs a name=\"...\" attribute"));
        continue;
      }
      if (e.hasAttribute("type") || e.hasAttribute("status")) {
        ignore(here + "/@type", "Floe sends the header on every response");
      }
      h.put(name, e.getAttribute("value"));
      elements.put("server.response-headers." + quoted(name), here);
      elements.put("server.response-headers.\"" + name + "\"", here);
      elements.put("server.response-headers." + name, here);
    }
    if (!h.isEmpty()) {
      server.put("response-headers", h);
    }
  }

  private static String quoted(String name) {
    return com.typesafe.config.ConfigUtil.quoteString(name);
  }

  private void paths(Element pathsElement, String at) {
    for (Element e : children(pathsElement)) {
      String name = e.getTagName();
      String here = at + "/" + name;
      switch (name) {
        case "logdir" -> ignore(here, "Floe logs to standard output (journald under systemd)");
        case "webroot", "adminroot" -> ignore(here, "Floe serves its own status page (/,"
            + " /status.xsl, /status-json.xsl) and admin page (/admin/)");
        case "alias" -> ignore(here + "[@source='" + e.getAttribute("source") + "']",
            e.getAttribute("source").equals("/")
                ? "Floe serves its status page at / already" : "Floe serves no aliases");
        case "basedir" -> ignore(here, "Floe has no base directory");
        case "pidfile" -> ignore(here, "Floe writes no pid file (systemd tracks it)");
        case "ssl-certificate" -> {
          Object cert = value(e);
          tls().put("certificate", cert);
          tls().put("key", cert);
          elements.put("server.tls.certificate", here);
          elements.put("server.tls.key", here);
          elements.put("server.tls", here);
        }
        case "ssl-allowed-ciphers" -> ignore(here, "Floe uses the JDK's default TLS ciphers");
        case "allow-ip", "deny-ip" -> ignore(here, "Floe has no address allow or deny list");
        case "x-forwarded-for" -> ignore(here, "not mapped yet: see trusted proxies in"
            + " docs/configuration.md");
        default -> ignore(here, "not an Icecast 2.4 path Floe knows");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> tls() {
    return (Map<String, Object>) server.computeIfAbsent("tls",
        k -> new LinkedHashMap<String, Object>());
  }

  /**
   * The listen sockets: the first plain one is Floe's port (and bind); one with {@code
   * shoutcast-compat} (or the port after one with a {@code shoutcast-mount}) the SHOUTcast
   * source port; one with {@code ssl} the HTTPS port. Floe has one of each.
   */
  private void sockets(List<Element> sockets) {
    boolean main = false;
    boolean shoutcast = false;
    boolean ssl = false;
    int n = 0;
    for (Element s : sockets) {
      if (!s.getTagName().equals("listen-socket")) {
        String at = "/icecast/" + s.getTagName();
        if (!main && s.getTagName().equals("port")) {
          number(s, at, "server.port", 0, 65535);
        } else if (s.getTagName().equals("bind-address")) {
          text(s, at, "server.bind");
        }
        main |= s.getTagName().equals("port");
        continue;
      }
      String at = "/icecast/listen-socket[" + (++n) + "]";
      Map<String, Element> c = byName(s, at, List.of("port", "bind-address", "shoutcast-compat",
          "shoutcast-mount", "ssl"));
      Element port = c.get("port");
      if (port == null) {
        problems.add(new Problem(at + "/port", "missing: a listen-socket needs a <port>"));
        continue;
      }
      boolean isSsl = flag(c.get("ssl"), at + "/ssl");
      boolean compat = flag(c.get("shoutcast-compat"), at + "/shoutcast-compat");
      Element bind = c.get("bind-address");
      if (compat) {
        if (shoutcast) {
          ignore(at, "Floe takes SHOUTcast v1 sources on one port only");
          continue;
        }
        shoutcast = true;
        number(port, at + "/port", "server.shoutcast-port", 1, 65535);
        if (c.containsKey("shoutcast-mount")) {
          text(c.get("shoutcast-mount"), at + "/shoutcast-mount", "server.shoutcast-mount");
        }
        if (bind != null) {
          ignore(at + "/bind-address", "the SHOUTcast port listens on the main bind address");
        }
      } else if (isSsl) {
        if (ssl) {
          ignore(at, "Floe has one HTTPS port");
          continue;
        }
        ssl = true;
        number(port, at + "/port", "server.tls.port", 1, 65535);
        elements.put("server.tls", at);
        if (bind != null) {
          text(bind, at + "/bind-address", "server.tls.bind");
        }
      } else if (!main) {
        main = true;
        Long p = number(port, at + "/port", "server.port", 0, 65535);
        if (bind != null) {
          text(bind, at + "/bind-address", "server.bind");
        }
        if (c.containsKey("shoutcast-mount") && p != null && !shoutcast && p < 65535) {
          // Icecast opens port + 1 for SHOUTcast v1 sources of that mount
          shoutcast = true;
          server.put("shoutcast-port", p + 1);
          elements.put("server.shoutcast-port", at + "/shoutcast-mount");
          text(c.get("shoutcast-mount"), at + "/shoutcast-mount", "server.shoutcast-mount");
        }
      } else {
        ignore(at, "Floe listens on one plain port (and one HTTPS port)");
      }
    }
    if (!main) {
      problems.add(new Problem("/icecast/listen-socket",
          "missing: Icecast and Floe need at least one <listen-socket> with a <port>"));
    }
  }

  // ---- mounts and relays -----------------------------------------------------------------------

  private void mount(Element m, String at, int index) {
    String type = m.getAttribute("type");
    boolean isDefault = type.equals("default");
    if (!type.isEmpty() && !type.equals("normal") && !isDefault) {
      problems.add(new Problem(at + "/@type", "must be \"normal\" or \"default\", got \""
          + type + "\""));
      return;
    }
    Map<String, Object> out = isDefault ? defaults : new LinkedHashMap<>();
    String prefix = isDefault ? "mount-defaults" : "mounts[" + mounts.size() + "]";
    if (!isDefault) {
      mounts.add(out);
      elements.put(prefix, at);
      elements.put(prefix + ".path", at + "/mount-name"); // also when it is missing
    }
    Long queue = null;
    Long burst = null;
    for (Element e : children(m)) {
      String name = e.getTagName();
      String here = at + "/" + name;
      String key = switch (name) {
        case "mount-name" -> "path";
        case "username" -> "source-user";
        case "password" -> "password";
        case "max-listeners" -> "max-listeners";
        case "fallback-mount" -> "fallback-mount";
        case "fallback-override" -> "fallback-override";
        case "hidden" -> "hidden";
        case "on-connect", "on-disconnect" -> name;
        case "stream-name", "stream-description", "stream-url" -> name;
        case "genre" -> "stream-genre";
        case "mp3-metadata-interval" -> "metaint";
        case "charset" -> "charset";
        default -> null;
      };
      if (isDefault && key != null && Keys.MOUNT_ONLY.contains(key)) {
        ignore(here, "Floe sets this per mount, not in the default mount");
        continue;
      }
      if (key != null) {
        elements.put(prefix + "." + key, here);
      }
      switch (name) {
        case "mount-name", "username", "password", "fallback-mount", "stream-name",
            "stream-description", "stream-url", "genre" -> out.put(key, value(e));
        case "on-connect", "on-disconnect" -> out.put(key, value(e));
        case "max-listeners" -> {
          Long v = whole(e, here, -1, Integer.MAX_VALUE);
          if (v != null) {
            out.put(key, Math.max(0, v)); // -1: unlimited, Floe's 0
          }
        }
        case "mp3-metadata-interval" -> {
          Long v = whole(e, here, 1, 1024 * 1024);
          if (v != null) {
            out.put(key, v);
          }
        }
        case "fallback-override", "hidden" -> out.put(key, flag(e, here));
        case "burst-size" -> burst = whole(e, here, 0, Integer.MAX_VALUE);
        case "queue-size" -> queue = whole(e, here, 1, Long.MAX_VALUE / 4);
        case "authentication" -> listenerAuth(e, here, prefix, out);
        case "public" -> ignore(here, "Floe lists no stream in a YP directory");
        case "max-listener-duration" -> ignore(here, "Floe does not time listeners out");
        case "fallback-when-full" -> ignore(here, "a full mount answers 403 on Floe");
        case "charset" -> out.put(key, value(e));
        case "dump-file" -> ignore(here, "Floe does not record streams to files");
        case "intro" -> ignore(here, "Floe plays no intro file");
        case "bitrate", "type", "subtype" -> ignore(here, "Floe takes it from the source");
        case "no-yp", "cluster-password" -> ignore(here, "Floe lists no stream in a YP"
            + " directory");
        case "no-mount" -> ignore(here, "Floe has no no-mount");
        case "http-headers" -> ignore(here, "per-mount headers: use the server's"
            + " <http-headers>");
        default -> ignore(here, "not an Icecast 2.4 mount setting Floe knows");
      }
    }
    if (queue != null || burst != null) {
      long b = burst != null ? burst : burstSize != null ? burstSize : ICECAST_BURST;
      long q = queue != null ? queue : queueSize != null ? queueSize : ICECAST_QUEUE;
      out.put("burst-size", b);
      out.put("max-lag", q + b);
      out.put("buffer-size", Math.max(FLOE_BUFFER, q + b));
      String where = at + (queue != null ? "/queue-size" : "/burst-size");
      elements.put(prefix + ".burst-size", at + (burst != null ? "/burst-size" : "/queue-size"));
      elements.put(prefix + ".max-lag", where);
      elements.put(prefix + ".buffer-size", where);
      elements.put(prefix + ".listener-delay", where);
    }
  }

  /** A mount's {@code <authentication type="htpasswd|url">}. */
  private void listenerAuth(Element auth, String at, String prefix, Map<String, Object> out) {
    String type = auth.getAttribute("type");
    Map<String, String> options = new LinkedHashMap<>();
    for (Element o : children(auth)) {
      if (o.getTagName().equals("option")) {
        options.put(o.getAttribute("name"), o.getAttribute("value"));
      } else {
        ignore(at + "/" + o.getTagName(), "not an <option>");
      }
    }
    Map<String, Object> a = new LinkedHashMap<>();
    String key = prefix + ".listener-auth";
    elements.put(key, at);
    switch (type) {
      case "htpasswd" -> {
        String file = options.remove("filename");
        if (file == null || file.isBlank()) {
          problems.add(new Problem(at + "/option[@name='filename']",
              "missing: htpasswd authentication needs the users file"));
          return;
        }
        a.put("htpasswd", file);
        elements.put(key + ".htpasswd", at + "/option[@name='filename']");
      }
      case "url" -> {
        String add = options.remove("listener_add");
        String remove = options.remove("listener_remove");
        if (add == null) {
          problems.add(new Problem(at + "/option[@name='listener_add']",
              "missing: Floe's URL authentication needs listener_add"));
          return;
        }
        a.put("add-url", add);
        elements.put(key + ".add-url", at + "/option[@name='listener_add']");
        if (remove != null) {
          a.put("remove-url", remove);
          elements.put(key + ".remove-url", at + "/option[@name='listener_remove']");
        }
      }
      default -> {
        problems.add(new Problem(at + "/@type", "Floe authenticates listeners by \"htpasswd\""
            + " or \"url\", got \"" + type + "\""));
        return;
      }
    }
    for (String option : options.keySet()) {
      ignore(at + "/option[@name='" + option + "']", switch (option) {
        case "allow_duplicate_users" -> "Floe lets a user listen more than once";
        case "mount_add", "mount_remove" -> "Floe does not report source connections to a URL";
        default -> "not an option Floe uses";
      });
    }
    out.put("listener-auth", a);
  }

  /**
   * A {@code <relay>}: a mount at {@code local-mount} (or {@code mount}) whose upstream is
   * {@code http://[username:password@]server:port/mount}; a {@code <mount>} of the same name
   * gets the upstream added.
   */
  private void relay(Element r, String at) {
    Map<String, Element> c = byName(r, at, List.of("server", "port", "mount", "local-mount",
        "username", "password", "relay-shoutcast-metadata", "on-demand"));
    Element host = c.get("server");
    if (host == null) {
      problems.add(new Problem(at + "/server", "missing: a relay needs the <server> to pull"));
      return;
    }
    Long port = c.containsKey("port") ? whole(c.get("port"), at + "/port", 1, 65535) : Long.valueOf(8000);
    String remote = c.containsKey("mount") ? value(c.get("mount")) : "/";
    String local = c.containsKey("local-mount") ? value(c.get("local-mount")) : remote;
    if (port == null) {
      return;
    }
    String userInfo = "";
    if (c.containsKey("username") || c.containsKey("password")) {
      userInfo = encode(c.containsKey("username") ? value(c.get("username")) : "") + ":"
          + encode(c.containsKey("password") ? value(c.get("password")) : "") + "@";
    }
    String url = "http://" + userInfo + value(host) + ":" + port + remote;
    if (c.containsKey("relay-shoutcast-metadata")) {
      ignore(at + "/relay-shoutcast-metadata", "Floe always asks for ICY metadata");
    }
    if (c.containsKey("on-demand")) {
      ignore(at + "/on-demand", "Floe relays continuously, so listeners get a back buffer");
    }
    Map<String, Object> mount = null;
    int index = -1;
    for (int i = 0; i < mounts.size(); i++) {
      if (local.equals(mounts.get(i).get("path"))) {
        mount = mounts.get(i);
        index = i;
      }
    }
    if (mount == null) {
      mount = new LinkedHashMap<>();
      mount.put("path", local);
      index = mounts.size();
      mounts.add(mount);
      elements.put("mounts[" + index + "]", at);
      elements.put("mounts[" + index + "].path", at + (c.containsKey("local-mount")
          ? "/local-mount" : "/mount"));
    }
    @SuppressWarnings("unchecked")
    List<Object> ups = (List<Object>) mount.computeIfAbsent("upstreams", k -> new ArrayList<>());
    elements.put("mounts[" + index + "].upstreams[" + ups.size() + "]", at);
    elements.put("mounts[" + index + "].upstreams", at);
    ups.add(url);
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // ---- values ----------------------------------------------------------------------------------

  private void text(Element e, String at, String key) {
    put(key, value(e), at);
  }

  private void put(String key, Object value, String at) {
    elements.put(key, at);
    if (key.startsWith("server.tls.")) {
      tls().put(key.substring("server.tls.".length()), value);
    } else if (key.startsWith("server.")) {
      server.put(key.substring("server.".length()), value);
    } else {
      throw new IllegalArgumentException(key);
    }
  }

  private Long number(Element e, String at, String key, long min, long max) {
    Long v = whole(e, at, min, max);
    if (v != null) {
      put(key, v, at);
    }
    return v;
  }

  private void seconds(Element e, String at, String key) {
    Long v = whole(e, at, 1, 86_400);
    if (v != null) {
      put(key, v + "s", at);
    }
  }

  /** A whole number as Icecast reads it (decimal), in range; null after a problem. */
  private Long whole(Element e, String at, long min, long max) {
    String text = value(e);
    long v;
    try {
      v = Long.parseLong(text);
    } catch (NumberFormatException ex) {
      problems.add(new Problem(at, "expected a whole number, got \"" + text + "\""));
      return null;
    }
    if (v < min || v > max) {
      problems.add(new Problem(at, "must be between " + min + " and " + max + ", got " + v));
      return null;
    }
    return v;
  }

  /** Icecast's booleans: a number, 0 is false. */
  private boolean flag(Element e, String at) {
    if (e == null) {
      return false;
    }
    String text = value(e);
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("yes")) {
      return true;
    }
    if (text.equalsIgnoreCase("false") || text.equalsIgnoreCase("no")) {
      return false;
    }
    try {
      return Long.parseLong(text) != 0;
    } catch (NumberFormatException ex) {
      problems.add(new Problem(at, "expected 0 or 1, got \"" + text + "\""));
      return false;
    }
  }

  private static String value(Element e) {
    return e.getTextContent().trim();
  }

  private void ignore(String at, String why) {
    ignored.add(at + " ignored: " + why);
  }

  /** The children named in {@code known}, the others named as ignored. */
  private Map<String, Element> byName(Element parent, String at, List<String> known) {
    Map<String, Element> out = new LinkedHashMap<>();
    for (Element e : children(parent)) {
      if (known.contains(e.getTagName())) {
        out.put(e.getTagName(), e);
      } else {
        ignore(at + "/" + e.getTagName(), "not a setting of <" + parent.getTagName()
            + "> Floe knows");
      }
    }
    return out;
  }

  private static List<Element> children(Element parent) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        out.add(e);
      }
    }
    return out;
  }
}
