package dev.floe.buffer.frame;

import dev.floe.buffer.StreamHeader;
import dev.floe.icy.meta.IcyMetadata;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;

/**
 * Cuts an audio byte stream into frame-aligned chunks: a pure state machine with no threads, no
 * I/O and no clock. One thread at a time.
 *
 * <h2>Where it cuts</h2>
 *
 * A chunk is emitted as soon as at least {@code minChunkBytes} of complete frames are staged, cut
 * at that frame boundary; a chunk is never larger than {@code maxChunkBytes} (cut at the last
 * boundary under the max), except that a single frame larger than the max is emitted alone. So
 * chunks are the shortest run of whole frames of at least {@code minChunkBytes}, and the cuts
 * depend only on the bytes and the metadata, not on how the input was split into {@link #feed}
 * calls (only {@link #flush()} and {@link #end()} cut early).
 *
 * <ul>
 *   <li>{@link ContentKind#MPEG}: MPEG audio frame headers (MPEG 1/2/2.5, layers I-III, free
 *       format excepted) and AAC ADTS headers. A frame is accepted only when the header right after
 *       it also parses and belongs to the same stream (same version, layer and sample rate; for
 *       ADTS same id, profile and sample rate). The last frame staged is therefore accepted only
 *       when the next header arrives, or on {@link #flush()} (if the frame was reached by
 *       following accepted frames) or {@link #end()}. ID3v2 tags met while searching for a sync
 *       are skipped whole.
 *   <li>{@link ContentKind#OGG}: whole pages, each checked by its CRC. Header pages are not put
 *       into chunks but into a {@link StreamHeader} that is passed with every following chunk.
 *       For a stream of a known codec (Vorbis, Theora, Opus, Speex, FLAC: {@link OggHeaders})
 *       the header is the BOS page and the pages that carry the rest of its header packets; when
 *       the last header packet ends inside a page that goes on with audio (mpd after a tag
 *       change), that page is split: its header packets become a page of the header (granule
 *       0) and its audio packets a page of their own, with the page's granule, sequence number
 *       and EOS flag, emitted in its place. The header also carries the title of the stream's
 *       comment header ({@link OggComments}). For other codecs, and when the packets are not the
 *       codec's headers, the BOS page and the pages right after it whose granule position is 0
 *       are the header. A BOS page after audio pages (a chained stream) first flushes the staged
 *       pages with the old header, then starts a new header object. Several BOS pages in a row
 *       (a multiplexed stream) make one header, by the granule rule.
 *   <li>{@link ContentKind#OTHER}: any byte is a boundary, so chunks are exactly {@code
 *       minChunkBytes} long.
 * </ul>
 *
 * <h2>Bytes that are not frames</h2>
 *
 * ID3 tags and garbage are never dropped. They stay staged and go out at the front of the next
 * chunk, before its first frame (at the very start of a stream, the first chunk starts with them).
 * If they run longer than {@code maxChunkBytes}, they go out as they are, cut every {@code
 * maxChunkBytes}. A false sync in garbage (a header whose frame or an {@code OggS} whose page
 * runs past the bytes staged) holds cutting until that frame's length has arrived, at most one max
 * frame. In an Ogg stream, bytes between header pages go into the header. The
 * concatenation of everything emitted (for Ogg, each new header's bytes followed by its chunks)
 * equals the input exactly, except for an Ogg page split as above (the same packets, paged
 * anew).
 *
 * <h2>Metadata</h2>
 *
 * Every chunk carries the metadata in force at its first byte. When {@link #feed} brings metadata
 * different (by {@code equals}) from the previous bytes', the chunk being staged is cut at the
 * first frame boundary at or after the change, whatever its size: the frame during which the
 * metadata changed still belongs to the old metadata, and the next chunk starts with the new one.
 *
 * <h2>Memory</h2>
 *
 * One staging array, allocated up front and never grown: {@code maxChunkBytes} plus the longest
 * frame of the kind (8,191 bytes for MPEG/ADTS, 65,307 for an Ogg page) plus 8. Ogg header pages
 * are kept apart, up to {@value #MAX_HEADER_BYTES} bytes (more are handled as audio pages).
 *
 * <p>About 700 lines because it is one pure state machine over three framings (MPEG audio, ADTS,
 * Ogg pages) that share the cut rules (size, metadata changes, header pages); splitting it by
 * format would split those rules.
 */
