package dev.floe.bench.jmh;

import dev.floe.buffer.BufferLimits;
import dev.floe.buffer.Chunk;
import dev.floe.buffer.Cursor;
import dev.floe.buffer.LappedException;
import dev.floe.buffer.StreamBuffer;
import dev.floe.icy.meta.IcyMetadata;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The back buffer's hot paths: one writer appending 8 KiB chunks, a reader taking them, and a
 * new listener opening a cursor 64 KiB behind live (the burst).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BufferBench {
  private StreamBuffer buffer;
  private ByteBuffer frames;
  private Cursor cursor;
  private final IcyMetadata meta = IcyMetadata.of("Artist - Title", null);

  @Setup
  public void setup() {
    buffer = new StreamBuffer(BufferLimits.ofBytes(4L * 1024 * 1024));
    frames = ByteBuffer.allocate(8192);
    for (int i = 0; i < 600; i++) {
      buffer.append(frames.duplicate(), meta, null);
    }
    cursor = buffer.openBehindLive(0);
  }

  /** Append one chunk and read it back through one cursor. */
  @Benchmark
  public Chunk appendAndRead() throws LappedException {
    buffer.append(frames.duplicate(), meta, null);
    return cursor.next();
  }

  /** Open a burst cursor and take the chunks of the burst (about 8 chunks). */
  @Benchmark
  public int openBurst(Blackhole bh) throws LappedException {
    Cursor c = buffer.openBehindLive(64 * 1024);
    int n = 0;
    for (Chunk ch = c.next(); ch != null; ch = c.next()) {
      bh.consume(ch.data());
      n++;
    }
    return n;
  }
}
