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
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one listening port: every connection (player, status request, and in later issues source
 * and peer) starts in a {@link FrontHandler}.
 */
public final class FrontServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FrontServer.class);

  /** Per-connection outbound bounds: above the high mark a listener's drain pauses. */
  private static final WriteBufferWaterMark WATER_MARK =
      new WriteBufferWaterMark(32 * 1024, 128 * 1024);

  /** Kernel send buffer per connection (Linux doubles it): a few seconds of a typical stream. */
  static final int SEND_BUFFER = 64 * 1024;

  private final Channel serverChannel;
  private final AtomicInteger connections = new AtomicInteger();

  public FrontServer(ServerSettings settings, MountRegistry mounts, EventLoopGroup group)
      throws InterruptedException {
    Router router = new Router(settings, mounts);
    HeadLimits limits = new HeadLimits(settings.maxLineBytes(), settings.maxHeaders(),
        settings.maxHeadBytes());
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
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            int now = connections.incrementAndGet();
            ch.closeFuture().addListener(f -> connections.decrementAndGet());
            if (now > settings.maxClients()) {
              log.warn("{}: refused, {} connections already (max-clients)", Router.remote(ch),
                  now - 1);
              // icecast2 2.4's client_send_403, sent before reading the request.
              router.responses().send(ch, 403, "Forbidden", "text/plain; charset=utf-8",
                  "Icecast connection limit reached".getBytes(StandardCharsets.UTF_8), false);
              return;
            }
            ch.pipeline().addLast("front", new FrontHandler(router, limits,
                settings.headerTimeout()));
          }
        });
    serverChannel = b.bind(settings.bind(), settings.port()).sync().channel();
    router.boundPort(port());
    router.connections(connections::get);
  }

  /** The port actually bound (useful when configured as 0). */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Open connections on the port. */
  public int connections() {
    return connections.get();
  }

  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
  }
}
