package dev.floe.proxy.server;

import dev.floe.proxy.admin.AdminService;
import dev.floe.proxy.admin.AuthBackoff;
import dev.floe.proxy.admin.BasicAuth;
import dev.floe.proxy.admin.UrlListenerAuth;
import dev.floe.proxy.config.ServerSettings;
import dev.floe.proxy.config.WebPlayerSettings;
import dev.floe.proxy.hls.HlsListeners;
import dev.floe.proxy.hls.HlsOffload;
import dev.floe.proxy.hls.SegmentIndex;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import dev.floe.proxy.source.SourceIngest;
import dev.floe.proxy.tracker.Tracker;
import dev.floe.proxy.tracker.TrackerLimits;
import dev.floe.proxy.web.PlayerScript;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import org.slf4j.LoggerFactory;

/**
 * The one place the front's parts are put together: {@link #router} builds a {@link Router} and
 * every endpoint from the server settings, the mounts and what the front knows (the bound port,
 * the connection count, the HTTPS certificate, where swarm peers go). A reload calls it again
 * with the new settings; what must outlive a reload stays here: the start time, the refusal log,
 * the HLS listeners and segment indexes, the browsers' tracker, the web player's script, and the
 * admin rate and auth-failure counts (kept unless their {@code limits.*} changed).
 */
final class Wiring {
  private final MountRegistry mounts;
  private final IntSupplier boundPort;
  private final IntSupplier connections;
  private final TlsCertificate tls;
  private final BiConsumer<Channel, ByteBuf> peers;
  private final Instant started = Instant.now();
  private final RefusalLog refusals = new RefusalLog(LoggerFactory.getLogger(Router.class),
      Duration.ofSeconds(1), System::nanoTime);
  private final HlsListeners hlsListeners = new HlsListeners(System::nanoTime);
  private final Map<String, SegmentIndex> hlsIndexes = HlsEndpoint.newIndexes();
  private final HlsOffload hlsOffload = new HlsOffload();
  /** Made at the first router, from its settings ({@code web-player.*}: a restart changes). */
  private Tracker tracker;
  private TokenBuckets reportRate;
  private final PlayerScript script = PlayerScript.load();
  private ServerSettings guardsFor;
  private TokenBuckets adminRate;
  private AuthBackoff authBackoff;

  /**
   * @param peers takes connections that began with the swarm peer magic; null refuses them
   */
  Wiring(MountRegistry mounts, IntSupplier boundPort, IntSupplier connections,
      TlsCertificate tls, BiConsumer<Channel, ByteBuf> peers) {
    this.mounts = mounts;
    this.boundPort = boundPort;
    this.connections = connections;
    this.tls = tls;
    this.peers = peers;
  }

  RefusalLog refusals() {
    return refusals;
  }

  /** The browsers' WebTorrent tracker (its counts for status and tests). */
  synchronized Tracker tracker() {
    return tracker;
  }

  /** A router and its endpoints for {@code server}. */
  synchronized Router router(ServerSettings server) {
    guards(server);
    WebPlayerSettings web = server.webPlayer();
    if (tracker == null) {
      TrackerLimits d = TrackerLimits.DEFAULTS;
      tracker = new Tracker(new TrackerLimits(d.maxSwarms(), web.trackerMaxPeers(),
          d.maxSwarmsPerConnection(), d.maxOffers(), d.maxScrape(), d.maxMessageBytes(),
          d.messagesPerSecond(), d.messageBurst(), web.trackerInterval(),
          web.trackerInterval().multipliedBy(3)), new SplittableRandom(), refusals::warn);
      reportRate = new TokenBuckets(web.reportRate(), web.reportBurst(), System::nanoTime,
          65_536);
    }
    Responses responses = new Responses(server);
    SourceIngest sources = new SourceIngest(server, mounts, responses, authBackoff);
    // A mount's source user with its own source password, else the server's, may update that
    // mount's title.
    AdminService service = new AdminService(server.adminAuth(), mounts, new AdminService.Identity(
        server.admin(), server.hostname(), server.location(), server.serverId(), started),
        boundPort, path -> {
          Mount m = mounts.get(path);
          String own = m == null ? null : m.settings().password();
          String user = m == null ? "source" : m.settings().extras().sourceUser();
          return new BasicAuth.Credentials(user, own != null ? own : server.sources().password());
        }, server.sources().shoutcastMount());
    ListenUrl urls = new ListenUrl(server.hostname(), boundPort);
    return new Router(server, mounts, responses, refusals, sources,
        new AdminEndpoint(service, server.limits(), adminRate, authBackoff, responses, refusals),
        new ListenerEndpoint(responses, new UrlListenerAuth(server.hostname()), boundPort),
        new StatusEndpoint(server, mounts, responses, urls, started, connections, tls,
            hlsListeners, hlsOffload),
        new PlaylistEndpoint(mounts, responses, urls),
        new PeerEndpoint(peers, refusals),
        new HlsEndpoint(mounts, responses, hlsListeners, hlsIndexes, hlsOffload),
        new WebPlayerEndpoint(mounts, responses, web.enabled() ? script : null, web),
        new TrackerEndpoint(web.tracker() ? tracker : null, responses, refusals),
        new HlsReportEndpoint(mounts, responses, refusals, hlsOffload,
            web.enabled() ? reportRate : null, server.headerTimeout()));
  }

  /** The admin rate limiter and the auth backoff: new only when their settings changed. */
  private void guards(ServerSettings server) {
    ServerSettings was = guardsFor;
    if (was == null || was.limits().adminRate() != server.limits().adminRate()
        || was.limits().adminBurst() != server.limits().adminBurst()) {
      adminRate = new TokenBuckets(server.limits().adminRate(), server.limits().adminBurst(),
          System::nanoTime, 65_536);
    }
    if (was == null || !was.limits().equals(server.limits())
        || was.maxClients() != server.maxClients()) {
      // Held answers to wrong passwords may take at most a quarter of max-clients.
      authBackoff = new AuthBackoff(server.limits(), Math.max(16, server.maxClients() / 4),
          System::nanoTime);
    }
    guardsFor = server;
  }
}
