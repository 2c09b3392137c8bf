package dev.floe.proxy.hls;

import dev.floe.buffer.Chunk;
import dev.floe.buffer.Cursor;
import dev.floe.buffer.LappedException;
import dev.floe.buffer.StreamBuffer;
import dev.floe.proxy.mount.Segment;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One mount's HLS segments, kept up to date from its back buffer: each call reads only the chunks
 * appended since the last one through the {@link Segmenter}, and forgets segments whose first
 * byte has left the buffer. A new segment of the mount (a new epoch, a gap) starts it over.
 * Thread-safe: requests of any event loop share it under its lock; the work per call is the new
 * chunks only. It holds the mount's run weakly and the segments as positions, so it never keeps a
 * released back buffer in memory.
 */
public final class SegmentIndex {
  /** The segments of one run of the stream, oldest first, all of whose bytes were held. */
  public record Snapshot(Segment run, List<Segmenter.Segment> segments) {}

  /** Weak: a mount that forgot its stream gives the buffer's memory back, this index too. */
  private WeakReference<Segment> run = new WeakReference<>(null);
  private Segmenter segmenter;
  private long next;
  private final ArrayDeque<Segmenter.Segment> segments = new ArrayDeque<>();
  private final List<Segmenter.Segment> fresh = new ArrayList<>();

  /**
   * The complete segments of {@code run} held now.
   *
   * @param announcedBytesPerSecond the stream's announced byte rate, 0 for none
   */
  public synchronized Snapshot update(Segment run, long announcedBytesPerSecond) {
    if (run != this.run.get() || !segmenter.announced(announcedBytesPerSecond)) {
      this.run = new WeakReference<>(run);
      segmenter = new Segmenter(announcedBytesPerSecond);
      segments.clear();
      next = run.buffer().oldest();
    }
    StreamBuffer buffer = run.buffer();
    Cursor c = buffer.open(next);
    try {
      for (Chunk chunk = c.next(); chunk != null; chunk = c.next()) {
        segmenter.feed(chunk.start(), chunk.data(), chunk.metadata().title(),
            chunk.appendedNanos(), fresh);
        next = chunk.end();
      }
    } catch (LappedException e) {
      // evicted while read: the next call reads on from the oldest chunk (the segmenter restarts)
      next = buffer.oldest();
    }
    segments.addAll(fresh);
    fresh.clear();
    long oldest = buffer.oldest();
    while (!segments.isEmpty() && segments.peekFirst().start() < oldest) {
      segments.removeFirst();
    }
    return new Snapshot(run, List.copyOf(segments));
  }

  /**
   * The bytes of {@code s} from {@code buffer}, or null when they are no longer all held.
   */
  public static ByteBuffer read(StreamBuffer buffer, Segmenter.Segment s) {
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(s.length()));
    Cursor c = buffer.open(s.firstChunk());
    if (c.position() > s.start()) {
      return null;
    }
    try {
      while (out.hasRemaining()) {
        Chunk chunk = c.next();
        if (chunk == null) {
          return null;
        }
        ByteBuffer d = chunk.data();
        long from = Math.max(s.start(), chunk.start());
        long to = Math.min(s.end(), chunk.end());
        if (from < to) {
          d.position((int) (from - chunk.start())).limit((int) (to - chunk.start()));
          out.put(d);
        }
      }
    } catch (LappedException e) {
      return null;
    }
    return out.flip();
  }
}
