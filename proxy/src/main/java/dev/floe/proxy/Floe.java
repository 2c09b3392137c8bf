package dev.floe.proxy;

import dev.floe.icy.head.HeadLimits;
import dev.floe.proxy.config.FloeConfig;
import dev.floe.proxy.config.MountSettings;
import dev.floe.proxy.config.ServerChanges;
import dev.floe.proxy.config.ServerSettings;
import dev.floe.proxy.mount.MemoryBudget;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import dev.floe.proxy.playlist.PlaylistSource;
import dev.floe.proxy.server.FrontServer;
import dev.floe.proxy.source.ShoutcastServer;
import dev.floe.proxy.source.SourceMounts;
import dev.floe.proxy.swarm.NatPortMapping;
import dev.floe.proxy.swarm.SwarmMounts;
import dev.floe.swarm.nat.PortMapping;
import dev.floe.proxy.upstream.UpstreamClient;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A running Floe: one event-loop group (a thread per core), one port (plus the HTTPS port and the
 * SHOUTcast v1 source port when configured), and a {@link Mount} per configured mount, with an
 * {@link UpstreamClient} when it has upstreams (a mount without is fed by a source), and a swarm
 * node per mount with a {@code swarm { }} block ({@link SwarmMounts}; a swarm peer's upstream
 * client runs only while its node falls back).
 */