public final class Chunker {

  /** Receives the chunks. */
  public interface Sink {
    /**
     * One chunk: whole frames (possibly led by bytes that are not frames), never empty.
     *
     * @param frames read-only and valid only during the call: copy what you keep
     * @param meta the metadata in force at the first byte; never null
     * @param header the Ogg header in force, or null (MPEG, OTHER, or no header seen yet)
     */
    void chunk(ByteBuffer frames, IcyMetadata meta, StreamHeader header);
  }

  /** Largest Ogg header kept apart; header pages beyond it are treated as audio pages. */
  public static final int MAX_HEADER_BYTES = 1 << 20;

  private static final int SLACK = 8;

  private static final byte[] ID3_MAGIC = {'I', 'D', '3'};

  private static final int NORMAL = 0;
  private static final int FLUSH = 1;
  private static final int END = 2;

  private final ContentKind kind;
  private final int minChunk;
  private final int maxChunk;
  private final Sink sink;

  // Staging: buf[head, tail) is staged; buf[0] is input byte number base.
  private final byte[] buf;
  private int head;
  private int tail;
  private long base;

  /** Largest position known to be a place where a chunk may end; >= head. */
  private int lastSafe;

  /** Largest safe position that ends a complete frame. */
  private int lastFrame;

  // Metadata: headMeta is in force at buf[head]; changes are pending, in input offsets > base+head.
  private IcyMetadata headMeta;
  private IcyMetadata fedMeta;
  private final ArrayDeque<Change> changes = new ArrayDeque<>();

  // Scanner: next position to examine (may lie past tail while skipping an ID3 tag).
  private int scan;
  private boolean synced;
  private long syncSignature;

  // Ogg headers.
  private StreamHeader header;
  private boolean collecting;
  /** The header packets of the stream being collected, when its codec is known; else null. */
  private OggHeaders packets;
  private int pagesSplit;
  private byte[] headerBytes = new byte[0];
  private int headerLength;

  private record Change(long position, IcyMetadata meta) {}

  /** Whether bytes before the next frame are to be discarded (see {@link #dropUntilFrame}). */
  private boolean dropUntilFrame;

