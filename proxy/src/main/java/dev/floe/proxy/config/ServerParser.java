package dev.floe.proxy.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.floe.proxy.config.InvalidConfigException.Problem;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and validates {@code floe.server} into {@link ServerSettings}. */
final class ServerParser {
  private static final long MIB = 1024 * 1024;
  /** An IPv4/IPv6 literal or a host name; IPv6 is written without brackets. */
  private static final Pattern BIND = Pattern.compile("[A-Za-z0-9._:%-]+");
  /** A dotted IPv4 address, with an optional port. */
  private static final Pattern GATEWAY = Pattern.compile(
      "((?:(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9]))"
          + "(?::([0-9]{1,5}))?");
  /** RFC 9110 token characters. */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /** Headers that frame the response; Floe writes them itself. */
  private static final Set<String> RESERVED_HEADERS = Set.of(
      "content-length", "transfer-encoding", "connection", "content-type", "icy-metaint");

  private ServerParser() {}

  /** The settings, or null when a problem was recorded. */
  static ServerSettings parse(ConfigObject server, List<Problem> problems) {
    int before = problems.size();
    Fields f = new Fields(server, "server", problems);
    Keys.reportUnknown(f, Keys.Section.SERVER);
    String bind = bind(f);
    Long port = f.whole("port", 0, 65535);
    String hostname = f.text("hostname", false);
    String location = f.text("location", true);
    String admin = f.text("admin", true);
    AdminAuth adminAuth = adminAuth(f);
    String serverId = f.text("server-id", false);
    Long maxClients = f.whole("max-clients", 1, Integer.MAX_VALUE);
    Long maxLineBytes = f.bytes("max-line-bytes", 128, MIB);
    Long maxHeaders = f.whole("max-headers", 1, 10_000);
    Long maxHeadBytes = f.bytes("max-head-bytes", 128, 16 * MIB);
    if (maxLineBytes != null && maxHeadBytes != null && maxHeadBytes < maxLineBytes) {
      f.problem("max-head-bytes", "must be at least max-line-bytes (" + Units.bytes(maxLineBytes)
          + "), got " + Units.bytes(maxHeadBytes));
    }
    Duration headerTimeout = f.positiveDuration("header-timeout");
    Duration idleTimeout = f.positiveDuration("idle-timeout");
    Map<String, String> headers = responseHeaders(f);
    SourceSettings sources = sources(f, port);
    TlsSettings tls = tls(f, problems, port, bind, sources);
    LimitSettings limits = LimitsParser.parse(f, problems);
    PortMappingSettings portMapping = portMapping(f);
    ProxySettings proxies = ProxiesParser.parse(f, tls);
    ConfigValue memory = f.present("buffer-memory");
    // auto (0): a share of the JVM's direct memory; at least one smallest buffer (MemoryBudget)
    Long bufferMemory = memory == null || "auto".equals(Fields.textOf(memory)) ? Long.valueOf(0)
        : f.bytes("buffer-memory", 512 * 1024, Long.MAX_VALUE);
    WebPlayerSettings webPlayer = WebPlayerParser.parse(f, problems);
    if (problems.size() > before) {
      return null;
    }
    return new ServerSettings(bind, port.intValue(), hostname, location, admin,
        adminAuth,
        serverId,
        maxClients.intValue(), maxLineBytes.intValue(), maxHeaders.intValue(),
        maxHeadBytes.intValue(), headerTimeout, idleTimeout, headers, sources, tls, limits, portMapping,
        proxies, bufferMemory, webPlayer);
  }

  /**
   * {@code tls { port, bind, certificate, key }}; with a port, both files are read and the key
   * must match the certificate. Null after a problem.
   */
  private static TlsSettings tls(Fields server, List<Problem> problems, Long port,
      String serverBind, SourceSettings sources) {
    ConfigValue value = server.present("tls");
    if (value == null) {
      return null;
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      server.problem("tls", "expected an object, got " + Fields.describe(value));
      return null;
    }
    int before = problems.size();
    Fields f = new Fields((ConfigObject) value, server.key("tls"), problems);
    Keys.reportUnknown(f, Keys.Section.TLS);
    Long tlsPort = f.whole("port", 0, 65535);
    if (tlsPort != null && tlsPort != 0 && (tlsPort.equals(port)
        || sources != null && tlsPort == sources.shoutcastPort())) {
      f.problem("port", "must differ from port and shoutcast-port; 0 turns it off");
    }
    ConfigValue bindValue = f.object().get("bind");
    String bind = bindValue != null && "".equals(bindValue.unwrapped()) ? serverBind : bind(f);
    String certificate = f.text("certificate", true);
    String key = f.text("key", true);
    Boolean proxyProtocol = f.flag("proxy-protocol");
    if (problems.size() > before) {
      return null;
    }
    if (bind == null) { // the server's bind has a problem, reported there
      return null;
    }
    if (tlsPort == 0) {
      return new TlsSettings(0, bind, null, null, proxyProtocol);
    }
    Path certPath = file(f, "certificate", certificate);
    Path keyPath = file(f, "key", key);
    if (certPath == null || keyPath == null) {
      return null;
    }
    List<X509Certificate> chain = null;
    PrivateKey privateKey = null;
    try {
      chain = PemCredentials.certificates(certPath);
    } catch (GeneralSecurityException e) {
      f.problem("certificate", e.getMessage());
    }
    try {
      privateKey = PemCredentials.privateKey(keyPath);
    } catch (GeneralSecurityException e) {
      f.problem("key", e.getMessage());
    }
    if (chain == null || privateKey == null) {
      return null;
    }
    if (!PemCredentials.matches(privateKey, chain.get(0))) {
      f.problem("key", keyPath + " does not match the certificate in " + certPath);
      return null;
    }
    return new TlsSettings(tlsPort.intValue(), bind, certPath, keyPath, proxyProtocol);
  }

