package dev.floe.proxy.source;

import dev.floe.proxy.config.ServerSettings;
import dev.floe.proxy.mount.MountRegistry;
import dev.floe.proxy.server.Responses;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;

/**
 * The SHOUTcast v1 source port ({@code shoutcast-port}, usually the main port + 1), on the same
 * event-loop group as the main port. Each connection is a {@link ShoutcastHandshake}: a password
 * line, {@code OK2}, {@code icy-*} lines, then raw audio into {@code shoutcast-mount}.
 */
public final class ShoutcastServer implements AutoCloseable {
  private final Channel serverChannel;
  private final MountRegistry mounts;
  /** The settings and source ingest of new connections; a reload replaces them. */
  private volatile Current current;

  private record Current(ServerSettings server, SourceIngest ingest) {}

  /** Binds {@code server.bind()} at the SHOUTcast port. */
  public ShoutcastServer(ServerSettings server, MountRegistry mounts, EventLoopGroup group)
      throws InterruptedException {
    this.mounts = mounts;
    reload(server);
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            Current c = current;
            ch.pipeline().addLast("shoutcast", new ShoutcastHandshake(c.ingest(), c.server()));
          }
        });
    serverChannel = b.bind(server.bind(), server.sources().shoutcastPort()).sync().channel();
  }

  /**
   * Takes a reloaded configuration's server settings (passwords, the mount, head limits) for
   * connections accepted from now on; the port itself needs a restart.
   */
  public void reload(ServerSettings next) {
    current = new Current(next, new SourceIngest(next, mounts, new Responses(next)));
  }

  /** The port bound. */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
  }
}