  /**
   * @param minChunkBytes emit as soon as this many bytes of whole frames are staged (at least 1)
   * @param maxChunkBytes never emit more, unless one frame alone is larger (at least min)
   */
  public Chunker(ContentKind kind, int minChunkBytes, int maxChunkBytes, Sink sink) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.sink = Objects.requireNonNull(sink, "sink");
    if (minChunkBytes < 1 || maxChunkBytes < minChunkBytes) {
      throw new IllegalArgumentException(
          "need 1 <= minChunkBytes <= maxChunkBytes: " + minChunkBytes + ", " + maxChunkBytes);
    }
    int frame = maxFrame(kind);
    if (maxChunkBytes > Integer.MAX_VALUE - 16 - frame - SLACK) {
      throw new IllegalArgumentException("maxChunkBytes too large: " + maxChunkBytes);
    }
    this.minChunk = minChunkBytes;
    this.maxChunk = maxChunkBytes;
    this.buf = new byte[maxChunkBytes + frame + SLACK];
  }

  /** Longest frame (or page) of a kind: what the staging array holds beyond one chunk. */
  static int maxFrame(ContentKind kind) {
    switch (kind) {
      case MPEG:
        return MpegHeaders.MAX_FRAME;
      case OGG:
        return OggPages.MAX_PAGE;
      default:
        return 0;
    }
  }

  public ContentKind kind() {
    return kind;
  }

  /** How many Ogg pages were split into a header page and an audio page so far. */
  public int pagesSplit() {
    return pagesSplit;
  }

  /** The Ogg header in force for the next chunk, or null. */
  public StreamHeader header() {
    return header;
  }

  /**
   * Stages the remaining bytes of {@code audio} (its position is not changed) and emits every
   * chunk that is ready.
   *
   * @param meta the metadata in force for these bytes; null means {@link IcyMetadata#EMPTY}
   */
  public void feed(ByteBuffer audio, IcyMetadata meta) {
    noteMeta(meta == null ? IcyMetadata.EMPTY : meta);
    ByteBuffer src = audio.duplicate();
    while (src.hasRemaining()) {
      if (buf.length - tail < src.remaining() && head > 0) {
        compact();
      }
      int n = Math.min(src.remaining(), buf.length - tail);
      if (n == 0) {
        throw new IllegalStateException("staging full: " + this);
      }
      src.get(buf, tail, n);
      tail += n;
      scan(NORMAL);
    }
  }

  /**
   * Discards the bytes before the next confirmed MPEG/ADTS frame, once: for a stream joined in
   * the middle of a frame (after a gap), so the first chunk starts on a frame. Ogg pages and
   * other content are not affected.
   */
  public void dropUntilFrame() {
    dropUntilFrame = kind == ContentKind.MPEG;
  }

  /** Emits every complete frame staged now; a trailing partial frame stays staged. */
  public void flush() {
    scan(FLUSH);
    if (lastFrame > head) {
      emit(lastFrame);
    }
  }

  /**
   * Emits everything staged (a trailing partial frame too) and starts over as at a stream's
   * start; metadata and the Ogg header in force are kept.
   */
  public void end() {
    scan(END);
    if (collecting) {
      finishHeader();
    }
    if (tail > lastSafe) {
      safe(lastSafe + 1, tail, false);
    }
    if (tail > head) {
      emit(tail);
    }
    base += tail;
    head = 0;
    tail = 0;
    lastSafe = 0;
    lastFrame = 0;
    scan = 0;
    synced = false;
  }

  /** Bytes staged now (for tests). */
  int staged() {
    return tail - head;
  }

  /** Size of the staging array (for tests). */
  int capacity() {
    return buf.length;
  }

  // ---------------------------------------------------------------- metadata

  private void noteMeta(IcyMetadata meta) {
    if (headMeta == null) {
      headMeta = meta;
      fedMeta = meta;
      return;
    }
    if (meta.equals(fedMeta)) {
      return;
    }
    fedMeta = meta;
    if (tail > head && lastSafe == tail) {
      emit(tail); // the staged bytes end at a boundary: cut right there
    }
    if (tail == head) {
      changes.clear(); // every pending change lies at or before head: applied already
      headMeta = meta;
    } else {
      changes.addLast(new Change(base + tail, meta));
    }
  }

  /** The metadata in force at staging position {@code pos}. */
  private IcyMetadata metaAt(int pos) {
    IcyMetadata m = headMeta;
    for (Change c : changes) {
      if (c.position() > base + pos) {
        break;
      }
      m = c.meta();
    }
    return m;
  }

  private void dropChangesUpTo(int pos) {
    Change c;
    while ((c = changes.peekFirst()) != null && c.position() <= base + pos) {
      changes.pollFirst();
    }
  }

  private void applyChanges() {
    long at = base + head;
    Change c;
    while ((c = changes.peekFirst()) != null && c.position() <= at) {
      headMeta = c.meta();
      changes.pollFirst();
    }
  }

  // ---------------------------------------------------------------- cutting

  /**
   * Declares every position in [from, to] a place where a chunk may end, and emits the chunks that
   * this makes ready: at the max, at a metadata change, and (for frame ends) at the min.
   *
   * @param frame whether these positions end complete frames (junk positions are not)
   */
  private void safe(int from, int to, boolean frame) {
    for (; ; ) {
      int lo = Math.max(from, head + 1);
      if (lo > to) {
        break;
      }
      int cut = Integer.MAX_VALUE;
      int limit = head + maxChunk;
      if (to > limit) {
        cut = lo <= limit ? limit : (lastSafe > head ? lastSafe : lo);
      }
      int metaCut = Integer.MAX_VALUE;
      Change change = changes.peekFirst();
      if (change != null) {
        long x = change.position() - base;
        if (x <= to) {
          metaCut = Math.max((int) x, lo);
        }
      }
      if (frame && head + minChunk <= to) {
        cut = Math.min(cut, Math.max(head + minChunk, lo));
      }
      if (metaCut < cut && metaAt(metaCut).equals(headMeta)) {
        // Changed and changed back within one frame: nothing to cut for.
        dropChangesUpTo(metaCut);
        continue;
      }
      cut = Math.min(cut, metaCut);
      if (cut == Integer.MAX_VALUE) {
        break;
      }
      emit(cut);
    }
    lastSafe = Math.max(lastSafe, to);
    if (frame) {
      lastFrame = Math.max(lastFrame, to);
    }
  }

  private void emit(int cut) {
    ByteBuffer frames = ByteBuffer.wrap(buf, head, cut - head).slice().asReadOnlyBuffer();
    IcyMetadata meta = headMeta;
    head = cut;
    lastSafe = Math.max(lastSafe, head);
    applyChanges();
    sink.chunk(frames, meta, header);
  }

  private void compact() {
    int shift = head;
    System.arraycopy(buf, head, buf, 0, tail - head);
    base += shift;
    head = 0;
    tail -= shift;
    lastSafe -= shift;
    lastFrame = Math.max(0, lastFrame - shift);
    scan -= shift;
  }

  // ---------------------------------------------------------------- scanning

  private void scan(int mode) {
    switch (kind) {
      case MPEG:
        scanMpeg(mode);
        break;
      case OGG:
        scanOgg(mode);
        break;
      default:
        if (tail > lastSafe) {
          safe(lastSafe + 1, tail, true);
        }
        break;
    }
  }

  private void scanMpeg(int mode) {
    for (; ; ) {
      if (synced) {
        // A header that belongs to the stream sits at scan; accept its frame when the next one
        // does too.
        int p = scan;
        long h = MpegHeaders.parse(buf, p, tail - p);
        if (h == MpegHeaders.NEED_MORE) {
          return;
        }
        if (h < 0 || MpegHeaders.signature(h) != syncSignature) {
          synced = false;
          scan = p + 1;
          continue;
        }
        int q = p + MpegHeaders.length(h);
        long next = MpegHeaders.parse(buf, q, tail - q);
        if (next == MpegHeaders.NEED_MORE) {
          if (mode != NORMAL && q <= tail) {
            safe(q, q, true); // no further bytes exist yet: accept the frame followed so far
            scan = q;
          } else if (mode == END) {
            synced = false; // a truncated last frame: junk
            scan = p + 1;
            continue;
          }
          return;
        }
        if (next < 0 || MpegHeaders.signature(next) != syncSignature) {
          synced = false; // the frame at p is not followed by one: junk from p on
          scan = p + 1;
          continue;
        }
        safe(q, q, true);
        scan = q;
      } else if (!hunt(mode)) {
        return;
      }
    }
  }

  /** Searches for two consecutive matching headers from scan; true when synced. */
  private boolean hunt(int mode) {
    int i = scan;
    int found = -1;
    long foundHeader = 0;
    while (i < tail) {
      int b0 = buf[i] & 0xFF;
      if (b0 == 0xFF) {
        long h = MpegHeaders.parse(buf, i, tail - i);
        if (h == MpegHeaders.NEED_MORE && mode != END) {
          break;
        }
        if (h >= 0) {
          int q = i + MpegHeaders.length(h);
          long next = MpegHeaders.parse(buf, q, tail - q);
          if (next == MpegHeaders.NEED_MORE) {
            if (mode != END) {
              break; // wait for the next header
            }
            if (q <= tail) {
              found = i; // the very end: no further bytes will come
              foundHeader = h;
              break;
            }
          }
          if (next >= 0 && MpegHeaders.signature(next) == MpegHeaders.signature(h)) {
            found = i;
            foundHeader = h;
            break;
          }
        }
      } else if (b0 == 'I') {
        long tag = id3Length(buf, i, tail - i);
        if (tag == MpegHeaders.NEED_MORE && mode != END) {
          break;
        }
        if (tag > 0) {
          i = (int) Math.min(Integer.MAX_VALUE, i + tag);
          continue;
        }
      }
      i++;
    }
    if (found >= 0 && dropUntilFrame) {
      dropUntilFrame = false;
      if (found > head) {
        head = found; // a partial frame from before the join: not worth a decoder's error
        lastSafe = Math.max(lastSafe, head);
      }
    }
    // Every position before i is junk, so any position up to i may end a chunk.
    int junkEnd = Math.min(i, tail);
    if (junkEnd > lastSafe) {
      safe(lastSafe + 1, junkEnd, false);
    }
    if (found < 0) {
      scan = i;
      return false;
    }
    int q = found + MpegHeaders.length(foundHeader);
    safe(q, q, true);
    scan = q;
    synced = true;
    syncSignature = MpegHeaders.signature(foundHeader);
    return true;
  }

  /**
   * Length of the ID3v2 tag at {@code b[off]} (header, body and footer), 0 when there is none,
   * or {@link MpegHeaders#NEED_MORE}.
   */
  static long id3Length(byte[] b, int off, int avail) {
    for (int k = 0; k < 10; k++) {
      if (k >= avail) {
        return MpegHeaders.NEED_MORE;
      }
      int v = b[off + k] & 0xFF;
      boolean ok;
      if (k < 3) {
        ok = v == ID3_MAGIC[k];
      } else if (k == 3) {
        ok = v >= 2 && v <= 4;
      } else if (k == 4) {
        ok = v != 0xFF;
      } else if (k == 5) {
        ok = (v & 0x0F) == 0;
      } else {
        ok = v < 0x80;
      }
      if (!ok) {
        return 0;
      }
    }
    long size =
        (b[off + 6] & 0x7FL) << 21
            | (b[off + 7] & 0x7FL) << 14
            | (b[off + 8] & 0x7FL) << 7
            | (b[off + 9] & 0x7FL);
    boolean footer = (b[off + 5] & 0x10) != 0;
    return 10 + size + (footer ? 10 : 0);
  }

  private void scanOgg(int mode) {
    int i = scan;
    while (i < tail) {
      if (buf[i] != 'O') {
        i++;
        continue;
      }
      long r = OggPages.parse(buf, i, tail - i);
      if (r == OggPages.NEED_MORE && mode != END) {
        break;
      }
      if (r < 0) {
        i++;
        continue;
      }
      junkUpTo(i);
      page(i, (int) r);
      i += (int) r;
    }
    junkUpTo(i);
    scan = i;
  }

  /** Bytes before {@code j} that are not pages: into the header while collecting one. */
  private void junkUpTo(int j) {
    if (collecting && headerLength + (j - head) > MAX_HEADER_BYTES) {
      finishHeader();
    }
    if (collecting) {
      if (j > head) {
        appendHeader(head, j);
      }
    } else if (j > lastSafe) {
      safe(lastSafe + 1, j, false);
    }
  }

  private void page(int at, int length) {
    boolean bos = (OggPages.flags(buf, at) & OggPages.FLAG_BOS) != 0;
    if (!bos && collecting && packets != null
        && OggHeaders.serial(buf, at) == packets.serialNumber()) {
      if (headerPackets(at, length)) {
        return;
      }
      packets = null; // not the header packets the codec has: the page rule below
    }
    if (bos) {
      // One stream of a known codec: its header is its header packets. Several BOS pages in a
      // row (a multiplexed stream): the page rule below.
      packets = collecting ? null : OggHeaders.start(buf, at, MAX_HEADER_BYTES);
    }
    boolean headerPage = bos || (collecting && OggPages.granule(buf, at) == 0);
    if (headerPage && headerLength + length > MAX_HEADER_BYTES) {
      if (collecting) {
        finishHeader();
      }
      headerPage = false;
    }
    if (headerPage) {
      if (!collecting) {
        // A new logical stream: what is staged goes out with the header it belongs to.
        if (at > head) {
          emit(at);
        }
        collecting = true;
        headerLength = 0;
      }
      appendHeader(head, at + length);
    } else {
      if (collecting) {
        finishHeader();
      }
      safe(at + length, at + length, true);
    }
  }

  /**
   * A page of a stream whose header packets are still being read: all of it goes into the
   * header, or, when the header packets end inside it (mpd puts the last ones on a page with
   * audio), the page is split in two: its header packets become a page of the header (granule
   * 0) and its audio packets a page of their own, with the page's granule, that stays in the
   * stream in its place.
   */
  private boolean headerPackets(int at, int length) {
    int segments = buf[at + 26] & 0xFF;
    int n = headerLength + length > MAX_HEADER_BYTES ? -1 : packets.take(buf, at);
    if (n == OggHeaders.NOT_HEADER) {
      return false;
    }
    if (n < 0) {
      finishHeader(); // too large to be a header: audio from here
      safe(at + length, at + length, true);
      return true;
    }
    if (n == segments) {
      appendHeader(head, at + length);
      if (packets.done()) {
        finishHeader();
      }
      return true;
    }
    pagesSplit++;
    int flags = OggPages.flags(buf, at);
    int seq = OggHeaders.sequence(buf, at);
    byte[] headerPart = OggHeaders.repage(buf, at, 0, n, flags & OggPages.FLAG_CONTINUED, 0,
        seq);
    byte[] audioPart = OggHeaders.repage(buf, at, n, segments - n, flags & OggPages.FLAG_EOS,
        OggPages.granule(buf, at), seq);
    appendHeader(head, at);
    appendHeaderBytes(headerPart, 0, headerPart.length);
    int end = at + length;
    System.arraycopy(audioPart, 0, buf, end - audioPart.length, audioPart.length);
    head = end - audioPart.length;
    lastSafe = Math.max(lastSafe, head);
    lastFrame = Math.max(lastFrame, head);
    applyChanges();
    finishHeader();
    safe(end, end, true);
    return true;
  }

  private void appendHeader(int from, int to) {
    appendHeaderBytes(buf, from, to - from);
    head = to;
    lastSafe = Math.max(lastSafe, to);
    lastFrame = Math.max(lastFrame, to);
    applyChanges();
  }

  private void appendHeaderBytes(byte[] src, int from, int n) {
    if (headerLength + n > headerBytes.length) {
      headerBytes = Arrays.copyOf(headerBytes, Math.max(headerLength + n, headerBytes.length * 2));
    }
    System.arraycopy(src, from, headerBytes, headerLength, n);
    headerLength += n;
  }

  private void finishHeader() {
    collecting = false;
    String title = packets == null ? null : packets.title();
    header = StreamHeader.of(ByteBuffer.wrap(headerBytes, 0, headerLength), title);
    headerLength = 0;
    packets = null;
  }

  @Override
  public String toString() {
    return "Chunker["
        + kind
        + ", staged "
        + (tail - head)
        + " of "
        + buf.length
        + ", at input "
        + (base + head)
        + "]";
  }
}
