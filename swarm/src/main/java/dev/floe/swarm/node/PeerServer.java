package dev.floe.swarm.node;

import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.wire.PeerWire;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.function.Function;

/**
 * A listening socket for peer connections only: it sniffs the {@link PeerWire#MAGIC} and hands
 * each peer connection to {@link SwarmNode#adopt}; anything else is closed. For tests and for
 * nodes without an HTTP front (the proxy's front does the same on its HTTP port).
 */
public final class PeerServer implements AutoCloseable {
  private final Channel server;

  private PeerServer(Channel server) {
    this.server = server;
  }

  /**
   * Binds {@code host}:{@code port} (0: any free port) on {@code group} and routes connections
   * through {@code nodes}.
   *
   * @throws InterruptedException if interrupted while binding
   */
  public static PeerServer bind(EventLoopGroup group, String host, int port,
      Function<ChannelKey, SwarmNode> nodes) throws InterruptedException {
    ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast("floe-sniff", new Sniffer(nodes));
          }
        });
    return new PeerServer(b.bind(host, port).sync().channel());
  }

  /** The bound port. */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
  }

  private static final class Sniffer extends ChannelInboundHandlerAdapter {
    private final Function<ChannelKey, SwarmNode> nodes;
    private ByteBuf seen;

    Sniffer(Function<ChannelKey, SwarmNode> nodes) {
      this.nodes = nodes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      if (seen == null) {
        seen = ctx.alloc().buffer();
      }
      seen.writeBytes(in);
      in.release();
      switch (PeerWire.looksLikePeer(seen.nioBuffer())) {
        case PEER -> {
          ByteBuf all = seen;
          seen = null;
          ctx.pipeline().remove(this);
          SwarmNode.adopt(ctx.channel(), all, nodes);
        }
        case NOT_PEER -> {
          seen.release();
          seen = null;
          ctx.close();
        }
        default -> { }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (seen != null) {
        seen.release();
        seen = null;
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
