package dev.floe.proxy.hls;

import dev.floe.buffer.frame.MpegHeaders;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Which frames make which HLS segment: a pure state machine fed a mount's chunks in stream order.
 *
 * <h2>The cut rule</h2>
 *
 * Segments are cut on a lattice of stream positions: segment {@code k} starts at the first frame
 * that starts at or after position {@code k * grid} and ends where segment {@code k + 1} starts.
 * Positions are the origin's (the same on every node relaying the stream, {@code
 * docs/protocol.md}) and frame starts follow from the bytes, so the cut points depend on the
 * stream only: not on where a node joined, how its chunks were cut or when it started. A node
 * knows a segment once it holds the frame before the segment's start (to see that the lattice
 * point is crossed there), or the bytes from the lattice point on (a stream's first segment,
 * from position 0), and the frame that starts the next one; the last segment of the buffer,
 * still growing, is not emitted.
 *
 * <p>{@link #grid} is the power of two nearest to {@value #TARGET_SECONDS} s of the stream, so
 * segments last between 2.8 and 5.7 s: long enough that a player's three-segment lead is about
 * 12 s and a playlist of an hour's buffer is under 1,000 lines, short enough that a player
 * starts within a segment or two of the live edge. The byte rate it is taken from is the
 * announced bitrate ({@code icy-br}, {@code ice-audio-info}) when there is one, else the
 * bitrate in the first MPEG audio header seen (the same in every frame of a constant bitrate
 * stream), else 16,000 B/s (128 kbit/s). The same rate turns a position into the segment's
 * timestamp ({@link Segment#timestamp90k}).
 *
 * <h2>Frames</h2>
 *
 * Chunks hold whole frames, perhaps after bytes that are none (an ID3 tag from the source,
 * garbage): a frame is a valid MPEG audio or ADTS header whose frame fits the chunk and is
 * followed by another valid header or the chunk's end; other bytes are skipped one at a time and
 * stay in the segment they fall in. A chunk that does not continue the previous one (a new
 * segment of the mount's buffer, an evicted chunk) starts over.
 */
public final class Segmenter {
  /** The segment length aimed at, in seconds of audio. */
  public static final int TARGET_SECONDS = 4;

  /** The byte rate assumed without an announced bitrate or an MPEG audio header. */
  static final long DEFAULT_BYTES_PER_SECOND = 16_000;

  /**
   * One complete segment.
   *
   * @param start the stream position of its first frame
   * @param end the position where the next segment starts
   * @param firstChunk the start of the chunk holding {@code start} (where to read from)
   * @param nanos the duration of its frames, in nanoseconds
   * @param title the title in force at {@code start}, possibly empty
   * @param appendedNanos when the chunk holding {@code start} was appended ({@code nanoTime})
   * @param grid the lattice step it was cut on
   * @param bytesPerSecond the rate its timestamp is computed with
   */
  public record Segment(long start, long end, long firstChunk, long nanos, String title,
      long appendedNanos, long grid, long bytesPerSecond) {

    /** Its sequence number: the lattice point it starts at. */
    public long sequence() {
      return start / grid;
    }

    /** Its duration in seconds. */
    public double seconds() {
      return nanos / 1e9;
    }

    /** The 90 kHz timestamp of its first sample: its position at the stream's byte rate. */
    public long timestamp90k() {
      return start * 90_000L / bytesPerSecond; // overflows after 10^14 bytes: 200 years
    }

    public long length() {
      return end - start;
    }
  }

  private final long announcedBytesPerSecond;
  private long bytesPerSecond;
  private long grid;
  private long expected = -1;
  private long previousFrame = -1;
  private long previousEnd = -1;
  private long restartedAt = -1;
  private boolean startNow;
  private long currentStart = -1;
  private long currentChunk;
  private long currentNanos;
  private String currentTitle;
  private long currentAppended;
  private byte[] scratch = new byte[0];

  /**
   * @param announcedBytesPerSecond the stream's announced byte rate, or 0 when it announced none
   */
  public Segmenter(long announcedBytesPerSecond) {
    this.announcedBytesPerSecond = announcedBytesPerSecond;
    if (announcedBytesPerSecond > 0) {
      rate(announcedBytesPerSecond);
    }
  }

  /** The power of two nearest to {@link #TARGET_SECONDS} of a stream of this byte rate. */
  public static long grid(long bytesPerSecond) {
    long target = Math.max(4096, TARGET_SECONDS * bytesPerSecond);
    long lower = Long.highestOneBit(target);
    return target >= lower * Math.sqrt(2) ? lower << 1 : lower;
  }

  /** The lattice step, or 0 until the rate is known (the first frame). */
  public long grid() {
    return grid;
  }

  /**
   * Feeds the chunk of {@code data} (from its position to its limit, not consumed) that starts at
   * stream position {@code position}, with the title in force at its first byte; segments
   * completed by it are added to {@code out}.
   */
  public void feed(long position, ByteBuffer data, String title, long appendedNanos,
      List<Segment> out) {
    if (position != expected) {
      previousFrame = -1;
      currentStart = -1;
      restartedAt = position;
    }
    int len = data.remaining();
    expected = position + len;
    if (scratch.length < len) {
      scratch = new byte[Math.max(len, 2 * scratch.length)];
    }
    data.duplicate().get(scratch, 0, len);
    int i = 0;
    while (i < len) {
      MpegHeaders.Frame f = MpegHeaders.frame(scratch, i, len - i);
      int next = f == null ? -1 : i + f.length();
      if (f == null || next > len || f.sampleRate() == 0
          || (next < len && MpegHeaders.frame(scratch, next, len - next) == null)) {
        i++; // not a frame: stays in whichever segment it falls in
        continue;
      }
      frame(position + i, f, position, title, appendedNanos, out);
      i = next;
    }
  }

  private void frame(long at, MpegHeaders.Frame f, long chunk, String title, long appended,
      List<Segment> out) {
    if (grid == 0) {
      rate(f.bitrateKbps() > 0 ? f.bitrateKbps() * 125L : DEFAULT_BYTES_PER_SECOND);
    }
    long lattice = at - Math.floorMod(at, grid);
    // Without the frame before, a frame starts a segment when it is on the lattice, or when
    // reading started on the lattice point before it (the stream's start: a run from position
    // 0 whose source sent an ID3 tag first): then it is the first frame at or after that point.
    boolean starts = startNow || (previousFrame < 0 ? lattice == at || lattice == restartedAt
        : lattice > previousFrame);
    startNow = false;
    if (starts) {
      if (currentStart >= 0) {
        out.add(new Segment(currentStart, at, currentChunk, currentNanos, currentTitle,
            currentAppended, grid, bytesPerSecond));
      }
      currentStart = at;
      currentChunk = chunk;
      currentNanos = 0;
      currentTitle = title == null ? "" : title;
      currentAppended = appended;
    }
    currentNanos += f.samples() * 1_000_000_000L / f.sampleRate();
    previousFrame = at;
    previousEnd = at + f.length();
  }

  /**
   * Makes the next frame fed start a segment wherever it is: for a segmenter that takes over
   * from another one mid-stream ({@link #flush}ed there), so that no audio is left out.
   */
  public void startAtNextFrame() {
    startNow = true;
  }

  /**
   * The stream ended (its source left, its run is over): adds the segment still growing, up to
   * the end of its last frame, to {@code out}, if it has one; the segmenter then starts over.
   */
  public void flush(List<Segment> out) {
    if (currentStart >= 0 && previousEnd > currentStart) {
      out.add(new Segment(currentStart, previousEnd, currentChunk, currentNanos, currentTitle,
          currentAppended, grid, bytesPerSecond));
    }
    currentStart = -1;
    previousFrame = -1;
    expected = -1;
  }

  private void rate(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
    this.grid = grid(bytesPerSecond);
  }

  /** The byte rate in use (0 until known). */
  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  /** Whether it was built for this announced rate (else the index makes a new one). */
  boolean announced(long announcedBytesPerSecond) {
    return this.announcedBytesPerSecond == announcedBytesPerSecond;
  }
}
