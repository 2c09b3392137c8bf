package dev.floe.bench.jmh;

import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.wire.Frame;
import dev.floe.swarm.wire.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
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
 * to {@code partners} connections into {@link EmbeddedChannel}s whose written buffers are taken
 * and released, as {@code node.ChunkStore.frame} and {@code node.Connection.send} do (both are
 * package-private, so the bench repeats their few lines): the frame is encoded once into a pooled
 * direct buffer, each partner is written a retained duplicate, and the store's reference is
 * released when the chunk leaves the window (here, at the end of the operation). Run with {@code
 * -prof gc}: {@code gc.alloc.rate.norm} divided by {@code partners} is the heap allocated per
 * chunk per partner. Before this send path (commit 2ab5b7f) each partner got its own heap
 * encoding, which the NIO transport then also copied into direct memory on write (a copy an
 * EmbeddedChannel does not make, so it is not in the figure).
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

  private SignedChunk chunk;
  private EmbeddedChannel[] channels;

  @Setup
  public void setup() {
    chunk = SignedChunk.sign(OriginKey.generate(), 1, 1000, 16_000_000, System.currentTimeMillis(),
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

  /** One chunk to every partner: frame it once, write it to each, take each write back. */
  @Benchmark
  public long chunkToPartners() {
    Frame f = new Frame.ChunkData(chunk);
    int size = FrameEncoder.size(f);
    ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(size, size);
    FrameEncoder.encode(f, frame.nioBuffer(0, size));
    frame.writerIndex(size);
    for (EmbeddedChannel ch : channels) {
      ch.writeAndFlush(frame.retainedDuplicate());
    }
    frame.release();
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