  /** A file path that must be set when the HTTPS listener is on. */
  private static Path file(Fields f, String name, String text) {
    if (text.isBlank()) {
      f.problem(name, "must be set when port is not 0 (a PEM file)");
      return null;
    }
    return Path.of(text);
  }

  /** The source keys; null after a problem. */
  private static SourceSettings sources(Fields f, Long port) {
    String password = f.text("source-password", false);
    Long maxSources = f.whole("max-sources", 1, 100_000);
    Long shoutcastPort = f.whole("shoutcast-port", 0, 65535);
    if (shoutcastPort != null && port != null && shoutcastPort != 0
        && shoutcastPort.equals(port)) {
      f.problem("shoutcast-port", "must differ from port (" + port + "); 0 turns it off");
      shoutcastPort = null;
    }
    String shoutcastMount = f.text("shoutcast-mount", false);
    if (shoutcastMount != null) {
      String reason = MountParser.pathProblem(shoutcastMount);
      if (reason != null) {
        f.problem("shoutcast-mount", reason);
        shoutcastMount = null;
      }
    }
    Boolean create = f.flag("sources-create-mounts");
    if (password == null || maxSources == null || shoutcastPort == null
        || shoutcastMount == null || create == null) {
      return null;
    }
    return new SourceSettings(password, maxSources.intValue(), shoutcastPort.intValue(),
        shoutcastMount, create);
  }

  /**
   * {@code admin-user}, {@code admin-password}, {@code relay-user} and the optional
   * {@code relay-password} ({@code null}: the relay user is disabled, as in Icecast).
   */
  private static AdminAuth adminAuth(Fields f) {
    String adminUser = user(f, "admin-user");
    String adminPassword = f.text("admin-password", false);
    String relayUser = user(f, "relay-user");
    String relayPassword = null;
    ConfigValue relay = f.object().get("relay-password");
    if (relay != null && relay.valueType() != ConfigValueType.NULL) {
      relayPassword = f.text("relay-password", false);
      if (relayPassword == null) {
        return null;
      }
    }
    if (adminUser == null || adminPassword == null || relayUser == null) {
      return null;
    }
    return new AdminAuth(adminUser, adminPassword, relayUser, relayPassword);
  }

  private static String user(Fields f, String name) {
    String user = f.text(name, false);
    if (user != null && user.indexOf(':') >= 0) {
      f.problem(name, "must not contain ':' (HTTP Basic auth splits user and password there)");
      return null;
    }
    return user;
  }

  /**
   * {@code port-mapping = off | nat-pmp} and {@code port-mapping-gateway = auto | <IPv4>[:port]}
   * (no name lookup: the router is named by its address).
   */
  private static PortMappingSettings portMapping(Fields f) {
    String mode = f.text("port-mapping", false);
    String gateway = f.text("port-mapping-gateway", false);
    if (mode == null || gateway == null) {
      return null;
    }
    boolean natPmp = switch (mode) {
      case "off" -> false;
      case "nat-pmp" -> true;
      default -> {
        f.problem("port-mapping", "expected off or nat-pmp, got \"" + mode + "\"");
        yield false;
      }
    };
    if (gateway.equals("auto")) {
      return new PortMappingSettings(natPmp, null, 5351);
    }
    Matcher m = GATEWAY.matcher(gateway);
    int port = m.matches() && m.group(2) != null ? Integer.parseInt(m.group(2)) : 5351;
    if (!m.matches() || port < 1 || port > 65535) {
      f.problem("port-mapping-gateway", "expected auto or the router's IPv4 address (with"
          + " :port if not 5351), got \"" + gateway + "\"");
      return null;
    }
    return new PortMappingSettings(natPmp, m.group(1), port);
  }

  private static String bind(Fields f) {
    String bind = f.text("bind", false);
    if (bind != null && !BIND.matcher(bind).matches()) {
      f.problem("bind", "must be an IP address or host name (IPv6 without brackets), got \""
          + bind + "\"");
      return null;
    }
    return bind;
  }

  /**
   * The extra response headers, sorted by name. A header set to {@code null} removes a default
   * from {@code reference.conf}.
   */
  private static Map<String, String> responseHeaders(Fields f) {
    ConfigValue value = f.present("response-headers");
    if (value == null) {
      return null;
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      f.problem("response-headers", "expected an object of header names and values, got "
          + Fields.describe(value));
      return null;
    }
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    ConfigObject object = (ConfigObject) value;
    for (String name : new TreeMap<>(object).keySet()) {
      ConfigValue header = object.get(name);
      String key = "response-headers." + ConfigUtil.quoteString(name);
      if (header.valueType() == ConfigValueType.NULL) {
        continue;
      }
      String text = Fields.textOf(header);
      if (!HEADER_NAME.matcher(name).matches()) {
        f.problemBelow(key, "is not a valid HTTP header name");
      } else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        f.problemBelow(key, "is written by Floe itself and cannot be configured");
      } else if (text == null) {
        f.problemBelow(key, "expected a string, got " + Fields.describe(header));
      } else if (Fields.hasControlCharacter(text)) {
        f.problemBelow(key, "must not contain control characters such as line breaks");
      } else if (headers.containsKey(name)) {
        f.problemBelow(key, "duplicate header (names are case-insensitive)");
      } else {
        headers.put(name, text);
      }
    }
    return headers;
  }
}
