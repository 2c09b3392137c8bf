package dev.floe.buffer;

import dev.floe.icy.meta.IcyMetadata;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * A back buffer of immutable {@link Chunk}s addressed by absolute stream position: one writer, any
 * number of lock-free readers, each with its own {@link Cursor} (Disruptor style).
 *
 * <p>Positions count audio bytes from the stream's start (from {@code firstPosition}); they never
 * repeat. Chunks are contiguous: each chunk starts where the previous one ended.
 *
 * <p><b>Writer.</b> {@link #append} and {@link #evictExpired} must be called from one thread at a
 * time (the upstream's event loop). The writer never waits for readers: it publishes the chunk,
 * then evicts the oldest chunks while more than {@code maxBytes} are held or, with an age limit,
 * while the oldest chunk is older than {@code maxAge}. The newest chunk is always kept, so a single
 * chunk larger than {@code maxBytes} is held alone.
 *
 * <p><b>Readers.</b> Every other method is safe from any thread and takes no lock. A reader that
 * falls so far behind that its next chunk was evicted gets a {@link LappedException} from {@link
 * Cursor#next()}: nothing is skipped silently.
 *
 * <p><b>Ring.</b> Chunks sit in a ring of slots indexed by {@code sequence & (slots - 1)}. It
 * starts with {@value #INITIAL_SLOTS} slots and the writer doubles it (copying the live references,
 * then publishing the new array) whenever it would hold more live chunks than slots, so the byte
 * and age limits alone decide what is kept, whatever the chunk size. The ring never shrinks; it
 * holds at most 2^30 slots. Evicted slots are cleared at once, so the memory of evicted chunks is
 * freed as soon as no reader holds them. Three volatile fields carry the state: the published
 * (newest) sequence, the oldest held sequence and the ring array. A reader checks that the slot
 * holds the sequence it expects, and that this sequence is not older than the oldest held one.
 */
public final class StreamBuffer {
  /** Slots of a new ring. */
  static final int INITIAL_SLOTS = 64;

  private static final int MAX_SLOTS = 1 << 30;

  private final BufferLimits limits;
  private final LongSupplier nanoClock;
  private final long firstPosition;

  // Shared state: written by the writer only, read by anyone.
  private volatile AtomicReferenceArray<Chunk> ring;
  private volatile long publishedSeq = -1;
  private volatile long oldestSeq;
  private volatile long oldestPos;
  private volatile long newestPos;
  private volatile long heldBytes;

  // The writer's own copies, so that it never reads a volatile it wrote itself.
  private AtomicReferenceArray<Chunk> wRing;
  private long wPublished = -1;
  private long wOldest;
  private long wNewest;
  private long wBytes;

  /** A buffer whose positions start at 0, timed by {@link System#nanoTime()}. */
  public StreamBuffer(BufferLimits limits) {
    this(limits, System::nanoTime, 0);
  }

  /**
   * @param nanoClock gives {@link Chunk#appendedNanos()} and the "now" of age eviction
   * @param firstPosition the position of the first byte ever appended (not negative)
   */
  public StreamBuffer(BufferLimits limits, LongSupplier nanoClock, long firstPosition) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    if (firstPosition < 0) {
      throw new IllegalArgumentException("firstPosition must be >= 0: " + firstPosition);
    }
    this.firstPosition = firstPosition;
    this.wRing = new AtomicReferenceArray<>(INITIAL_SLOTS);
    this.ring = wRing;
    this.wNewest = firstPosition;
    this.newestPos = firstPosition;
    this.oldestPos = firstPosition;
  }

  public BufferLimits limits() {
    return limits;
  }

  // ---------------------------------------------------------------- writer

  /**
   * Copies the remaining bytes of {@code data} (its position is not changed) into a new direct
   * buffer, publishes them as the next chunk, then evicts. Writer thread only.
   *
   * @param meta the ICY metadata in force at the chunk's first byte
   * @param header the Ogg header pages in force for this chunk, or null
   * @return the published chunk
   * @throws IllegalArgumentException when {@code data} has no remaining bytes
   */
  public Chunk append(ByteBuffer data, IcyMetadata meta, StreamHeader header) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(meta, "meta");
    int length = data.remaining();
    if (length == 0) {
      throw new IllegalArgumentException("empty chunk");
    }
    ByteBuffer copy = ByteBuffer.allocateDirect(length);
    copy.put(data.duplicate());
    copy.flip();

    long seq = wPublished + 1;
    long now = nanoClock.getAsLong();
    Chunk chunk = new Chunk(seq, wNewest, copy.asReadOnlyBuffer(), meta, header, now);

    AtomicReferenceArray<Chunk> r = wRing;
    if (seq - wOldest >= r.length()) {
      r = grow(r);
    }
    r.setRelease(slot(seq, r), chunk);
    wNewest = chunk.end();
    newestPos = wNewest;
    wBytes += length;
    heldBytes = wBytes;
    wPublished = seq;
    publishedSeq = seq;

    evict(now);
    return chunk;
  }

  /**
   * Evicts chunks that are past the age limit now, without appending (the newest chunk stays).
   * Age eviction otherwise only happens on {@link #append}, so a writer whose upstream has stalled
   * may call this from a timer. Writer thread only.
   */
  public void evictExpired() {
    if (wPublished >= 0) {
      evict(nanoClock.getAsLong());
    }
  }

  private void evict(long now) {
    AtomicReferenceArray<Chunk> r = wRing;
    long maxAge = limits.maxAgeNanos();
    while (wOldest < wPublished) {
      int slot = slot(wOldest, r);
      Chunk oldest = r.get(slot);
      boolean overBytes = wBytes > limits.maxBytes();
      boolean overAge = maxAge > 0 && now - oldest.appendedNanos() > maxAge;
      if (!overBytes && !overAge) {
        break;
      }
      // Order matters: a reader that sees the new oldest sequence also sees the new oldest
      // position; a reader that sees the cleared slot also sees the new oldest sequence.
      oldestPos = oldest.end();
      wOldest++;
      oldestSeq = wOldest;
      r.setRelease(slot, null);
      wBytes -= oldest.length();
      heldBytes = wBytes;
    }
  }

  private AtomicReferenceArray<Chunk> grow(AtomicReferenceArray<Chunk> r) {
    if (r.length() >= MAX_SLOTS) {
      throw new IllegalStateException("ring full: " + r.length() + " chunks held");
    }
    AtomicReferenceArray<Chunk> g = new AtomicReferenceArray<>(r.length() * 2);
    for (long s = wOldest; s <= wPublished; s++) {
      g.set(slot(s, g), r.get(slot(s, r)));
    }
    wRing = g;
    ring = g;
    return g;
  }

  private static int slot(long seq, AtomicReferenceArray<Chunk> r) {
    return (int) (seq & (r.length() - 1));
  }

  // ---------------------------------------------------------------- readers

  /** Start of the oldest held chunk; equals {@link #newest()} when the buffer is empty. */
  public long oldest() {
    return oldestPos;
  }

  /** End of the newest chunk: the position the next appended byte will have. */
  public long newest() {
    return newestPos;
  }

  /** Chunks held now. */
  public int chunkCount() {
    long old = oldestSeq;
    long pub = publishedSeq;
    return (int) Math.max(0, pub - old + 1);
  }

  /** Audio bytes held now. */
  public long bytes() {
    return heldBytes;
  }

  /** The newest chunk, or null when nothing was appended yet. */
  public Chunk latest() {
    for (; ; ) {
      long pub = publishedSeq;
      if (pub < 0) {
        return null;
      }
      Chunk c = get(ring, pub);
      if (c != null) {
        return c;
      }
      // The writer appended and evicted past it meanwhile: look again.
    }
  }

  /**
   * A cursor at the chunk boundary at or before {@code position}, which is first clamped to
   * [{@link #oldest()}, {@link #newest()}]. At {@code newest()} the cursor waits for the next chunk.
   * Opening is lock-free; if the chunk found is evicted right after, the cursor's first {@link
   * Cursor#next()} throws {@link LappedException}.
   */
  public Cursor open(long position) {
    for (; ; ) {
      long pub = publishedSeq;
      if (pub < 0) {
        return new Cursor(this, 0, firstPosition);
      }
      AtomicReferenceArray<Chunk> r = ring;
      Chunk newestChunk = get(r, pub);
      if (newestChunk == null) {
        continue;
      }
      if (position >= newestChunk.end()) {
        return new Cursor(this, pub + 1, newestChunk.end());
      }
      long old = oldestSeq;
      Chunk oldestChunk = get(r, old);
      if (oldestChunk == null) {
        continue;
      }
      if (position <= oldestChunk.start()) {
        return new Cursor(this, old, oldestChunk.start());
      }
      // Largest sequence in [old, pub] whose chunk starts at or before position.
      long lo = old;
      long hi = pub;
      boolean evicted = false;
      while (lo < hi) {
        long mid = (lo + hi + 1) >>> 1;
        Chunk m = get(r, mid);
        if (m == null) {
          evicted = true;
          break;
        }
        if (m.start() <= position) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      Chunk found = evicted ? null : get(r, lo);
      if (found != null) {
        return new Cursor(this, lo, found.start());
      }
      // Chunks were evicted under us: clamp again.
    }
  }

  /**
   * {@code open(newest() - bytes)}: burst-on-connect and resume are the same operation. {@code
   * bytes <= 0} waits for the next chunk.
   */
  public Cursor openBehindLive(long bytes) {
    long newest = newest();
    long target = bytes <= 0 ? newest : (bytes > newest ? Long.MIN_VALUE : newest - bytes);
    return open(target);
  }

  /**
   * The chunk with sequence {@code seq} for a cursor at {@code wantedPos}, or null when it is not
   * published yet.
   */
  Chunk read(long seq, long wantedPos) throws LappedException {
    if (seq > publishedSeq) {
      return null;
    }
    AtomicReferenceArray<Chunk> r = ring;
    Chunk c = r.getAcquire(slot(seq, r));
    // Read after the slot: a cleared or reused slot implies a larger oldest sequence.
    if (seq < oldestSeq) {
      throw new LappedException(wantedPos, oldestPos);
    }
    if (c == null || c.sequence() != seq) {
      throw new IllegalStateException("chunk " + seq + " missing from the ring, found " + c);
    }
    return c;
  }

  private static Chunk get(AtomicReferenceArray<Chunk> r, long seq) {
    Chunk c = r.getAcquire(slot(seq, r));
    return c != null && c.sequence() == seq ? c : null;
  }

  /** Slots in the ring now (for tests and monitoring). */
  int slots() {
    return ring.length();
  }

  @Override
  public String toString() {
    return "StreamBuffer[" + oldest() + ".." + newest() + ", " + chunkCount() + " chunks, " + bytes()
        + " bytes]";
  }
}
