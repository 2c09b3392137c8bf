package dev.floe.proxy.server;

import dev.floe.proxy.config.ServerSettings;
import dev.floe.proxy.config.TlsSettings;
import dev.floe.proxy.mount.MountRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.function.Function;
import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.node.SwarmNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening ports: the plain one and, when {@code floe.server.tls} has a port, the HTTPS one.
 * Every connection (player, source, status, admin) starts in a {@link FrontHandler}; on the HTTPS
 * port an {@link io.netty.handler.ssl.SslHandler} comes first, and before it, from a trusted
 * proxy on a port with {@code proxy-protocol}, the PROXY protocol header ({@link
 * ClientResolver}); made from the {@link
 * TlsCertificate} current when the connection is accepted. Both ports share one router and one
 * connection count ({@code max-clients}).
 */
public final class FrontServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FrontServer.class);

  /** Kernel send buffer per connection (Linux doubles it): a few seconds of a typical stream. */
  static final int SEND_BUFFER = 64 * 1024;

  private final ServerSettings settings;
  private final Wiring wiring;
  private volatile Router router;
  private volatile Channel serverChannel;
  private final Channel tlsChannel;
  private final TlsCertificate tls;
  private final ConnectionLimiter limiter;
  private final ClientResolver clients;

  /**
   * Binds the plain port, and the HTTPS port when configured.
   *
   * @param swarmNodes where connections that begin with the swarm peer magic go: the node of the
   *     channel named in their HELLO ({@code swarmNodes} returns null for an unknown channel);
   *     null refuses them
   * @throws GeneralSecurityException when the TLS files cannot be used (the message names the
   *     file)
   */
  public FrontServer(ServerSettings settings, MountRegistry mounts, EventLoopGroup group,
      Function<ChannelKey, SwarmNode> swarmNodes)
      throws InterruptedException, GeneralSecurityException {
    this.settings = settings;
    TlsSettings t = settings.tls();
    tls = t.enabled() ? TlsCertificate.load(t.certificate(), t.key()) : null;
    wiring = new Wiring(mounts, this::port, this::connections, tls, swarmNodes == null ? null
        : (ch, received) -> SwarmNode.adopt(ch, received, swarmNodes));
    router = wiring.router(settings);
    limiter = new ConnectionLimiter(settings.maxClients(), settings.limits(), wiring.refusals());
    clients = new ClientResolver(settings.proxies(), limiter, () -> router);
    serverChannel = bootstrap(group, null, settings.proxies().proxyProtocol()).bind(settings.bind(), settings.port()).sync()
        .channel();
    try {
      tlsChannel = tls == null ? null
          : bootstrap(group, tls, t.proxyProtocol()).bind(t.bind(), t.port()).sync().channel();
    } catch (InterruptedException | RuntimeException e) {
      serverChannel.close().syncUninterruptibly();
      throw e;
    }
    if (tls != null) {
      log.info("HTTPS on {}:{}", t.bind(), tlsPort());
    }
  }

  private ServerBootstrap bootstrap(EventLoopGroup group, TlsCertificate certificate,
      boolean proxyProtocol) {
    int high = settings.limits().listenerWriteBuffer();
    return new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        // icecast2 listens with a backlog of 5; a burst of players must not be refused.
        .option(ChannelOption.SO_BACKLOG, 4096)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // A fixed send buffer stops the kernel from autotuning it to megabytes, which would hide
        // a stuck listener's lag from max-lag for minutes.
        .childOption(ChannelOption.SO_SNDBUF, SEND_BUFFER)
        // Per-connection outbound bounds: above the high mark a listener's drain pauses.
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(high / 4, high))
        .childHandler(new Initializer(certificate, proxyProtocol));
  }

  /**
   * One connection's pipeline: from a trusted proxy on a port marked for it, the PROXY protocol
   * header first; then TLS on the HTTPS port; then the front.
   */
  private final class Initializer extends ChannelInitializer<SocketChannel> {
    private final TlsCertificate certificate;
    private final boolean proxyProtocol;

    Initializer(TlsCertificate certificate, boolean proxyProtocol) {
      this.certificate = certificate;
      this.proxyProtocol = proxyProtocol;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
      boolean proxy = clients.fromTrustedProxy(ch);
      if (proxy && proxyProtocol) {
        clients.addProxyProtocol(ch);
      }
      if (certificate != null) {
        ch.pipeline().addLast("tls", certificate.context().newHandler(ch.alloc()));
      }
      Router r = router; // the one current when the connection is accepted
      if (!limiter.admit(ch, r.responses(), !proxy)) {
        return;
      }
      ch.pipeline().addLast("front", new FrontHandler(r, clients, r.headLimits(),
          r.settings().headerTimeout(), r.settings().idleTimeout()));
    }
  }

  /** The port actually bound (useful when configured as 0). */
  public int port() {
    Channel c = serverChannel; // null while binding: a connection accepted then sees port 0
    return c == null ? 0 : ((InetSocketAddress) c.localAddress()).getPort();
  }

  /** The HTTPS port actually bound, or 0 when there is none. */
  public int tlsPort() {
    return tlsChannel == null ? 0 : ((InetSocketAddress) tlsChannel.localAddress()).getPort();
  }

  /**
   * Applies a reloaded configuration's server settings to connections accepted from now on: a
   * new {@link Router} and endpoints ({@link Wiring}), with new head limits and timeouts. Open
   * connections keep what they started with. Settings bound to a socket or counted across
   * connections are not changed here: {@code ServerChanges} names them as needing a restart.
   */
  public void reload(ServerSettings next) {
    router = wiring.router(next);
  }

  /**
   * Reads the TLS files of {@code next} (a reloaded configuration) for new HTTPS connections;
   * on failure keeps the current certificate and logs why. Does nothing without an HTTPS port.
   *
   * @return a line for the reload log, or null when there is no HTTPS port
   */
  public String reloadTls(TlsSettings next) {
    if (tls == null || !next.enabled()) {
      return null;
    }
    return tls.reload(next.certificate(), next.key())
        ? "TLS certificate read again (serial " + tls.certificate().getSerialNumber().toString(16)
            + ")"
        : "TLS certificate kept: the new files do not load";
  }

  /** Open connections on both ports. */
  public int connections() {
    return limiter.connections();
  }

  @Override
  public void close() {
    if (tlsChannel != null) {
      tlsChannel.close().syncUninterruptibly();
    }
    serverChannel.close().syncUninterruptibly();
  }
}
