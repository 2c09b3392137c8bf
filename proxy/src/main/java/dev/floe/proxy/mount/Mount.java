package dev.floe.proxy.mount;

import dev.floe.buffer.BufferLimits;
import dev.floe.buffer.Chunk;
import dev.floe.buffer.StreamBuffer;
import dev.floe.buffer.StreamHeader;
import dev.floe.buffer.frame.Chunker;
import dev.floe.buffer.frame.ContentKind;
import dev.floe.icy.meta.IcyMetadata;
import dev.floe.proxy.config.MountSettings;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mount point: the back buffer of one stream, the metadata in force, and its listeners.
 *
 * <p>Threading: the writer side ({@link #streamStarted}, {@link #audio}, {@link #metadata},
 * {@link #streamStopped}, {@link #tick}) is called from one thread only, the event loop that owns
 * the mount's upstream connection. Readers (listeners, status) run on any thread and only read
 * volatile fields and the lock-free {@link StreamBuffer}.
 */
public final class Mount {
  private static final Logger log = LoggerFactory.getLogger(Mount.class);

  /** Chunks are cut at frame boundaries once this much audio is staged (0.5 s at 128 kbit/s). */
  static final int MIN_CHUNK = 8 * 1024;

  static final int MAX_CHUNK = 64 * 1024;

  /** Staged audio older than this is cut into a chunk even if it is smaller than MIN_CHUNK. */
  private static final long MAX_STAGE_NANOS = 600_000_000L;

  private final MountSettings settings;
  private final StreamBuffer buffer;
  private final FanOut fanOut = new FanOut();
  private final Instant created = Instant.now();

  // Writer-confined state.
  private Chunker chunker;
  private long lastChunkNanos = System.nanoTime();

  private volatile StreamInfo info;
  private volatile IcyMetadata metadata = IcyMetadata.EMPTY;
  private volatile boolean live;
  private volatile String upstream;
  private volatile Instant streamStart;

  private final AtomicInteger listeners = new AtomicInteger();
  private final AtomicInteger listenerPeak = new AtomicInteger();
  private final AtomicLong slowDropped = new AtomicLong();
  private final AtomicLong bytesIn = new AtomicLong();
  private final AtomicLong bytesOut = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong listenerIds = new AtomicLong();

  public Mount(MountSettings settings) {
    this.settings = settings;
    this.buffer = new StreamBuffer(BufferLimits.of(settings.bufferBytes(), settings.bufferAge()));
  }

  public MountSettings settings() {
    return settings;
  }

  public String path() {
    return settings.path();
  }

  public StreamBuffer buffer() {
    return buffer;
  }

  FanOut fanOut() {
    return fanOut;
  }

  /** The stream's description, or null before the first upstream answered. */
  public StreamInfo info() {
    return info;
  }

  public IcyMetadata metadata() {
    return metadata;
  }

  public boolean live() {
    return live;
  }

  public String upstream() {
    return upstream;
  }

  public Instant streamStart() {
    return streamStart == null ? created : streamStart;
  }

  // ---- writer side -------------------------------------------------------------------------

  /** An upstream answered 200 and its body follows. */
  public void streamStarted(String upstreamUrl, StreamInfo newInfo) {
    StreamInfo old = info;
    if (old != null && !old.contentType().equalsIgnoreCase(newInfo.contentType())) {
      log.warn("{}: upstream {} changed content type from {} to {}; listeners may need to reconnect",
          path(), upstreamUrl, old.contentType(), newInfo.contentType());
    }
    if (old != null) {
      reconnects.incrementAndGet();
    } else {
      streamStart = Instant.now();
    }
    info = newInfo;
    upstream = upstreamUrl;
    // A fresh chunker per connection: a partial frame left from the old connection is discarded
    // rather than glued to bytes from the new one.
    chunker = new Chunker(ContentKind.of(newInfo.contentType()), MIN_CHUNK, MAX_CHUNK, this::append);
    live = true;
  }

  /** Audio bytes from the upstream, with its metadata already stripped. */
  public void audio(ByteBuffer bytes) {
    bytesIn.addAndGet(bytes.remaining());
    chunker.feed(bytes, metadata);
  }

  /** A metadata block from the upstream. Repeats of the value in force are ignored. */
  public void metadata(IcyMetadata m) {
    if (!m.equals(metadata)) {
      log.info("{}: title \"{}\"", path(), m.title());
      metadata = m;
    }
  }

  /** The upstream connection ended; complete frames already received are kept. */
  public void streamStopped() {
    if (chunker != null) {
      chunker.flush();
      chunker = null;
    }
    live = false;
  }

  /** Called periodically by the writer thread so a slow stream still produces chunks in time. */
  public void tick() {
    if (chunker != null && System.nanoTime() - lastChunkNanos > MAX_STAGE_NANOS) {
      chunker.flush();
    }
  }

  private void append(ByteBuffer frames, IcyMetadata meta, StreamHeader header) {
    Chunk c = buffer.append(frames, meta, header);
    lastChunkNanos = c.appendedNanos();
    fanOut.signal();
  }

  // ---- listener side -----------------------------------------------------------------------

  long nextListenerId() {
    return listenerIds.incrementAndGet();
  }

  void listenerJoined() {
    int now = listeners.incrementAndGet();
    listenerPeak.accumulateAndGet(now, Math::max);
  }

  void listenerLeft() {
    listeners.decrementAndGet();
  }

  void sent(long bytes) {
    bytesOut.addAndGet(bytes);
  }

  void slowListenerDropped() {
    slowDropped.incrementAndGet();
  }

  public int listeners() {
    return listeners.get();
  }

  public int listenerPeak() {
    return listenerPeak.get();
  }

  public long slowListenersDropped() {
    return slowDropped.get();
  }

  public long bytesIn() {
    return bytesIn.get();
  }

  public long bytesOut() {
    return bytesOut.get();
  }

  public long reconnects() {
    return reconnects.get();
  }
}
