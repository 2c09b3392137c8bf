package dev.floe.proxy.server;

import dev.floe.buffer.Chunk;
import dev.floe.buffer.Cursor;
import dev.floe.buffer.LappedException;
import dev.floe.buffer.StreamBuffer;
import dev.floe.buffer.frame.ContentKind;
import dev.floe.icy.head.HeadEncoder;
import dev.floe.icy.head.Headers;
import dev.floe.icy.head.RequestHead;
import dev.floe.icy.head.ResponseHead;
import dev.floe.icy.meta.IcyMetadata;
import dev.floe.icy.resume.FloePosition;
import dev.floe.proxy.admin.AdminRequest;
import dev.floe.proxy.admin.AdminResponse;
import dev.floe.proxy.admin.AdminService;
import dev.floe.proxy.admin.AuthBackoff;
import dev.floe.proxy.admin.BasicAuth;
import dev.floe.proxy.admin.Htpasswd;
import dev.floe.proxy.admin.UrlListenerAuth;
import dev.floe.proxy.config.ListenerAuthSettings;
import dev.floe.proxy.config.ServerSettings;
import dev.floe.proxy.mount.ListenerSession;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import dev.floe.proxy.mount.Segment;
import dev.floe.proxy.mount.StreamInfo;
import dev.floe.proxy.source.SourceIngest;
import dev.floe.proxy.status.Metrics;
import dev.floe.proxy.status.MountStatus;
import dev.floe.proxy.status.Playlists;
import dev.floe.proxy.status.ServerInfo;
import dev.floe.proxy.status.StatusJson;
import dev.floe.proxy.status.StatusPage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntSupplier;
import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.node.SwarmNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a request is for, by method and path, as Icecast does on its one port: a mount
 * (listener), a mount's playlist, the status JSON, or the status page.
 */
final class Router {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  /** Allowed methods, advertised on OPTIONS and 405. */
  static final String ALLOW = "GET, HEAD, OPTIONS";

  private final ServerSettings server;
  private final MountRegistry mounts;
  private final Responses responses;
  private final SourceIngest sources;
  private final Instant started = Instant.now();
  private volatile int boundPort;
  private volatile IntSupplier connections = () -> 0;
  private volatile java.util.function.BiConsumer<Channel, ByteBuf> peers;
  private volatile TlsCertificate tls;
  private final AdminService admin;
  private final UrlListenerAuth listenerAuth;
  private final RefusalLog refusals = new RefusalLog(log, Duration.ofSeconds(1), System::nanoTime);
  private final TokenBuckets adminRate;
  private final AuthBackoff authBackoff;

  Router(ServerSettings server, MountRegistry mounts) {
    this.server = server;
    this.mounts = mounts;
    this.responses = new Responses(server);
    this.adminRate = new TokenBuckets(server.limits().adminRate(), server.limits().adminBurst(),
        System::nanoTime, 65_536);
    // Held answers to wrong passwords may take at most a quarter of max-clients.
    this.authBackoff = new AuthBackoff(server.limits(), Math.max(16, server.maxClients() / 4),
        System::nanoTime);
    this.sources = new SourceIngest(server, mounts, responses, authBackoff);
    // A mount's source user with its own source password, else the server's, may update that
    // mount's title.
    this.admin = new AdminService(server.adminAuth(), mounts, new AdminService.Identity(
        server.admin(), server.hostname(), server.location(), server.serverId(), started),
        () -> boundPort, path -> {
          Mount m = mounts.get(path);
          String own = m == null ? null : m.settings().password();
          String user = m == null ? "source" : m.settings().extras().sourceUser();
          return new BasicAuth.Credentials(user, own != null ? own : server.sources().password());
        }, server.sources().shoutcastMount());
    this.listenerAuth = new UrlListenerAuth(server.hostname());
  }

  /** The swarm nodes by channel key, for peer connections; null while no mount has a swarm. */
  void swarmNodes(Function<ChannelKey, SwarmNode> nodes) {
    this.peers = nodes == null ? null : (ch, received) -> SwarmNode.adopt(ch, received, nodes);
  }

  /** Where peer connections go (tests record them); null refuses them. */
  void peers(java.util.function.BiConsumer<Channel, ByteBuf> adopt) {
    this.peers = adopt;
  }

