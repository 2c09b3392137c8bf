package dev.floe.proxy.hls;

import dev.floe.buffer.Chunk;
import dev.floe.buffer.Cursor;
import dev.floe.buffer.LappedException;
import dev.floe.buffer.StreamBuffer;
import dev.floe.proxy.mount.Segment;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * One mount's HLS segments, kept up to date from its back buffer: each call reads only the chunks
 * appended since the last one through the {@link Segmenter}, and forgets segments whose first
 * byte has left the buffer. Thread-safe: requests of any event loop share it under its lock; the
 * work per call is the new chunks only. It holds the mount's run weakly and the segments as
 * positions, so it never keeps a released back buffer in memory.
 *
 * <p>Each segment is built once when it is complete ({@link #body}: its ID3 tag and its bytes)
 * and hashed: the playlist carries every listed segment's SHA-256, which browser peers check a
 * segment from another peer against before playing it. The bodies of the newest {@value
 * #CACHED} segments are kept (players fetch at the live edge, so a thousand HLS listeners cost
 * one copy each); an older one is built again from the buffer when asked.
 *
 * <h2>A new run: the source restarted</h2>
 *
 * A new run of the mount (a new epoch, or a gap) starts the segmenter over; its positions, and so
 * its segments' lattice numbers and ID3 timestamps, start again (from 0 for a new epoch). (A new
 * announced bitrate in the same run, so another grid and other timestamps, is treated alike, but
 * the new cuts go on from where the old ones ended.) For
 * players that reload the playlist, RFC 8216 wants media sequence numbers that only grow and a
 * discontinuity where timestamps restart (section 6.2.1), so the index numbers across runs:
 *
 * <ul>
 *   <li>a segment's media sequence number is its lattice number plus the run's base; the first
 *       run this index sees has base 0 (so nodes that saw the same run agree), a later run the
 *       base that makes its first segment follow the last one listed before;
 *   <li>every run after the first has the next discontinuity number; the playlist says {@code
 *       EXT-X-DISCONTINUITY} where it changes and {@code EXT-X-DISCONTINUITY-SEQUENCE};
 *   <li>the old run's last segments (those whose bodies are kept, about 40 s) stay listed, and
 *       served, until the new run has {@value #RETIRE_AFTER} segments of its own or for {@value
 *       #RETIRED_SECONDS} s while there is none: a player that was playing them finishes them and
 *       goes on across the discontinuity, and one reloading while the source is away still gets
 *       a playlist.
 * </ul>
 */
public final class SegmentIndex {
  /** How many segment bodies are kept built: about 40 s of the stream. */
  static final int CACHED = 10;

  /** A new run's segments after which the old run's are no longer listed. */
  static final int RETIRE_AFTER = 3;

  /** How long the old run's segments stay listed while no new run has any. */
  static final long RETIRED_SECONDS = 60;

  /**
   * One segment as the playlist lists it.
   *
   * @param segment where it is in its run
   * @param name its file name, {@code <epoch>-<start>-<tag>.<ext>} ({@link #name})
   * @param sequence its media sequence number
   * @param discontinuity its discontinuity sequence number (which run, counted from 0)
   * @param sha256 the SHA-256 of its body, lower-case hex
   */
  public record Listed(Segmenter.Segment segment, String name, long sequence,
      long discontinuity, String sha256) {}

  /**
   * What the playlist lists now, oldest first.
   *
   * @param run the current run, or null when the mount has none (only old segments are listed)
   * @param listed the segments, oldest first
   */
  public record Snapshot(Segment run, List<Listed> listed) {}

  /** An old run's segment, still listed, with its body (the run's buffer may be gone). */
  private record Retired(Listed listed, byte[] body) {}

  /** Weak: a mount that forgot its stream gives the buffer's memory back, this index too. */
  private WeakReference<Segment> run = new WeakReference<>(null);
  private Segmenter segmenter;
  private long next;
  private final ArrayDeque<Listed> segments = new ArrayDeque<>();
  private final List<Segmenter.Segment> fresh = new ArrayList<>();
  private final Map<Long, byte[]> bodies = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
      return size() > CACHED;
    }
  };
  private final ArrayDeque<Retired> retired = new ArrayDeque<>();
  private long retiredNanos;
  private boolean anyRun;
  private long discontinuity;
  /** The current run's sequence base, or -1 until its first segment. */
  private long base = -1;
  /** One more than the last sequence number listed so far. */
  private long nextSequence;
  private String extension = "";

  /**
   * The segments to list for the mount's current run {@code run} (null when the mount has no
   * stream now) at {@code nowNanos}.
   *
   * @param announcedBytesPerSecond the stream's announced byte rate, 0 for none
   * @param extension the segments' file name extension ({@code .mp3}, {@code .aac})
   */
  public synchronized Snapshot update(Segment run, long announcedBytesPerSecond,
      String extension, long nowNanos) {
    if (run != this.run.get() || (run == null) != (segmenter == null)
        || (run != null && !segmenter.announced(announcedBytesPerSecond))) {
      startRun(run, announcedBytesPerSecond, nowNanos);
    }
    if (run != null) {
      this.extension = extension;
      read(run);
    }
    if (!retired.isEmpty() && (segments.size() >= RETIRE_AFTER
        || (segments.isEmpty() && nowNanos - retiredNanos > RETIRED_SECONDS * 1_000_000_000L))) {
      retired.clear();
    }
    List<Listed> out = new ArrayList<>(retired.size() + segments.size());
    retired.forEach(r -> out.add(r.listed()));
    out.addAll(segments);
    return new Snapshot(run, List.copyOf(out));
  }

  /**
   * Ends the run read so far (its last, short segment is listed too, when its buffer is still
   * there), retires its segments that are built, and starts reading {@code run}.
   */
  private void startRun(Segment run, long announcedBytesPerSecond, long nowNanos) {
    if (segmenter != null) { // a run was read: its last built segments stay listed a while
      Segment old = this.run.get();
      if (old != null) {
        read(old);
        segmenter.flush(fresh);
        list(old, true);
      }
      for (Listed l : segments) {
        byte[] body = bodies.get(l.segment().start());
        if (body != null) {
          retired.add(new Retired(l, body));
        }
      }
      while (retired.size() > CACHED) {
        retired.removeFirst();
      }
      retiredNanos = nowNanos;
    }
    boolean same = run != null && run == this.run.get();
    segments.clear();
    bodies.clear();
    this.run = new WeakReference<>(run);
    if (run == null) {
      segmenter = null;
      return;
    }
    if (anyRun) {
      discontinuity++;
    }
    anyRun = true;
    base = -1;
    segmenter = new Segmenter(announcedBytesPerSecond);
    if (same) { // the same run at another announced rate: cut on from where the old cuts ended
      segmenter.startAtNextFrame();
    } else {
      next = run.buffer().oldest();
    }
  }

  private void read(Segment run) {
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
    list(run, false);
    long oldest = buffer.oldest();
    while (!segments.isEmpty() && segments.peekFirst().segment().start() < oldest) {
      bodies.remove(segments.removeFirst().segment().start());
    }
  }

  /**
   * Lists the segments the segmenter completed; {@code last}: the run's final one, whose name
   * also says where it ends (a node that got fewer of the run's last bytes lists another name).
   */
  private void list(Segment run, boolean last) {
    StreamBuffer buffer = run.buffer();
    for (Segmenter.Segment s : fresh) {
      if (!segments.isEmpty() && s.start() <= segments.peekLast().segment().start()) {
        continue; // read again after the segmenter restarted: listed already
      }
      byte[] body = build(buffer, s);
      if (body != null) {
        if (base < 0) {
          base = Math.max(0, nextSequence - s.start() / s.grid());
        }
        long sequence = base + s.start() / s.grid();
        String name = name(run.epoch(), s) + (last ? "-" + s.end() : "") + extension;
        segments.add(new Listed(s, name, sequence, discontinuity, DigestUtils.sha256Hex(body)));
        nextSequence = Math.max(nextSequence, sequence + 1);
        bodies.put(s.start(), body);
      }
    }
    fresh.clear();
  }

  /**
   * Whether this index holds nothing a player could still ask for: its run is gone (the mount
   * has no stream, or forgot the one read) and its old run's segments are no longer listed. Its
   * owner then drops it, so the segment bodies it keeps (about 10 of 64 KiB) do not outlive a
   * mount's stream: a station with a new mount every show keeps no HLS memory for old shows.
   */
  public synchronized boolean idle(long nowNanos) {
    return run.get() == null
        && (retired.isEmpty() || nowNanos - retiredNanos > RETIRED_SECONDS * 1_000_000_000L);
  }

  /**
   * What a player gets for {@code l} of {@code snap}: the ID3 tag ({@link Id3}) and the stream's
   * bytes; null when they are no longer all held. The array is shared: never write into it.
   */
  public synchronized byte[] body(Snapshot snap, Listed l) {
    for (Retired r : retired) {
      if (r.listed() == l) {
        return r.body();
      }
    }
    Segment current = run.get();
    boolean mine = snap.run() != null && snap.run() == current;
    byte[] body = mine ? bodies.get(l.segment().start()) : null;
    if (body == null && snap.run() != null) {
      body = build(snap.run().buffer(), l.segment());
      if (body != null && mine && segments.contains(l)) {
        bodies.put(l.segment().start(), body);
      }
    }
    return body;
  }

  /**
   * {@code <epoch>-<start>-<tag>}: the stream's epoch, the segment's position and a CRC-32 of the
   * title in its ID3 tag, so that a name pins the bytes exactly even where two nodes saw a title
   * change a few bytes apart.
   */
  public static String name(String epoch, Segmenter.Segment s) {
    CRC32 crc = new CRC32();
    crc.update(s.title().getBytes(StandardCharsets.UTF_8));
    return epoch + "-" + s.start() + "-" + String.format(Locale.ROOT, "%08x", crc.getValue());
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
