package dev.floe.proxy.admin;

import dev.floe.icy.meta.IcyMetadata;
import dev.floe.proxy.config.AdminAuth;
import dev.floe.proxy.mount.ListenerView;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import dev.floe.proxy.mount.StreamInfo;
import dev.floe.proxy.status.HttpDates;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers Icecast admin requests on the live mounts: checks credentials, parses with
 * {@link AdminRequest}, acts on the {@link Mount}s and renders with {@link AdminXml},
 * {@link AdminJson}, {@link AdminHtml} or {@link StreamList}. No sockets: the caller writes the
 * returned {@link AdminResponse}. Thread-safe (it only reads volatile mount state and calls the
 * mounts' thread-safe operations).
 *
 * <p>Checks in icecast2 2.4.4's order: an unknown command is 400 {@code Unrecognised command}
 * before any credentials are looked at; then credentials (401 {@code You need to authenticate}
 * with {@code WWW-Authenticate: Basic realm="Icecast2 Server"}); then the parser's 400s
 * ({@code Source does not exist}, {@code Missing parameter}, ...).
 *
 * <p>Who may do what:
 * <ul>
 *   <li>the admin user: everything;</li>
 *   <li>{@code streamlist.txt}: the relay user (when {@code relay-password} is set) or, unlike
 *       icecast2 2.4.4 (relay only), the admin user;</li>
 *   <li>{@code metadata} on a mount, and {@code /admin.cgi}: also the source credentials of that
 *       mount ({@code <source-user>:<password>} in Basic auth, the user being {@code source}
 *       unless the mount sets {@code source-user}; or {@code pass=} on {@code /admin.cgi}), as
 *       given by the {@code sourceCredentials} function; when it gives {@code null} only the
 *       admin credentials are accepted.</li>
 *   <li>{@code buildm3u}: anyone, as on icecast2 (it only writes the given credentials into a
 *       playlist). icecast2 lets a source's credentials run every command
 *       on its mount; Floe only lets them set its title.</li>
 * </ul>
 *
 * <p>A mount "exists" for the admin API once it has a stream description (it has been live,
 * from a source or an upstream). Titles: {@code song} replaces the whole title;
 * {@code artist}+{@code title} (both needed) become {@code Artist - Title}; icecast2 instead
 * keeps the last artist in front of later songs. A title whose ICY block would pass 4080 bytes is
 * accepted and cut in the stream's block at a UTF-8 boundary (see {@link IcyMetadata}); the admin
 * documents keep it whole. The stream's {@code StreamUrl} is kept. On a relayed mount the next
 * metadata block the upstream sends (a title change, or the first block after a reconnect)
 * replaces the admin's title, as on an icecast2 relay. icecast2 2.4.4 cannot receive such an update at all: its request line
 * limit (about 4 KB) closes the connection without an answer.
 *
 * <p>About 500 lines: one short method per Icecast admin command, checked in icecast2's order;
 * parsing ({@link AdminRequest}) and rendering (AdminXml, AdminJson, AdminHtml) are apart.
 */
public final class AdminService {
  private static final Logger log = LoggerFactory.getLogger(AdminService.class);

  /** The server-wide description the documents show. */
  public record Identity(String admin, String hostname, String location, String serverId,
      Instant start) {}

  private final AdminAuth auth;
  private final MountRegistry mounts;
  private final Identity identity;
  private final IntSupplier port;
  private final Function<String, BasicAuth.Credentials> sourceCredentials;
  private final String shoutcastMount;

  /**
   * @param auth the admin and relay credentials
   * @param mounts the mounts
   * @param identity what {@code stats} shows of the server
   * @param port the bound port (for {@code listenurl})
   * @param sourceCredentials the source user and password that may update a mount's title, by
   *     mount path; {@code null} for none (only the admin may)
   * @param shoutcastMount the mount {@code /admin.cgi} updates (Icecast's default {@code /stream})
   */
  public AdminService(AdminAuth auth, MountRegistry mounts, Identity identity, IntSupplier port,
      Function<String, BasicAuth.Credentials> sourceCredentials, String shoutcastMount) {
    this.auth = Objects.requireNonNull(auth, "auth");
    this.mounts = Objects.requireNonNull(mounts, "mounts");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.port = Objects.requireNonNull(port, "port");
    this.sourceCredentials = Objects.requireNonNull(sourceCredentials, "sourceCredentials");
    this.shoutcastMount = Objects.requireNonNull(shoutcastMount, "shoutcastMount");
  }

  /** Whether {@code path} is an admin request ({@code /admin/...} or {@code /admin.cgi}). */
  public static boolean isAdminPath(String path) {
    return path.equals("/admin.cgi") || path.startsWith("/admin/");
  }

  /**
   * Handles one request.
   *
   * @param path the path without the query
   * @param rawQuery the raw query, or null/empty
   * @param authorization the {@code Authorization} header, or null
   * @param client who asked, for logs
   * @return the response to write
   */
  public AdminResponse handle(String path, String rawQuery, String authorization, String client) {
    AdminRequest.Result any = AdminRequest.parse(path, rawQuery, m -> true, shoutcastMount);
    if (any instanceof AdminRequest.Rejected r
        && r.message().equals(AdminMessages.UNRECOGNISED_COMMAND)) {
      log.info("{}: admin {}: unrecognised command", client, path);
      return AdminResponse.error(r.status(), r.message());
    }
    if (path.equals("/admin/buildm3u")) { // needs no credentials, as on icecast2
      return any instanceof AdminRequest.Parsed p ? execute(p.command(), p.format())
          : AdminResponse.error(400, ((AdminRequest.Rejected) any).message());
    }
    Optional<BasicAuth.Credentials> creds = BasicAuth.parse(authorization);
    if (!allowed(path, rawQuery, any, creds)) {
      // debug: the Router logs refusals at most once a second (a guesser would flood the log)
      log.debug("{}: admin {}: bad or missing credentials", client, path);
      return AdminResponse.unauthorized();
    }
    AdminRequest.Result result = AdminRequest.parse(path, rawQuery, this::exists,
        shoutcastMount, this::charset);
    if (result instanceof AdminRequest.Rejected r) {
      log.info("{}: admin {}: {} {}", client, path, r.status(), r.message());
      return AdminResponse.error(r.status(), r.message());
    }
    AdminRequest.Parsed parsed = (AdminRequest.Parsed) result;
    log.info("{}: admin {}", client, parsed.command());
    return execute(parsed.command(), parsed.format());
  }

  private boolean allowed(String path, String rawQuery, AdminRequest.Result any,
      Optional<BasicAuth.Credentials> creds) {
    boolean admin = creds.isPresent()
        && creds.get().matches(auth.adminUser(), auth.adminPassword());
    if (admin) {
      return true;
    }
    if (path.equals("/admin.cgi")) {
      // SHOUTcast: the password is the pass= parameter, admin's or the mount's source password.
      String pass = AdminRequest.text(AdminRequest.query(rawQuery).get("pass"));
      BasicAuth.Credentials source = sourceCredentials.apply(shoutcastMount);
      return BasicAuth.passwordEquals(auth.adminPassword(), pass)
          || (source != null && BasicAuth.passwordEquals(source.password(), pass));
    }
    if (!(any instanceof AdminRequest.Parsed p)) {
      return false; // missing parameters etc. are only explained to the admin
    }
    AdminCommand c = p.command();
    if (c instanceof AdminCommand.StreamList) {
      return creds.isPresent() && auth.relayPassword() != null
          && creds.get().matches(auth.relayUser(), auth.relayPassword());
    }
    if (c instanceof AdminCommand.UpdateMetadata u) {
      BasicAuth.Credentials source = sourceCredentials.apply(u.mount());
      return creds.isPresent() && source != null && source.password() != null
          && creds.get().matches(source.user(), source.password());
    }
    return false;
  }

  /**
   * Whether {@code authorization} names an account of this server other than the admin's: the
   * relay user, a mount's source user and password (or the server-wide ones), or a listener of a
   * mount with htpasswd listener auth. A request with such credentials for a command they do not
   * allow gets its 401 at once and is not counted as a password guess: the client knows a real
   * password (Icecast's own admin test asks every command with a source's and a listener's
   * credentials, and icecast2 answers each at once).
   */
  public boolean knownAccount(String authorization) {
    Optional<BasicAuth.Credentials> parsed = BasicAuth.parse(authorization);
    if (parsed.isEmpty()) {
      return false;
    }
    BasicAuth.Credentials c = parsed.get();
    if (auth.relayPassword() != null && c.matches(auth.relayUser(), auth.relayPassword())) {
      return true;
    }
    BasicAuth.Credentials server = sourceCredentials.apply(shoutcastMount);
    if (server != null && server.password() != null
        && c.matches(server.user(), server.password())) {
      return true;
    }
    for (Mount m : mounts.all()) {
      BasicAuth.Credentials source = sourceCredentials.apply(m.path());
      if (source != null && source.password() != null
          && c.matches(source.user(), source.password())) {
        return true;
      }
      var listeners = m.settings().listenerAuth();
      if (listeners != null && listeners.htpasswd() != null
          && Htpasswd.of(listeners.htpasswd()).check(c.user(), c.password())) {
        return true;
      }
    }
    return false;
  }

  /** A mount's {@code charset} (Icecast's {@code <charset>}), or null. */
  private java.nio.charset.Charset charset(String path) {
    Mount m = mounts.get(path);
    String name = m == null ? null : m.settings().extras().charset();
    return name == null ? null : java.nio.charset.Charset.forName(name);
  }

  private boolean exists(String path) {
    Mount m = mounts.get(path);
    return m != null && m.info() != null;
  }

  private AdminResponse execute(AdminCommand command, AdminRequest.Format format) {
    boolean json = format == AdminRequest.Format.JSON;
    if (command instanceof AdminCommand.UpdateMetadata u) {
      updateMetadata(mounts.get(u.mount()), u);
      if (u.shoutcast()) {
        return AdminResponse.ok(AdminHtml.CONTENT_TYPE,
            AdminHtml.success(AdminMessages.METADATA_UPDATED));
      }
      return response(AdminMessages.METADATA_UPDATED, true, json);
    }
    if (command instanceof AdminCommand.MetadataNoSuchAction) {
      return response(AdminMessages.NO_SUCH_ACTION, false, json);
    }
    if (command instanceof AdminCommand.ListClients c) {
      AdminMount m = snapshot(mounts.get(c.mount()), Instant.now());
      return json ? AdminResponse.ok(AdminJson.CONTENT_TYPE, AdminJson.listClients(m))
          : AdminResponse.ok(AdminXml.CONTENT_TYPE, AdminXml.listClients(m));
    }
    if (command instanceof AdminCommand.ListMounts) {
      List<AdminMount> all = snapshots();
      return json ? AdminResponse.ok(AdminJson.CONTENT_TYPE, AdminJson.listMounts(all))
          : AdminResponse.ok(AdminXml.CONTENT_TYPE, AdminXml.listMounts(all));
    }
    if (command instanceof AdminCommand.Stats s) {
      List<AdminMount> all = snapshots();
      AdminServer server = server(all);
      return json ? AdminResponse.ok(AdminJson.CONTENT_TYPE, AdminJson.stats(server, all, s.mount()))
          : AdminResponse.ok(AdminXml.CONTENT_TYPE, AdminXml.stats(server, all, s.mount()));
    }
    if (command instanceof AdminCommand.StreamList) {
      return AdminResponse.ok(StreamList.CONTENT_TYPE, StreamList.render(snapshots()));
    }
    if (command instanceof AdminCommand.KillClient k) {
      boolean done = mounts.get(k.mount()).listenerRegistry().kick(k.id());
      return response(done ? AdminMessages.clientRemoved(k.id())
          : AdminMessages.clientNotFound(k.id()), done, json);
    }
    if (command instanceof AdminCommand.KillSource k) {
      if (!mounts.get(k.mount()).source().kill()) {
        // A relayed mount has no source client to remove.
        return AdminResponse.error(400, AdminMessages.SOURCE_DOES_NOT_EXIST);
      }
      return response(AdminMessages.SOURCE_REMOVED, true, json);
    }
    if (command instanceof AdminCommand.MoveClients mc) {
      if (mc.destination() == null) {
        List<AdminMount> all = snapshots();
        return json
            ? AdminResponse.ok(AdminJson.CONTENT_TYPE, AdminJson.moveClientsChoices(mc.mount(), all))
            : AdminResponse.ok(AdminXml.CONTENT_TYPE, AdminXml.moveClientsChoices(mc.mount(), all));
      }
      Mount dest = mounts.get(mc.destination());
      if (!dest.live()) {
        return AdminResponse.error(400, AdminMessages.DESTINATION_NOT_RUNNING);
      }
      int n = mounts.get(mc.mount()).listenerRegistry().moveTo(dest);
      log.info("{}: {} listener(s) moved to {} by admin", mc.mount(), n, mc.destination());
      return response(AdminMessages.clientsMoved(mc.mount(), mc.destination()), true, json);
    }
    if (command instanceof AdminCommand.Fallbacks f) {
      mounts.get(f.mount()).properties().fallback(f.fallback());
      log.info("{}: fallback set to {} by admin", f.mount(), f.fallback());
      return AdminResponse.ok(AdminHtml.CONTENT_TYPE,
          AdminHtml.success(AdminMessages.FALLBACK_CONFIGURED));
    }
    if (command instanceof AdminCommand.ManageAuth a) {
      return manageAuth(a);
    }
    if (command instanceof AdminCommand.BuildM3u b) {
      String url = "http://" + enc(b.user()) + ":" + enc(b.password()) + "@"
          + identity.hostname() + ":" + port.getAsInt() + b.mount();
      byte[] body = (url + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return new AdminResponse(200, "OK", "audio/x-mpegurl", body, List.<String[]>of(
          new String[] {"Content-Disposition", "attachment; filename=listen.m3u"}));
    }
    if (command instanceof AdminCommand.UpdateMetadataForm f) {
      Mount m = mounts.get(f.mount());
      return AdminResponse.ok(AdminHtml.CONTENT_TYPE,
          AdminWebPage.metadataForm(f.mount(), m.metadata().title()));
    }
    if (command instanceof AdminCommand.AdminPage) {
      return AdminResponse.ok(AdminHtml.CONTENT_TYPE,
          AdminWebPage.render(identity.serverId(), identity.hostname(), snapshots()));
    }
    throw new IllegalStateException("unhandled admin command " + command);
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  /**
   * Icecast 2.5 numbers its authentications from 0 in the order it builds them; for an
   * icecast.xml of the 2.4 kind that is admin (0), global source (1), relay (2), then per mount
   * in file order its own source credentials (a mount password) and its listener
   * authentication. Floe numbers the same way, so Icecast's {@code manageauth?id=} finds the
   * same mount.
   */
  private Mount byAuthId(long id) {
    long next = 3;
    for (Mount m : mounts.inConfigOrder()) {
      if (m.settings().password() != null) {
        next++;
      }
      if (m.settings().listenerAuth() != null) {
        if (next == id) {
          return m;
        }
        next++;
      }
    }
    return null;
  }

  private AdminResponse manageAuth(AdminCommand.ManageAuth a) {
    Mount m = a.mount() != null ? mounts.get(a.mount()) : byAuthId(a.id());
    if (m == null) {
      return a.mount() != null ? AdminResponse.error(400, AdminMessages.SOURCE_DOES_NOT_EXIST)
          : AdminResponse.error(404, "Authentication " + a.id() + " not found");
    }
    var settings = m.settings().listenerAuth();
    if (settings == null || settings.htpasswd() == null) {
      return AdminResponse.error(400, "Mount " + m.path() + " has no htpasswd listener"
          + " authentication");
    }
    Htpasswd users = Htpasswd.of(settings.htpasswd());
    String message = null;
    boolean success = true;
    try {
      if ("add".equals(a.action())) {
        success = users.add(a.user(), a.password()) == Htpasswd.Change.ADDED;
        message = success ? "User added" : "User already exists";
      } else if ("delete".equals(a.action())) {
        success = users.delete(a.user()) == Htpasswd.Change.DELETED;
        message = success ? "User deleted" : "User not found";
      }
    } catch (IllegalArgumentException e) {
      return AdminResponse.error(400, "Invalid user name or password");
    } catch (java.io.IOException e) {
      log.error("{}: cannot write the users file {}: {}", m.path(), settings.htpasswd(),
          e.toString());
      return AdminResponse.error(500, "Cannot write the users file");
    }
    if (message != null) {
      log.info("{}: manageauth {} {}: {}", m.path(), a.action(), a.user(), message);
    }
    return AdminResponse.ok(AdminXml.CONTENT_TYPE,
        AdminXml.manageAuth(m.path(), message, success, users.users()));
  }

  private static AdminResponse response(String message, boolean success, boolean json) {
    return json ? AdminResponse.ok(AdminJson.CONTENT_TYPE, AdminJson.response(message, success))
        : AdminResponse.ok(AdminXml.CONTENT_TYPE, AdminXml.response(message, success));
  }

  /** The title an update asks for, or null when it sets nothing (a valid no-op). */
  static String title(AdminCommand.UpdateMetadata u) {
    if (u.song() != null) {
      return u.song();
    }
    if (u.artist() != null && u.title() != null) {
      return u.artist() + " - " + u.title();
    }
    return null;
  }

  private static void updateMetadata(Mount mount, AdminCommand.UpdateMetadata u) {
    String title = title(u);
    if (title == null) {
      return;
    }
    IcyMetadata m = IcyMetadata.of(title, mount.metadata().url());
    if (utf8Length(m.text()) > IcyMetadata.MAX_PAYLOAD) {
      log.warn("{}: title of {} bytes is over the ICY limit of {}: listeners get it cut",
          mount.path(), utf8Length(title), IcyMetadata.MAX_PAYLOAD);
    }
    mount.updateMetadata(m);
  }

  // ---- snapshots -----------------------------------------------------------------------------

  private List<AdminMount> snapshots() {
    Instant now = Instant.now();
    List<AdminMount> out = new ArrayList<>();
    for (Mount m : mounts.all()) {
      if (m.info() != null) {
        out.add(snapshot(m, now));
      }
    }
    return out;
  }

  private AdminServer server(List<AdminMount> all) {
    int listeners = 0;
    for (AdminMount m : all) {
      listeners += m.listeners();
    }
    Map<String, String> g = new LinkedHashMap<>();
    g.put("listeners", Integer.toString(listeners));
    g.put("sources", Integer.toString(all.size()));
    g.put("clients", Integer.toString(listeners + all.size()));
    for (String counter : List.of("client_connections", "connections", "file_connections",
        "listener_connections", "source_client_connections", "source_relay_connections",
        "source_total_connections", "stats", "stats_connections")) {
      g.put(counter, "0"); // not counted by Floe
    }
    return new AdminServer(identity.admin(), identity.hostname(), identity.location(),
        identity.serverId(), identity.start(), g);
  }

  /** What the documents show of one mount, with Icecast's stat names and defaults. */
  AdminMount snapshot(Mount m, Instant now) {
    StreamInfo i = m.info();
    Map<String, String> s = new LinkedHashMap<>();
    s.put("genre", orElse(i.header("icy-genre"), "various"));
    s.put("server_name", orElse(i.header("icy-name"), "Unspecified name"));
    s.put("server_description", orElse(i.header("icy-description"), "Unspecified description"));
    putIf(s, "server_url", i.header("icy-url"));
    String pub = i.header("icy-pub");
    s.put("public", pub != null && pub.trim().equals("1") ? "1" : "0");
    putIf(s, "audio_info", i.header("ice-audio-info"));
    Integer br = i.bitrate();
    putIf(s, "bitrate", br == null ? null : br.toString());
    s.put("listenurl", "http://" + identity.hostname() + ":" + port.getAsInt() + m.path());
    s.put("max_listeners", m.properties().maxListeners() > 0 ? Integer.toString(m.properties().maxListeners())
        : "unlimited");
    s.put("slow_listeners", Long.toString(m.counters().slowListenersDropped()));
    putIf(s, "source_ip", sourceIp(m.upstream()));
    Instant start = m.streamStart();
    s.put("stream_start", HttpDates.icecast(start));
    s.put("stream_start_iso8601", HttpDates.icecastIso8601(start));
    s.put("total_bytes_read", Long.toString(m.counters().bytesIn()));
    s.put("total_bytes_sent", Long.toString(m.counters().bytesOut()));
    List<AdminListener> clients = new ArrayList<>();
    for (ListenerView v : m.listenerRegistry().views()) {
      clients.add(new AdminListener(v.id(), v.ip(), v.userAgent(), v.connectedSeconds(), null));
    }
    String title = m.metadata().title();
    long connected = Math.max(0, Duration.between(start, now).toSeconds());
    return new AdminMount(m.path(), i.contentType(), m.listeners(), m.listenerRegistry().peak(), connected,
        m.properties().fallback(), m.properties().hidden(), title == null || title.isEmpty() ? null : title, s, clients);
  }

  /**
   * The upstream's host for a relayed mount, else the source's address without its port (as
   * icecast2 shows {@code source_ip}; Floe records a source as {@code address:port}).
   */
  static String sourceIp(String upstream) {
    if (upstream == null) {
      return null;
    }
    if (upstream.startsWith("http://") || upstream.startsWith("https://")) {
      try {
        return URI.create(upstream).getHost();
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    int colon = upstream.lastIndexOf(':');
    long colons = upstream.chars().filter(c -> c == ':').count();
    if ((colons == 1 || colons == 8) && colon < upstream.length() - 1 // IPv4:port, IPv6:port
        && upstream.substring(colon + 1).chars().allMatch(Character::isDigit)) {
      return upstream.substring(0, colon);
    }
    return upstream;
  }

  private static String orElse(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static void putIf(Map<String, String> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  /** The length of {@code s} in UTF-8 bytes. */
  private static int utf8Length(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }
}