  /**
   * A connection that began with the swarm peer magic: handed to the swarm node of its channel.
   * {@code received} holds every byte read so far, magic included; this method owns it.
   */
  void peer(Channel ch, ByteBuf received) {
    java.util.function.BiConsumer<Channel, ByteBuf> adopt = peers;
    if (adopt == null) {
      received.release();
      refusals.warn("no-swarm", remote(ch) + ": a swarm peer, but no mount here has a swarm;"
          + " closing");
      ch.close();
      return;
    }
    try {
      adopt.accept(ch, received);
    } catch (RuntimeException e) {
      if (received.refCnt() > 0) {
        received.release();
      }
      refusals.warn("swarm-adopt", remote(ch) + ": swarm node could not take the peer: " + e);
      ch.close();
    }
  }

  /** Where the open-connection count comes from (the server's counter). */
  void connections(IntSupplier count) {
    this.connections = count;
  }

  /** The HTTPS listener's certificate, or null when there is none. */
  void tls(TlsCertificate certificate) {
    this.tls = certificate;
  }

  /** The expiry of the HTTPS certificate in use, in the Prometheus text format; or nothing. */
  private String tlsMetrics() {
    TlsCertificate t = tls;
    if (t == null) {
      return "";
    }
    return "# HELP floe_tls_certificate_not_after_seconds When the HTTPS certificate in use"
        + " expires (Unix time).\n# TYPE floe_tls_certificate_not_after_seconds gauge\n"
        + "floe_tls_certificate_not_after_seconds "
        + t.certificate().getNotAfter().toInstant().getEpochSecond() + "\n";
  }

  /** The port actually bound, which differs from the configured one when that is 0. */
  void boundPort(int port) {
    this.boundPort = port;
  }

  Responses responses() {
    return responses;
  }

  /** Where refusals are logged, rate-limited. */
  RefusalLog refusals() {
    return refusals;
  }

  /** Routes one request. {@code rest} holds the bytes after the head; this method owns it. */
  void route(Channel ch, RequestHead req, ByteBuf rest) {
    if (SourceIngest.accepts(req)) { // PUT, SOURCE and libshout's probes
      sources.handle(ch, req, rest);
      return;
    }
    rest.release(); // no request Floe serves here has a body
    String method = req.method();
    boolean head = method.equals("HEAD");
    if (method.equals("OPTIONS")) {
      options(ch);
      return;
    }
    if (!method.equals("GET") && !head) {
      log.warn("{}: method {} not allowed on {}", remote(ch), method, req.path());
      responses.error(ch, 405, "Method Not Allowed", "Method " + method + " not supported");
      return;
    }
    String path = req.path();
    if (AdminService.isAdminPath(path)) {
      admin(ch, req, head);
      return;
    }
    Mount mount = mounts.get(path);
    if (mount != null && head) { // as icecast2 2.4.4
      log.info("{}: HEAD {}: 400", remote(ch), path);
      responses.error(ch, 400, "Bad Request", "HEAD is not supported on a stream");
      return;
    }
    if (mount != null) {
      listen(ch, req, mount, head);
      return;
    }
    switch (path) {
      case "/server_version.xsl" -> {
        byte[] body = StatusPage.serverVersion(serverInfo()).getBytes(StandardCharsets.UTF_8);
        responses.send(ch, 200, "OK", "text/html; charset=utf-8", body, head);
        return;
      }
      case "/status-json.xsl", "/status-json.json" -> {
        byte[] body = StatusJson.renderBytes(serverInfo(), statuses(ch, req));
        responses.send(ch, 200, "OK", "application/json; charset=utf-8", body, head);
        return;
      }
      case "/metrics" -> {
        Runtime rt = Runtime.getRuntime();
        Metrics.Process p = new Metrics.Process(started.getEpochSecond(), connections.getAsInt(),
            rt.totalMemory() - rt.freeMemory(), Thread.activeCount());
        byte[] body = (Metrics.render(p, statuses(ch, req)) + tlsMetrics()
            + mounts.budget().metrics())
            .getBytes(StandardCharsets.UTF_8);
        responses.send(ch, 200, "OK", Metrics.CONTENT_TYPE, body, head);
        return;
      }
      case "/", "/index.html", "/status.xsl" -> {
        byte[] body = StatusPage.render(serverInfo(), statuses(ch, req)).getBytes(StandardCharsets.UTF_8);
        responses.send(ch, 200, "OK", "text/html; charset=utf-8", body, head);
        return;
      }
      default -> { }
    }
    if (playlist(ch, req, path, head)) {
      return;
    }
    log.info("{}: 404 {}", remote(ch), path);
    responses.error(ch, 404, "File Not Found", "The file you requested could not be found");
  }

