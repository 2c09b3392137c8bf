package dev.floe.proxy;

import dev.floe.icy.head.HeadLimits;
import dev.floe.proxy.config.FloeConfig;
import dev.floe.proxy.config.MountSettings;
import dev.floe.proxy.config.ServerSettings;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.server.FrontServer;
import dev.floe.proxy.upstream.UpstreamClient;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A running Floe: one event-loop group (a thread per core), one port, and a {@link Mount} with an
 * {@link UpstreamClient} per configured mount.
 */
public final class Floe implements AutoCloseable {
  private final EventLoopGroup group;
  private final FrontServer server;
  private final Map<String, Mount> mounts;
  private final List<UpstreamClient> upstreams;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private Floe(EventLoopGroup group, FrontServer server, Map<String, Mount> mounts,
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
      Map<String, Mount> mounts = new LinkedHashMap<>();
      List<UpstreamClient> clients = new ArrayList<>();
      for (MountSettings m : config.mounts()) {
        Mount mount = new Mount(m);
        mounts.put(m.path(), mount);
        clients.add(new UpstreamClient(mount, group.next(), ssl, limits));
      }
      FrontServer server = new FrontServer(s, Collections.unmodifiableMap(mounts), group);
      clients.forEach(UpstreamClient::start);
      return new Floe(group, server, Collections.unmodifiableMap(mounts), clients);
    } catch (Exception e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The port actually bound. */
  public int port() {
    return server.port();
  }

  /** The mounts by path, in configuration order. */
  public Map<String, Mount> mounts() {
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
