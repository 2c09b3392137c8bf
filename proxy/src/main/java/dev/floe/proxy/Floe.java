package dev.floe.proxy;

import dev.floe.icy.head.HeadLimits;
import dev.floe.proxy.config.FloeConfig;
import dev.floe.proxy.config.MountSettings;
import dev.floe.proxy.config.ServerSettings;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import dev.floe.proxy.server.FrontServer;
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
 * A running Floe: one event-loop group (a thread per core), one port, and a {@link Mount} with an
 * {@link UpstreamClient} per configured mount.
 */
public final class Floe implements AutoCloseable {
  private final EventLoopGroup group;
  private final FrontServer server;
  private final MountRegistry mounts;
  private final List<UpstreamClient> upstreams;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private Floe(EventLoopGroup group, FrontServer server, MountRegistry mounts,
      List<UpstreamClient> upstreams) {
    this.group = group;
    this.server = server;
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
      MountRegistry mounts = MountRegistry.fixed();
      List<UpstreamClient> clients = new ArrayList<>();
      for (MountSettings m : config.mounts()) {
        Mount mount = mounts.add(new Mount(m, mounts));
        clients.add(new UpstreamClient(mount, group.next(), ssl, limits));
      }
      FrontServer server = new FrontServer(s, mounts, group);
      clients.forEach(UpstreamClient::start);
      return new Floe(group, server, mounts, clients);
    } catch (Exception e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The port actually bound. */
  public int port() {
    return server.port();
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
    server.close();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    stopped.countDown();
  }
}
