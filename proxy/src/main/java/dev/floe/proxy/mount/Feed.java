package dev.floe.proxy.mount;

import dev.floe.buffer.Chunk;
import dev.floe.buffer.Cursor;
import dev.floe.buffer.LappedException;
import dev.floe.buffer.StreamBuffer;
import dev.floe.buffer.frame.Chunker;
import dev.floe.buffer.frame.ContentKind;
import dev.floe.buffer.splice.SpliceMatcher;
import dev.floe.icy.meta.IcyMetadata;
import java.nio.ByteBuffer;

/**
 * The bytes of one upstream connection on their way into a {@link Mount}.
 *
 * <p>A feed knows the position of its next byte (from the upstream's {@code Floe-Position}), or
 * finds it by matching the mount's tail against its first bytes (a plain Icecast upstream: its
 * burst overlaps what the mount holds). Once it is the mount's active feed it skips what the mount
 * already holds and cuts the rest into frame-aligned chunks. A feed that is not active (a probe of
 * a higher-priority upstream) only positions itself: the bytes it received past its position
 * before it is activated are kept (in the order they came) and written on {@link #activate}, so a
 * switch to it continues the stream without a gap. Its caller activates or ends it as soon as it
 * is positioned ({@code UpstreamClient} switches in the same call), which bounds what it keeps.
 * Writer thread only.
 */
public final class Feed {
  /** What one {@link #audio} call decided about a splice. */
  public enum Splice { PENDING, FOUND, NOT_FOUND }

  private final Mount mount;
  private final String upstream;
  private final StreamInfo info;
  private final String epoch;
  private final Chunker chunker;
  private long next;
  private long target;
  private SpliceMatcher splice;
  private long spliceTailEnd;
  private boolean active;
  private boolean ended;
  private ByteBuffer held; // received past a known position before activation, or null

  Feed(Mount mount, String upstream, StreamInfo info, String epoch, long start,
      SpliceMatcher splice, long spliceTailEnd) {
    this.mount = mount;
    this.upstream = upstream;
    this.info = info;
    this.epoch = epoch;
    this.next = start;
    this.splice = splice;
    this.spliceTailEnd = spliceTailEnd;
    this.chunker = new Chunker(ContentKind.of(info.contentType()), Mount.MIN_CHUNK,
        Mount.MAX_CHUNK, mount::appendFrames);
  }

  public String upstream() {
    return upstream;
  }

  StreamInfo info() {
    return info;
  }

  /** The upstream's epoch, or null for an upstream without positions. */
  String epoch() {
    return epoch;
  }

  /** Position of the next incoming byte; meaningful once {@link #positioned()}. */
  long next() {
    return next;
  }

  /** Whether the position of the next byte is known (always, except while splicing). */
  public boolean positioned() {
    return splice == null;
  }

  boolean active() {
    return active;
  }

  /** Makes this the writing feed; bytes before {@code target} are already held. */
  void activate(long target) {
    this.target = target;
    this.active = true;
    ByteBuffer h = held;
    held = null;
    if (h != null) {
      accept(h);
    }
  }

  /** Audio from the connection, metadata stripped. Returns what it decided about a splice. */
  public Splice audio(ByteBuffer bytes) {
    if (splice == null) {
      accept(bytes);
      return Splice.PENDING;
    }
    SpliceMatcher.State s = splice.feed(bytes);
    return s == SpliceMatcher.State.SEARCHING ? Splice.PENDING : decide(s);
  }

  /** Ends a splice search (the burst is over): joins with a gap unless already matched. */
  public Splice finishSplice() {
    return splice == null ? Splice.PENDING : decide(splice.finish());
  }

  private Splice decide(SpliceMatcher.State s) {
    ByteBuffer rest = splice.takeRemainder();
    boolean found = s == SpliceMatcher.State.FOUND;
    splice = null;
    next = found ? spliceTailEnd : -1;
    if (active) {
      mount.spliced(this, found);
    }
    if (next < 0) {
      next = mount.newest(); // joined with a gap: the first byte gets the mount's next position
      target = next;
      chunker.dropUntilFrame();
    }
    accept(rest);
    return found ? Splice.FOUND : Splice.NOT_FOUND;
  }

  private void accept(ByteBuffer bytes) {
    if (next < 0 || !bytes.hasRemaining()) {
      return;
    }
    if (!active) {
      if (!ended) {
        hold(bytes);
      }
      return;
    }
    if (next < target) {
      int skip = (int) Math.min(bytes.remaining(), target - next);
      bytes.position(bytes.position() + skip);
      next += skip;
    }
    int n = bytes.remaining();
    if (n > 0) {
      chunker.feed(bytes, mount.metadata());
      next += n;
    }
  }

  /** Keeps bytes of a positioned feed that is not active yet, after those it keeps already. */
  private void hold(ByteBuffer bytes) {
    ByteBuffer h = held;
    if (h == null) {
      held = ByteBuffer.allocate(bytes.remaining()).put(bytes).flip();
    } else {
      held = ByteBuffer.allocate(h.remaining() + bytes.remaining()).put(h).put(bytes).flip();
    }
  }

  /** A metadata block from the connection. */
  public void metadata(IcyMetadata m) {
    if (active) {
      mount.metadata(m);
    }
  }

  /** Emits the complete frames staged so far. */
  void flush() {
    chunker.flush();
  }

  /** Deactivates: complete frames are kept, a partial one is dropped. */
  void end() {
    if (active) {
      chunker.flush();
    }
    active = false;
    ended = true;
    held = null;
  }

  /** A copy of the last {@code max} bytes of a buffer (fewer when it holds fewer). */
  static ByteBuffer tail(StreamBuffer b, int max) {
    ByteBuffer out = ByteBuffer.allocate(max);
    Cursor c = b.openBehindLive(max);
    long skip = Math.max(0, b.newest() - max - c.position());
    try {
      for (Chunk ch = c.next(); ch != null; ch = c.next()) {
        ByteBuffer d = ch.data();
        if (skip > 0) {
          int s = (int) Math.min(skip, d.remaining());
          d.position(s);
          skip -= s;
        }
        int n = Math.min(d.remaining(), out.remaining());
        out.put(d.limit(d.position() + n));
      }
    } catch (LappedException e) {
      // the writer is this thread: it cannot lap us here
    }
    return out.flip();
  }
}
