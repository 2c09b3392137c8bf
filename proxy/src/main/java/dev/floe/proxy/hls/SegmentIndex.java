package dev.floe.proxy.hls;

import dev.floe.buffer.Chunk;
import dev.floe.buffer.Cursor;
import dev.floe.buffer.LappedException;
import dev.floe.buffer.StreamBuffer;
import dev.floe.proxy.mount.Segment;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One mount's HLS segments, kept up to date from its back buffer: each call reads only the chunks
 * appended since the last one through the {@link Segmenter}, and forgets segments whose first
 * byte has left the buffer. A new segment of the mount (a new epoch, a gap) starts it over.
 * Thread-safe: requests of any event loop share it under its lock; the work per call is the new
 * chunks only. It holds the mount's run weakly and the segments as positions, so it never keeps a
 * released back buffer in memory.
 *
 * <p>Each segment is built once when it is complete ({@link #body}: its ID3 tag and its bytes)
 * and hashed: the playlist carries every listed segment's SHA-256, which browser peers check a
 * segment from another peer against before playing it. The bodies of the newest {@value
 * #CACHED} segments are kept (players fetch at the live edge, so a thousand HLS listeners cost
 * one copy each); an older one is built again from the buffer when asked.
 */
public final class SegmentIndex {
  /** How many segment bodies are kept built: about 40 s of the stream. */
  static final int CACHED = 10;

  /**
   * The segments of one run of the stream, oldest first, all of whose bytes were held.
   *
   * @param sha256 each segment's SHA-256 (lower-case hex) of its {@link #body}, by start position
   */
  public record Snapshot(Segment run, List<Segmenter.Segment> segments, Map<Long, String> sha256) {

    /** The SHA-256 of {@code s}'s body, in lower-case hex. */
    public String sha256(Segmenter.Segment s) {
      return sha256.get(s.start());
    }
  }

  /** Weak: a mount that forgot its stream gives the buffer's memory back, this index too. */
  private WeakReference<Segment> run = new WeakReference<>(null);
  private Segmenter segmenter;
  private long next;
  private final ArrayDeque<Segmenter.Segment> segments = new ArrayDeque<>();
  private final List<Segmenter.Segment> fresh = new ArrayList<>();
  private final Map<Long, String> hashes = new HashMap<>();
  private final Map<Long, byte[]> bodies = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
      return size() > CACHED;
    }
  };

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
      hashes.clear();
      bodies.clear();
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
    for (Segmenter.Segment s : fresh) {
      byte[] body = build(buffer, s);
      if (body != null) {
        segments.add(s);
        bodies.put(s.start(), body);
        hashes.put(s.start(), sha256(body));
      }
    }
    fresh.clear();
    long oldest = buffer.oldest();
    while (!segments.isEmpty() && segments.peekFirst().start() < oldest) {
      Segmenter.Segment gone = segments.removeFirst();
      hashes.remove(gone.start());
      bodies.remove(gone.start());
    }
    return new Snapshot(run, List.copyOf(segments), Map.copyOf(hashes));
  }

  /**
   * What a player gets for {@code s} of {@code snap}: the ID3 tag ({@link Id3}) and the stream's
   * bytes; null when they are no longer all held. The array is shared: never write into it.
   */
  public synchronized byte[] body(Snapshot snap, Segmenter.Segment s) {
    byte[] body = snap.run() == run.get() ? bodies.get(s.start()) : null;
    if (body == null) {
      body = build(snap.run().buffer(), s);
      if (body != null && snap.run() == run.get() && hashes.containsKey(s.start())) {
        bodies.put(s.start(), body);
      }
    }
    return body;
  }

  private static byte[] build(StreamBuffer buffer, Segmenter.Segment s) {
    ByteBuffer bytes = read(buffer, s);
    if (bytes == null) {
      return null;
    }
    byte[] tag = Id3.tag(s.timestamp90k(), s.title());
    byte[] body = new byte[tag.length + bytes.remaining()];
    System.arraycopy(tag, 0, body, 0, tag.length);
    bytes.get(body, tag.length, bytes.remaining());
    return body;
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
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
