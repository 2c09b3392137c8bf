package dev.floe.proxy.server;

import dev.floe.icy.head.HeadLimits;
import dev.floe.proxy.config.ServerSettings;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one listening port: every connection (player, status request, and in later issues source
 * and peer) starts in a {@link FrontHandler}.
 */
public final class FrontServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FrontServer.class);

  /** Kernel send buffer per connection (Linux doubles it): a few seconds of a typical stream. */
  static final int SEND_BUFFER = 64 * 1024;

  private final Channel serverChannel;
  private final ConnectionLimiter limiter;

  public FrontServer(ServerSettings settings, MountRegistry mounts, EventLoopGroup group)
      throws InterruptedException {
    Router router = new Router(settings, mounts);
    HeadLimits limits = new HeadLimits(settings.maxLineBytes(), settings.maxHeaders(),
        settings.maxHeadBytes());
    limiter = new ConnectionLimiter(settings.maxClients(), settings.limits(), router.refusals());
    // Per-connection outbound bounds: above the high mark a listener's drain pauses.
    int high = settings.limits().listenerWriteBuffer();
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        // icecast2 listens with a backlog of 5; a burst of players must not be refused.
        .option(ChannelOption.SO_BACKLOG, 4096)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // A fixed send buffer stops the kernel from autotuning it to megabytes, which would hide
        // a stuck listener's lag from max-lag for minutes.
        .childOption(ChannelOption.SO_SNDBUF, SEND_BUFFER)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(high / 4, high))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (!limiter.admit(ch, router.responses())) {
              return;
            }
            ch.pipeline().addLast("front", new FrontHandler(router, limits,
                settings.headerTimeout(), settings.idleTimeout()));
          }
        });
    serverChannel = b.bind(settings.bind(), settings.port()).sync().channel();
    router.boundPort(port());
    router.connections(limiter::connections);
  }

  /** The port actually bound (useful when configured as 0). */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Open connections on the port. */
  public int connections() {
    return limiter.connections();
  }

  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
  }
}
