package dev.floe.proxy;

import dev.floe.icy.head.HeadLimits;
import dev.floe.proxy.config.FloeConfig;
import dev.floe.proxy.config.MountSettings;
import dev.floe.proxy.config.ServerSettings;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import dev.floe.proxy.server.FrontServer;
import dev.floe.proxy.source.ShoutcastServer;
import dev.floe.proxy.source.SourceMounts;
import dev.floe.proxy.upstream.UpstreamClient;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A running Floe: one event-loop group (a thread per core), one port (plus the SHOUTcast v1 source
 * port when configured), and a {@link Mount} per configured mount, with an {@link UpstreamClient}
 * when it has upstreams (a mount without is fed by a source).
 */
public final class Floe implements AutoCloseable {
  private final EventLoopGroup group;
  private final FrontServer server;
  private final ShoutcastServer shoutcast;
  private final MountRegistry mounts;
  private final List<UpstreamClient> upstreams;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private Floe(EventLoopGroup group, FrontServer server, ShoutcastServer shoutcast,
      MountRegistry mounts, List<UpstreamClient> upstreams) {
    this.group = group;
    this.server = server;
    this.shoutcast = shoutcast;
    this.mounts = mounts;
    this.upstreams = upstreams;
  }

  /** Binds the port and starts pulling every mount's upstream. */
  public static Floe start(FloeConfig config) throws Exception {
    ServerSettings s = config.server();
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    try {
      SslContext ssl = SslContextBuilder.forClient().build();
      HeadLimits limits = new HeadLimits(s.maxLineBytes(), s.maxHeaders(), s.maxHeadBytes());
      MountRegistry mounts = s.sources().createMounts()
          ? new MountRegistry(config::sourceMount) : MountRegistry.fixed();
      List<UpstreamClient> clients = new ArrayList<>();
      for (MountSettings m : config.mounts()) {
        Mount mount = mounts.add(new Mount(m, mounts));
        SourceMounts.applyProperties(mount);
        if (!m.upstreams().isEmpty()) {
          clients.add(new UpstreamClient(mount, group.next(), ssl, limits));
        }
      }
      FrontServer server = new FrontServer(s, mounts, group);
      ShoutcastServer shoutcast = null;
      if (s.sources().shoutcastPort() > 0) {
        try {
          shoutcast = new ShoutcastServer(s, mounts, group);
        } catch (Exception e) {
          server.close();
          throw e;
        }
      }
      clients.forEach(UpstreamClient::start);
      return new Floe(group, server, shoutcast, mounts, clients);
    } catch (Exception e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The port actually bound. */
  public int port() {
    return server.port();
  }

  /** The SHOUTcast v1 source port bound, or 0 when it is off. */
  public int shoutcastPort() {
    return shoutcast == null ? 0 : shoutcast.port();
  }

  /** The mounts by path. */
  public MountRegistry mounts() {
    return mounts;
  }

  /** Blocks until {@link #close()} is called. */
  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    upstreams.forEach(UpstreamClient::close);
    if (shoutcast != null) {
      shoutcast.close();
    }
    server.close();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    stopped.countDown();
  }
}