public final class Floe implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Floe.class);
  private final EventLoopGroup group;
  private final FrontServer server;
  private final ShoutcastServer shoutcast;
  private final MountRegistry mounts;
  private final Map<String, UpstreamClient> upstreams;
  private final SslContext clientSsl;
  private final HeadLimits limits;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Map<String, PlaylistSource> playlists = new ConcurrentHashMap<>();
  private final SwarmMounts swarm;
  private FloeConfig config;
  /** The configuration Floe started with: its sockets and budgets were made from it. */
  private final FloeConfig started;
  private PortMapping mapping;

  private Floe(FloeConfig config, EventLoopGroup group, FrontServer server,
      ShoutcastServer shoutcast, MountRegistry mounts, Map<String, UpstreamClient> upstreams,
      SslContext clientSsl, HeadLimits limits, SwarmMounts swarm) {
    this.config = config;
    this.started = config;
    this.swarm = swarm;
    this.group = group;
    this.server = server;
    this.shoutcast = shoutcast;
    this.mounts = mounts;
    this.upstreams = upstreams;
    this.clientSsl = clientSsl;
    this.limits = limits;
  }

  /** Binds the port and starts pulling every mount's upstream. */
  public static Floe start(FloeConfig config) throws Exception {
    ServerSettings s = config.server();
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    try {
      SslContext ssl = SslContextBuilder.forClient().build();
      HeadLimits limits = new HeadLimits(s.maxLineBytes(), s.maxHeaders(), s.maxHeadBytes());
      MemoryBudget budget = MemoryBudget.forJvm(s.bufferMemory());
      log.info("back buffers share {} (buffer-memory)", MemoryBudget.mib(budget.total()));
      MountRegistry mounts = new MountRegistry(
          s.sources().createMounts() ? config::sourceMount : null, budget);
      Map<String, UpstreamClient> clients = new ConcurrentHashMap<>();
      for (MountSettings m : config.mounts()) {
        Mount mount = mounts.add(new Mount(m, mounts));
        SourceMounts.applyProperties(mount);
        if (!m.upstreams().isEmpty() && !m.swarmPeer()) {
          clients.put(m.path(), new UpstreamClient(mount, group.next(), ssl, limits));
        }
      }
      SwarmMounts swarm = new SwarmMounts(group, ssl, limits, s.bind(), s.hostname(), System.out,
          s.limits());
      FrontServer server = new FrontServer(s, mounts, group, swarm::node);
      ShoutcastServer shoutcast = null;
      if (s.sources().shoutcastPort() > 0) {
        try {
          shoutcast = new ShoutcastServer(s, mounts, group);
        } catch (Exception e) {
          server.close();
          throw e;
        }
      }
      clients.values().forEach(UpstreamClient::start);
      // Paced players drain the back buffer while a mount's writer is away (Mount.wake).
      group.next().scheduleAtFixedRate(() -> mounts.all().forEach(Mount::wake), 100, 100,
          TimeUnit.MILLISECONDS);
      PortMapping mapping = NatPortMapping.open(s.portMapping(), server.port(), external -> {
        log.warn("port mapping: the router now forwards TCP port {}; swarm nodes started from now"
            + " on advertise it (reload to restart the others)", external);
        swarm.port(external);
      });
      swarm.port(mapping != null ? mapping.externalPort() : server.port());
      for (MountSettings m : config.mounts()) {
        swarm.start(mounts.get(m.path()));
      }
      Floe floe = new Floe(config, group, server, shoutcast, mounts, clients, ssl, limits, swarm);
      floe.mapping = mapping;
      for (MountSettings m : config.mounts()) {
        if (m.playlist() != null) {
          floe.playlists.put(m.path(), PlaylistSource.start(mounts.get(m.path()), group.next()));
        }
      }
      return floe;
    } catch (Exception e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The port actually bound. */
  public int port() {
    return server.port();
  }

  /** The HTTPS port bound, or 0 when there is none. */
  public int tlsPort() {
    return server.tlsPort();
  }

  /** The SHOUTcast v1 source port bound, or 0 when it is off. */
  public int shoutcastPort() {
    return shoutcast == null ? 0 : shoutcast.port();
  }

  /** The mounts by path. */
  public MountRegistry mounts() {
    return mounts;
  }

  /**
   * Applies a new configuration without a restart: added mounts start, removed ones stop (their
   * listeners are closed cleanly), changed ones take their new settings (a changed mount's
   * upstream client is replaced and resumes from the position the mount holds, so its listeners
   * keep playing), and untouched mounts and their listeners are not disturbed. The HTTPS
   * certificate and key are read again (new connections get them, open ones keep theirs). Every
   * changed {@code floe.server} key is either applied to new connections or named as needing a
   * restart ({@link ServerChanges}), never silently ignored.
   *
   * @return one line per change, for the log
   */
  public synchronized List<String> reload(FloeConfig next) {
    List<String> done = new ArrayList<>();
    // Keys that need a restart are compared with the settings the sockets were made with, so a
    // second reload still names them; the others with the settings in force.
    ServerSettings now = next.server();
    for (String line : ServerChanges.between(started.server(), now)) {
      if (ServerChanges.needsRestart(line)) {
        done.add(line);
      }
    }
    if (!started.server().hostname().equals(now.hostname())
        && next.mounts().stream().anyMatch(m -> m.swarm() != null)) {
      done.add(ServerChanges.swarmHostname(started.server().hostname()));
    }
    for (String line : ServerChanges.between(config.server(), now)) {
      if (!ServerChanges.needsRestart(line)) {
        done.add(line);
      }
    }
    server.reload(now);
    if (shoutcast != null) {
      shoutcast.reload(now);
    }
    String tls = server.reloadTls(now.tls());
    if (tls != null) {
      done.add(tls);
    }
    Map<String, MountSettings> before = new LinkedHashMap<>();
    config.mounts().forEach(m -> before.put(m.path(), m));
    Map<String, MountSettings> after = new LinkedHashMap<>();
    next.mounts().forEach(m -> after.put(m.path(), m));
    for (String path : before.keySet()) {
      if (!after.containsKey(path)) {
        stopClient(path);
        swarm.stop(path);
        Mount m = mounts.remove(path);
        if (m != null) {
          m.close("mount removed from the configuration");
        }
        done.add("removed " + path);
      }
    }
    for (MountSettings m : after.values()) {
      MountSettings old = before.get(m.path());
      if (old == null) {
        Mount mount = mounts.add(new Mount(m, mounts));
        SourceMounts.applyProperties(mount);
        startClient(mount);
        swarm.start(mount);
        done.add("added " + m.path());
      } else if (!old.equals(m)) {
        Mount mount = mounts.get(m.path());
        boolean swarmChanged = SwarmMounts.changed(old, m);
        if (swarmChanged) {
          swarm.stop(m.path());
          mount.swarm().clear();
        }
        mount.reconfigure(m);
        SourceMounts.applyProperties(mount);
        stopClient(m.path());
        startClient(mount);
        if (swarmChanged) {
          swarm.start(mount);
        }
        done.add("changed " + m.path());
      }
    }
    config = next;
    return done;
  }

  private void startClient(Mount mount) {
    if (mount.settings().playlist() != null) {
      try {
        playlists.put(mount.path(), PlaylistSource.start(mount, group.next()));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    if (!mount.settings().upstreams().isEmpty() && !mount.settings().swarmPeer()) {
      UpstreamClient c = new UpstreamClient(mount, group.next(), clientSsl, limits);
      upstreams.put(mount.path(), c);
      c.start();
    }
  }

  private void stopClient(String path) {
    PlaylistSource p = playlists.remove(path);
    if (p != null) {
      p.close();
    }
    UpstreamClient c = upstreams.remove(path);
    if (c != null) {
      c.close();
    }
  }

  /** Blocks until {@link #close()} is called. */
  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    swarm.close();
    if (mapping != null) {
      mapping.close();
    }
    upstreams.values().forEach(UpstreamClient::close);
    playlists.values().forEach(PlaylistSource::close);
    if (shoutcast != null) {
      shoutcast.close();
    }
    server.close();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    stopped.countDown();
  }
}
