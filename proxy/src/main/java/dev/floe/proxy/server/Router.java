package dev.floe.proxy.server;

import dev.floe.icy.head.HeadEncoder;
import dev.floe.icy.head.HeadLimits;
import dev.floe.icy.head.Headers;
import dev.floe.icy.head.RequestHead;
import dev.floe.icy.head.ResponseHead;
import dev.floe.proxy.admin.AdminService;
import dev.floe.proxy.config.ServerSettings;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import dev.floe.proxy.source.SourceIngest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a request is for, by method and path, as Icecast does on its one port, and hands
 * it to its endpoint: a source ({@link SourceIngest}), the admin API ({@link AdminEndpoint}), a
 * mount's listener ({@link ListenerEndpoint}), a status view ({@link StatusEndpoint}), a
 * playlist ({@link PlaylistEndpoint}), HLS ({@link HlsEndpoint}), the web player ({@link
 * WebPlayerEndpoint}), the browsers' tracker ({@link TrackerEndpoint}), or a swarm peer ({@link
 * PeerEndpoint}). Immutable: built
 * by {@link Wiring} from one {@link ServerSettings}; a reload builds a new one for new
 * connections.
 */
final class Router {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  /** Allowed methods, advertised on OPTIONS and 405. */
  static final String ALLOW = "GET, HEAD, OPTIONS";

  private final ServerSettings server;
  private final HeadLimits headLimits;
  private final MountRegistry mounts;
  private final Responses responses;
  private final RefusalLog refusals;
  private final SourceIngest sources;
  private final AdminEndpoint admin;
  private final ListenerEndpoint listeners;
  private final StatusEndpoint status;
  private final PlaylistEndpoint playlists;
  private final PeerEndpoint peers;
  private final HlsEndpoint hls;
  private final WebPlayerEndpoint player;
  private final TrackerEndpoint tracker;
  private final HlsReportEndpoint reports;

  Router(ServerSettings server, MountRegistry mounts, Responses responses, RefusalLog refusals,
      SourceIngest sources, AdminEndpoint admin, ListenerEndpoint listeners,
      StatusEndpoint status, PlaylistEndpoint playlists, PeerEndpoint peers, HlsEndpoint hls,
      WebPlayerEndpoint player, TrackerEndpoint tracker, HlsReportEndpoint reports) {
    this.server = server;
    this.headLimits = new HeadLimits(server.maxLineBytes(), server.maxHeaders(),
        server.maxHeadBytes());
    this.mounts = mounts;
    this.responses = responses;
    this.refusals = refusals;
    this.sources = sources;
    this.admin = admin;
    this.listeners = listeners;
    this.status = status;
    this.playlists = playlists;
    this.peers = peers;
    this.hls = hls;
    this.player = player;
    this.tracker = tracker;
    this.reports = reports;
  }

  /** The settings this router was built from (timeouts and head limits of new connections). */
  ServerSettings settings() {
    return server;
  }

  HeadLimits headLimits() {
    return headLimits;
  }

  Responses responses() {
    return responses;
  }

  /** Where refusals are logged, rate-limited. */
  RefusalLog refusals() {
    return refusals;
  }

  /**
   * A connection that began with the swarm peer magic: handed to the swarm node of its channel.
   * {@code received} holds every byte read so far, magic included; this method owns it.
   */
  void peer(Channel ch, ByteBuf received) {
    peers.handle(ch, received);
  }

  /** Routes one request. {@code rest} holds the bytes after the head; this method owns it. */
  void route(Channel ch, RequestHead req, ByteBuf rest) {
    if (SourceIngest.accepts(req)) { // PUT, SOURCE and libshout's probes
      sources.handle(ch, req, rest);
      return;
    }
    if (req.method().equals("GET") && req.path().equals(TrackerEndpoint.PATH)
        && mounts.get(TrackerEndpoint.PATH) == null) { // a WebSocket upgrade
      tracker.handle(ch, req, rest);
      return;
    }
    if (HlsReportEndpoint.accepts(req)) { // a web player's counters, a small body
      reports.handle(ch, req, rest);
      return;
    }
    rest.release(); // no other request Floe serves here has a body
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
      admin.handle(ch, req, head);
      return;
    }
    Mount mount = mounts.get(path);
    if (mount != null && head) { // as icecast2 2.4.4
      log.info("{}: HEAD {}: 400", remote(ch), path);
      responses.error(ch, 400, "Bad Request", "HEAD is not supported on a stream");
      return;
    }
    if (mount != null) {
      listeners.handle(ch, req, mount, head);
      return;
    }
    if (status.handle(ch, req, path, head) || playlists.handle(ch, req, path, head)
        || hls.handle(ch, req, path, head) || player.handle(ch, req, path, head)) {
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

  static String remote(Channel ch) {
    return ClientAddress.remote(ch);
  }
}
