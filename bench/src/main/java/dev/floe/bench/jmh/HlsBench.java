package dev.floe.bench.jmh;

import dev.floe.buffer.BufferLimits;
import dev.floe.buffer.StreamBuffer;
import dev.floe.icy.meta.IcyMetadata;
import dev.floe.proxy.hls.MediaPlaylist;
import dev.floe.proxy.hls.SegmentIndex;
import dev.floe.proxy.mount.Segment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
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

/**
 * The HLS serving path per request, as {@code server.HlsEndpoint} runs it, on a mount whose back
 * buffer holds about four minutes of a 128 kbit/s MP3 stream (4 MiB, about 64 segments):
 * {@link #playlist}, a playlist request (the index brought up to date, one entry per segment,
 * the text rendered and encoded); {@link #playlistAfterNewChunk}, the same after one chunk came in
 * (the segmenter reads it, and every 8th chunk completes a segment, built and hashed: this
 * happens about twice a second whatever the number of players); {@link #segment}, a segment
 * request at the live edge (its body from the cache).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HlsBench {
  /** MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding, joint stereo: 417-byte frames. */
  private static final byte[] HEADER = {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, (byte) 0x64};
  private static final int FRAME = 417;
  private static final long BYTES_PER_SECOND = 16_000;

  private StreamBuffer buffer;
  private Segment run;
  private SegmentIndex index;
  private ByteBuffer chunk;
  private final IcyMetadata meta = IcyMetadata.of("Artist - Title", null);

  @Setup
  public void setup() {
    buffer = new StreamBuffer(BufferLimits.ofBytes(4L * 1024 * 1024));
    // 19 whole frames per chunk (7,923 bytes), as a source's chunks hold whole frames
    chunk = ByteBuffer.allocate(19 * FRAME);
    for (int f = 0; f < 19; f++) {
      chunk.put(f * FRAME, HEADER);
    }
    run = new Segment("3f2a9c0d11e8b7a4", buffer, true);
    index = new SegmentIndex();
    // fill the buffer past its size, so it holds a full window and evicts as it goes
    for (int i = 0; i < 700; i++) {
      buffer.append(chunk.duplicate(), meta, null);
    }
    index.update(run, BYTES_PER_SECOND, ".mp3", System.nanoTime());
  }

  /** One playlist request with no new chunk since the previous one. */
  @Benchmark
  public byte[] playlist() {
    return render(index.update(run, BYTES_PER_SECOND, ".mp3", System.nanoTime()));
  }

  /** One chunk appended (the writer's work, twice a second), then one playlist request. */
  @Benchmark
  public byte[] playlistAfterNewChunk() {
    buffer.append(chunk.duplicate(), meta, null);
    return render(index.update(run, BYTES_PER_SECOND, ".mp3", System.nanoTime()));
  }

  /** One segment request at the live edge: the snapshot and the newest segment's body. */
  @Benchmark
  public byte[] segment() {
    SegmentIndex.Snapshot snap = index.update(run, BYTES_PER_SECOND, ".mp3", System.nanoTime());
    List<SegmentIndex.Listed> l = snap.listed();
    return index.body(snap, l.get(l.size() - 1));
  }

  /** What HlsEndpoint.playlist does with a snapshot: the text and its bytes. */
  private static byte[] render(SegmentIndex.Snapshot snap) {
    return MediaPlaylist.render(snap, "live.hls/", Instant.now(), System.nanoTime())
        .getBytes(StandardCharsets.UTF_8);
  }
}
