package dev.floe.bench.jmh;

import dev.floe.icy.meta.IcyMetadata;
import dev.floe.icy.meta.Interleaver;
import java.nio.ByteBuffer;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-listener cost of ICY interleaving for one 8 KiB chunk, the unit the proxy writes.
 *
 * <p>{@code plan} is what the proxy does (decide slice lengths, no copy); {@code copy} is the
 * copying API into a 64 KiB output buffer, for comparison.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InterleaverBench {
  @Param({"16000", "8192"})
  int metaint;

  private Interleaver interleaver;
  private ByteBuffer chunk;
  private ByteBuffer out;
  private IcyMetadata title;

  @Setup
  public void setup() {
    interleaver = new Interleaver(metaint);
    chunk = ByteBuffer.allocateDirect(8192);
    out = ByteBuffer.allocate(64 * 1024);
    title = IcyMetadata.of("Artist - Title", "http://example.org/");
    interleaver.metadata(title);
  }

  /** Slices planned for one chunk, as ListenerSession does it. */
  @Benchmark
  public int plan(Blackhole bh) {
    int len = chunk.capacity();
    int off = 0;
    int slices = 0;
    while (off < len) {
      int n = Math.min(len - off, interleaver.audioUntilBlock());
      bh.consume(chunk.duplicate().position(off).limit(off + n).slice());
      interleaver.audioSent(n);
      off += n;
      slices++;
      if (interleaver.blockDue()) {
        bh.consume(interleaver.takeBlock());
      }
    }
    return slices;
  }

  /** The copying API for one chunk. */
  @Benchmark
  public int copy() {
    ByteBuffer in = chunk.duplicate();
    out.clear();
    int n = 0;
    while (in.hasRemaining()) {
      n += interleaver.write(in, out);
      if (!out.hasRemaining()) {
        out.clear();
      }
    }
    return n;
  }
}
