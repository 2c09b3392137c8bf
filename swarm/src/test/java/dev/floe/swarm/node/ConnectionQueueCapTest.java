package dev.floe.swarm.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.join.JoinAddress;
import dev.floe.swarm.schedule.SchedulerConfig;
import dev.floe.swarm.wire.FrameType;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A connection whose socket takes nothing holds at most {@link PeerLimits#queueBytes()} unsent:
 * the write that would pass the cap is refused and the connection marked slow (the node then
 * drops it as SLOW_READER); once the socket takes the bytes the count is back to zero.
 */
class ConnectionQueueCapTest {
  /** Holds every write unfinished, as a socket that takes nothing would. */
  private static final class Stuck extends ChannelOutboundHandlerAdapter {
    final List<Object> held = new ArrayList<>();
    final List<ChannelPromise> promises = new ArrayList<>();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      held.add(msg);
      promises.add(promise);
    }

    void release() {
      held.forEach(ReferenceCountUtil::release);
      promises.forEach(ChannelPromise::setSuccess);
      held.clear();
      promises.clear();
    }
  }

  @Test
  void unsentBytesStopAtTheConfiguredCap() {
    long cap = 20_000;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      OriginKey key = OriginKey.generate();
      SwarmNode node = SwarmNode.peer(new SwarmNode.Settings(SchedulerConfig.of(128, 512), 0,
          "127.0.0.1", new PeerLimits(FrameType.MAX_FRAME, 20, 64, cap)),
          new JoinAddress(false, "127.0.0.1", 9, "/live", key.channelKey()), group,
          new Recorder(key.channelKey()));
      Connection c = new Connection(Connection.Role.DIALED, node.runtime(), 0);
      Stuck stuck = new Stuck();
      EmbeddedChannel ch = new EmbeddedChannel(stuck);
      c.bind(ch);
      long accepted = 0;
      int refusedAt = -1;
      for (int i = 0; i < 100; i++) {
        if (!c.sendRaw(new byte[8000], 8000)) {
          refusedAt = i;
          break;
        }
        accepted += 8000;
      }
      assertThat(refusedAt).as("a write was refused").isEqualTo((int) (cap / 8000));
      assertThat(accepted).isLessThanOrEqualTo(cap);
      assertThat(c.queued()).isEqualTo(accepted);
      assertThat(c.slow).isTrue();
      stuck.release();
      assertThat(c.queued()).isZero();
      ch.finishAndReleaseAll();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