  private void options(Channel ch) {
    Headers h = responses.baseHeaders().add("Allow", ALLOW).add("Content-Length", "0").build();
    ch.writeAndFlush(Unpooled.wrappedBuffer(HeadEncoder.encode(
            new ResponseHead("HTTP/1.0", 204, "No Content", h))))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private boolean playlist(Channel ch, RequestHead req, String path, boolean head) {
    int dot = path.lastIndexOf('.');
    if (dot <= 0) {
      return false;
    }
    Mount mount = mounts.get(path.substring(0, dot));
    if (mount == null) {
      return false;
    }
    String url = listenUrl(ch, req, mount);
    String title = streamName(mount);
    switch (path.substring(dot)) {
      case ".m3u" -> responses.send(ch, 200, "OK", Playlists.M3U_CONTENT_TYPE,
          Playlists.m3u(url).getBytes(StandardCharsets.UTF_8), head);
      case ".pls" -> responses.send(ch, 200, "OK", Playlists.PLS_CONTENT_TYPE,
          Playlists.pls(url, title).getBytes(StandardCharsets.UTF_8), head);
      case ".xspf" -> responses.send(ch, 200, "OK", Playlists.XSPF_CONTENT_TYPE,
          Playlists.xspf(url, title, null, mount.metadata().title())
              .getBytes(StandardCharsets.UTF_8), head);
      default -> {
        return false;
      }
    }
    return true;
  }

  /**
   * An admin request. Credentials are always checked, so the right ones are answered at once
   * (never rate limited, never locked out); a request without valid credentials takes a token of
   * the address's request rate (429 when none is left), and a wrong password is counted in
   * {@link AuthBackoff}, whose lockout holds its 401. Credentials ({@code Authorization}, or
   * {@code pass=} of {@code /admin.cgi}) from an address with {@link AuthBackoff#MAX_HELD}
   * answers held get 429 without being looked at.
   */
  private void admin(Channel ch, RequestHead req, boolean head) {
    String ip = ip(ch);
    String authorization = req.headers().get("Authorization");
    String query = req.query();
    boolean credentials = authorization != null || query.startsWith("pass=")
        || query.contains("&pass=");
    if (credentials && !authBackoff.mayCheck(ip)) {
      refusals.warn("auth-backoff", remote(ch) + ": admin request while " + AuthBackoff.MAX_HELD
          + " answers to wrong passwords from it are held: 429 unchecked");
      responses.tooManyRequests(ch, authBackoff.retryAfterNanos(ip),
          "Too many failed logins, try again later");
      return;
    }
    AdminResponse r = admin.handle(req.path(), query, authorization, remote(ch));
    // A password guess: credentials that are no account's (another role's get 401 at once)
    boolean wrong = r.status() == 401 && !admin.knownAccount(authorization);
    long wait = (credentials && !wrong) || server.limits().isExempt(ip) ? 0 : adminRate.take(ip);
    if (wait > 0) {
      refusals.warn("admin-rate", remote(ch) + ": admin requests without valid credentials over"
          + " limits.admin-rate: 429");
      responses.tooManyRequests(ch, wait, "Too many admin requests");
      return;
    }
    Duration hold = credentials && wrong ? authBackoff.failure(ip) : Duration.ZERO;
    if (credentials && r.status() == 401 && hold.isZero()) {
      refusals.warn("admin-auth", remote(ch) + ": admin " + req.path() + ": "
          + (wrong ? "wrong user or password" : "credentials that do not allow it") + ": 401");
    } else if (!hold.isZero()) {
      refusals.warn("auth-failure", remote(ch) + ": wrong admin password; locked out, answer held"
          + " for " + hold.toMillis() + " ms");
    }
    authBackoff.hold(ch, ip, hold, () -> write(ch, r, head));
  }

  private void write(Channel ch, AdminResponse r, boolean head) {
    Headers.Builder h = responses.baseHeaders()
        .add("Content-Type", r.contentType())
        .add("Content-Length", Integer.toString(r.body().length))
        .add("Cache-Control", "no-cache");
    for (String[] extra : r.headers()) {
      h.add(extra[0], extra[1]);
    }
    ch.write(Unpooled.wrappedBuffer(HeadEncoder.encode(
        new ResponseHead("HTTP/1.0", r.status(), r.reason(), h.build()))));
    if (!head && r.body().length > 0) {
      ch.write(Unpooled.wrappedBuffer(r.body()));
    }
    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * A listener: refused with icecast2's {@code 403 max listeners reached} when the mount is
   * full, asked of the mount's listener-auth URL when it has one, then served.
   */
  private void listen(Channel ch, RequestHead req, Mount mount, boolean head) {
    int max = mount.properties().maxListeners();
    if (max > 0 && mount.info() != null && mount.listeners() >= max) {
      log.info("{}: {} is full ({} listeners): 403", remote(ch), mount.path(), max);
      responses.send(ch, 403, "Forbidden", "text/plain; charset=utf-8",
          "max listeners reached".getBytes(StandardCharsets.UTF_8), head);
      return;
    }
    ListenerAuthSettings auth = mount.settings().listenerAuth();
    if (auth == null) {
      serve(ch, req, mount, head);
      return;
    }
    BasicAuth.Credentials creds = BasicAuth.parse(req.headers().get("Authorization"))
        .orElse(null);
    if (auth.htpasswd() != null) {
      if (creds != null && Htpasswd.of(auth.htpasswd()).check(creds.user(), creds.password())) {
        serve(ch, req, mount, head);
      } else {
        log.info("{}: {} refused by htpasswd listener auth ({}): 401", remote(ch), mount.path(),
            creds == null ? "no credentials" : "user \"" + creds.user() + "\"");
        write(ch, AdminResponse.unauthorized(), head);
      }
      return;
    }
    UrlListenerAuth.Listener who = new UrlListenerAuth.Listener(req.target(),
        creds == null ? null : creds.user(), creds == null ? null : creds.password(), ip(ch),
        req.headers().get("User-Agent"));
    long client = UrlListenerAuth.nextClientId();
    int port = boundPort;
    listenerAuth.add(auth, port, client, who).thenAccept(d -> ch.eventLoop().execute(() -> {
      if (!ch.isActive()) {
        return;
      }
      if (!d.accepted()) {
        log.info("{}: {} refused by listener auth: {}", remote(ch), mount.path(), d.status());
        write(ch, d.response(), head);
        return;
      }
      long since = System.nanoTime();
      ch.closeFuture().addListener(f -> listenerAuth.remove(auth, port, client, who,
          (System.nanoTime() - since) / 1_000_000_000L));
      serve(ch, req, mount, head);
    }));
  }

  private void serve(Channel ch, RequestHead req, Mount mount, boolean head) {
    if (!(head ? StartHold.audible(mount) : StartHold.ready(mount))
        && StartHold.expectsAudio(mount)) {
      log.info("{}: {} is starting: holding the listener up to {} for its first audio", remote(ch),
          mount.path(), mount.settings().startHold());
      StartHold.hold(ch, mount, head, () -> answer(ch, req, mount, head));
      return;
    }
    answer(ch, req, mount, head);
  }

  private void answer(Channel ch, RequestHead req, Mount mount, boolean head) {
    StreamInfo info = mount.info();
    Segment seg = mount.segment();
    if (info == null || seg == null) {
      log.info("{}: {} requested before its upstream answered", remote(ch), mount.path());
      responses.error(ch, 404, "File Not Found", "Mount " + mount.path() + " is not live yet");
      return;
    }
    StreamBuffer buffer = seg.buffer();
    String askedText = req.headers().get(FloePosition.HEADER);
    FloePosition asked = FloePosition.parse(askedText);
    if (askedText != null && asked == null) {
      log.warn("{}: malformed {}: {}", remote(ch), FloePosition.HEADER, askedText);
      responses.error(ch, 400, null, "Malformed Floe-Position: expected <epoch>:<offset> or *");
      return;
    }
    Cursor cursor;
    long start;
    long delay = 0; // Floe nodes (any Floe-Position) are served up to the live edge
    if (asked == null) {
      delay = mount.settings().listenerDelayBytes();
      cursor = buffer.openBehindLive(delay + mount.settings().burstBytes());
      start = cursor.position();
    } else if (asked.isAny()) {
      cursor = buffer.openBehindLive(mount.settings().burstBytes());
      start = cursor.position();
    } else if (asked.epoch().equals(seg.epoch()) && asked.offset() >= buffer.oldest()
        && asked.offset() <= buffer.newest()) {
      cursor = buffer.open(asked.offset());
      start = asked.offset();
    } else {
      log.info("{}: cannot resume {} at {} (epoch {}, window {}-{}): 416", remote(ch),
          mount.path(), asked, seg.epoch(), buffer.oldest(), buffer.newest());
      Headers h = responses.baseHeaders()
          .add(FloePosition.HEADER, new FloePosition(seg.epoch(), buffer.newest()).toString())
          .add("Floe-Window", FloePosition.window(buffer.oldest(), buffer.newest()))
          .add("Content-Length", "0")
          .build();
      ch.writeAndFlush(Unpooled.wrappedBuffer(HeadEncoder.encode(
              new ResponseHead("HTTP/1.0", 416, "Range Not Satisfiable", h))))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    // Icecast 2.4 ignores Range on live mounts and answers 200: iOS then keeps Icy-MetaData on
    // its follow-up request, which it drops after a 206 (icecast-kh #441).
    String icyAsk = req.headers().get("Icy-MetaData");
    int metaint = icyAsk != null && !icyAsk.trim().equals("0")
        && interleavesMetadata(info.contentType()) ? mount.settings().metaint() : 0;
    Headers.Builder h = responses.baseHeaders()
        .add("Content-Type", info.contentType())
        .add("Cache-Control", "no-cache, no-store")
        .add("Expires", "Mon, 26 Jul 1997 05:00:00 GMT")
        .add("Pragma", "no-cache");
    for (Map.Entry<String, String> e : info.listenerHeaders().entries()) {
      h.add(e.getKey(), e.getValue());
    }
    if (metaint > 0) {
      h.add("icy-metaint", Integer.toString(metaint));
    }
    h.add(FloePosition.HEADER, new FloePosition(seg.epoch(), start).toString())
        .add("Floe-Window", FloePosition.window(buffer.oldest(), buffer.newest()))
        .add("Floe-Metadata", URLEncoder.encode(metadataAt(mount, buffer, start).text(),
            StandardCharsets.UTF_8));
    byte[] bytes = HeadEncoder.encode(new ResponseHead("HTTP/1.0", 200, "OK", h.build()));
    if (head) {
      ch.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ch.write(Unpooled.wrappedBuffer(bytes));
    if (buffer.chunkCount() == 0) {
      // nothing to send with it (a source connected but silent past start-hold): the head goes
      // now, as icecast2 answers, rather than with the first audio (a silent 19 s before)
      ch.flush();
    }
    ListenerSession.start(mount, ch, cursor, start, metaint, delay, ip(ch),
        req.headers().get("User-Agent"));
  }

  /** The metadata in force at {@code position}: its chunk's, or the current one at the edge. */
  private static IcyMetadata metadataAt(Mount mount, StreamBuffer buffer, long position) {
    try {
      Chunk c = buffer.open(position).next();
      if (c != null) {
        return c.metadata();
      }
    } catch (LappedException e) {
      // evicted meanwhile: the current metadata is the best answer
    }
    return mount.metadata();
  }

  /** The mount's URL on the port (and scheme) the request came in on. */
  private String listenUrl(Channel ch, RequestHead req, Mount mount) {
    boolean secure = ch.pipeline().get(SslHandler.class) != null;
    int port = secure ? ((InetSocketAddress) ch.localAddress()).getPort() : boundPort;
    return Playlists.listenUrl(req.headers().get("Host"), server.hostname(), port,
        mount.path(), secure);
  }

  private static String streamName(Mount mount) {
    StreamInfo info = mount.info();
    String name = info == null ? null : info.header("icy-name");
    return name == null ? mount.path() : name;
  }

  private ServerInfo serverInfo() {
    return new ServerInfo(server.admin(), server.hostname(), server.location(), server.serverId(),
        started);
  }

  private List<MountStatus> statuses(Channel ch, RequestHead req) {
    List<MountStatus> out = new ArrayList<>();
    for (Mount m : mounts.all()) {
      if (m.info() != null && !m.properties().hidden()) {
        out.add(MountStatusMapper.map(m, listenUrl(ch, req, m)));
      }
    }
    return out;
  }

  /** The client's IP address alone, as Icecast lists it ({@link ClientAddress}). */
  static String ip(Channel ch) {
    return ClientAddress.ip(ch);
  }

  static String remote(Channel ch) {
    return ClientAddress.remote(ch);
  }

  /**
   * Whether listeners of this type may get ICY metadata blocks: as Icecast's {@code
   * format_get_type}, not for Ogg and WebM/Matroska, which carry their metadata in the stream
   * (Floe also counts {@code audio/opus} as Ogg: its header pages are kept apart, and blocks
   * between Ogg pages break Ogg readers).
   */
  static boolean interleavesMetadata(String contentType) {
    if (ContentKind.of(contentType) == ContentKind.OGG) {
      return false;
    }
    String t = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
    return !(t.startsWith("audio/webm") || t.startsWith("video/webm")
        || t.contains("/x-matroska"));
  }
}
