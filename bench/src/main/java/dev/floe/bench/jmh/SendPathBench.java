package dev.floe.bench.jmh;

import dev.floe.swarm.chunk.Chunk;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.wire.Frame;
import dev.floe.swarm.wire.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The swarm's send path: one verified chunk (16,000 bytes, 1 s at 128 kbit/s) framed and written
 * to {@code partners} connections, as {@code node.Connection.send} does, into {@link
 * EmbeddedChannel}s whose written buffers are taken and released. Run with {@code -prof gc}:
 * {@code gc.alloc.rate.norm} divided by {@code partners} is the heap allocated per chunk per
 * partner. The NIO transport's copy of a heap buffer into direct memory on each write is not in
 * this figure (an EmbeddedChannel does not make it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SendPathBench {
  @Param("8")
  int partners;

  @Param("16000")
  int payload;

  private Chunk chunk;
  private EmbeddedChannel[] channels;

  @Setup
  public void setup() {
    chunk = Chunk.sign(OriginKey.generate(), 1, 1000, 16_000_000, System.currentTimeMillis(),
        1_000_000, 0, new byte[payload]);
    channels = new EmbeddedChannel[partners];
    for (int i = 0; i < partners; i++) {
      channels[i] = new EmbeddedChannel();
    }
  }

  @TearDown
  public void tearDown() {
    for (EmbeddedChannel ch : channels) {
      ch.finishAndReleaseAll();
    }
  }

  /** One chunk to every partner: frame it, write it, and take each written buffer back. */
  @Benchmark
  public long chunkToPartners() {
    for (EmbeddedChannel ch : channels) {
      ch.writeAndFlush(Unpooled.wrappedBuffer(FrameEncoder.encode(new Frame.ChunkData(chunk))));
    }
    return drain();
  }

  private long drain() {
    long bytes = 0;
    for (EmbeddedChannel ch : channels) {
      ByteBuf out;
      while ((out = ch.readOutbound()) != null) {
        bytes += out.readableBytes();
        out.release();
      }
    }
    return bytes;
  }
}
