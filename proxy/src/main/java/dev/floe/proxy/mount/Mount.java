package dev.floe.proxy.mount;

import dev.floe.buffer.BufferLimits;
import dev.floe.buffer.Chunk;
import dev.floe.buffer.StreamBuffer;
import dev.floe.buffer.StreamHeader;
import dev.floe.buffer.splice.SpliceMatcher;
import dev.floe.icy.meta.IcyMetadata;
import dev.floe.icy.resume.FloePosition;
import dev.floe.proxy.config.MountSettings;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mount point: the back buffer of one stream at absolute positions, the metadata in force,
 * and its listeners. Its collaborators each have one job: {@link SourceSlot} (who may write when
 * there are no upstreams: a source or the AutoDJ, and the grace timer), {@link ListenerRegistry}
 * (list, kick, move), {@link MountCounters}, {@link MountProperties} (what the admin API
 * changes) and {@link SwarmHooks}.
 *
 * <p>Why this class is over 400 lines: the writer side ({@link #openFeed}, {@link #activate},
 * {@link #spliced}, the segment and gap decisions, header dedup and rate measurement) is one
 * state machine over writer-confined fields; split across classes, its invariants (one segment
 * per epoch, positions never go back) could no longer be read in one place.
 *
 * <p>Threading: the writer side ({@link #openFeed}, {@link #activate}, {@link #feedEnded}, the
 * feeds' bytes, {@link #tick}) runs on one thread only, the event loop that owns the mount's
 * upstream connections. Readers (listeners, status) run on any thread and only read volatile
 * fields and the lock-free {@link StreamBuffer}.
 */
public final class Mount {
  private static final Logger log = LoggerFactory.getLogger(Mount.class);

  /** Chunks are cut at frame boundaries once this much audio is staged (0.5 s at 128 kbit/s). */
  static final int MIN_CHUNK = 8 * 1024;

  static final int MAX_CHUNK = 64 * 1024;

  /** How much of a plain upstream's first bytes may be searched for the overlap. */
  static final int SPLICE_SEARCH = 512 * 1024;

  /** How much of the held tail is matched against a plain upstream's burst. */
  static final int SPLICE_TAIL = 16 * 1024;

  /** Staged audio older than this is cut into a chunk even if it is smaller than MIN_CHUNK. */
  private static final long MAX_STAGE_NANOS = 600_000_000L;

  /** No chunk for this long means the upstream is away: paced players drain the back buffer. */
  static final long STALLED_NANOS = 1_000_000_000L;

  private volatile MountSettings settings;
  private final MountRegistry registry;
  private final FanOut fanOut = new FanOut();
  private final ListenerRegistry listeners = new ListenerRegistry(fanOut);
  private final MountCounters counters = new MountCounters();
  private final MountProperties properties = new MountProperties();
  private final SourceSlot source;
  private final Instant created = Instant.now();

  // Writer-confined state.
  private Feed active;
  private int lastIndex = -1;
  private final ByteRate rate = new ByteRate();

  private volatile Segment segment;
  private volatile StreamInfo info;
  private volatile IcyMetadata metadata = IcyMetadata.EMPTY;
  private volatile boolean live;
  private volatile String upstream;
  private volatile int upstreamIndex = -1;
  private volatile Instant nextAttempt;
  private volatile String lastFailure;
  private volatile Instant streamStart;
  private volatile long lastAppendNanos = System.nanoTime();
  /** The header of the last chunk appended (writer thread only). */
  private StreamHeader lastHeader;
  /** The last header whose title was taken (writer thread only). */
  private StreamHeader titledHeader;

  /** Bytes of the registry's {@link MemoryBudget} this mount's back buffer holds (0: none). */
  private final AtomicLong reservation = new AtomicLong();

  private final SwarmHooks swarm = new SwarmHooks();

  /**
   * @param registry the mounts this one belongs to (for fallbacks and moving listeners)
   */
  public Mount(MountSettings settings, MountRegistry registry) {
    this.settings = settings;
    this.registry = registry;
    this.source = new SourceSlot(this, registry);
  }

  public MountSettings settings() {
    return settings;
  }

  public String path() {
    return settings.path();
  }

  /** The current segment, or null before the first upstream answered. */
  public Segment segment() {
    return segment;
  }

  /** The current segment's buffer; null before the first upstream answered. */
  public StreamBuffer buffer() {
    Segment s = segment;
    return s == null ? null : s.buffer();
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

  /**
   * The upstream client's next attempt after a failed round: when, and why the last one failed;
   * both null while connected or before the first failure.
   */
  public void retrying(Instant at, String why) {
    nextAttempt = at;
    lastFailure = why;
  }

  /** When the upstreams are tried next after a failure, or null (see {@link #retrying}). */
  public Instant nextAttempt() {
    return nextAttempt;
  }

  /** Why the last attempt failed, while retrying; else null. */
  public String lastFailure() {
    return lastFailure;
  }

  /** Priority index of the current upstream (0 = first), or -1 when none is connected. */
  public int upstreamIndex() {
    return upstreamIndex;
  }

  public Instant streamStart() {
    return streamStart == null ? created : streamStart;
  }

  /** The stream's byte rate: from its announced bitrate, else measured, else 16000 B/s. */
  public long bytesPerSecond() {
    long measured = rate.measured();
    if (measured > 0) {
      return measured;
    }
    StreamInfo i = info;
    Integer br = i == null ? null : i.bitrate();
    return br != null && br > 0 ? br * 125L : 16_000L;
  }

  /**
   * Whether the writer is away: no source or upstream connected, or no chunk for a while (an
   * upstream stalled or being switched). Paced players then drain the back buffer at the
   * stream's rate.
   */
  boolean away(long nowNanos) {
    return !live || nowNanos - lastAppendNanos > STALLED_NANOS;
  }

  /**
   * Wakes the listeners while the writer is away, so paced players keep draining the back buffer
   * when nothing is appended (a source that left has no thread ticking the mount). Callable from
   * any thread; the {@code Floe} calls it every 100 ms for every mount.
   */
  public void wake() {
    if (away(System.nanoTime())) {
      fanOut.signal();
    }
  }

  // ---- swarm hooks -------------------------------------------------------------------------

  /** Told of each chunk appended to the back buffer, on the writer thread; must not block. */
  public interface Appended {
    /** {@code chunk} was appended to {@code segment}'s buffer. */
    void appended(Segment segment, Chunk chunk);
  }

  /** The mount's swarm node's hooks: chunk listener, short epochs, status. */
  public SwarmHooks swarm() {
    return swarm;
  }

  // ---- writer side -------------------------------------------------------------------------

  /**
   * A feed for a connection that answered 200. {@code start} is the upstream's position of the
   * body's first byte, or null for an upstream without positions, whose place is found by
   * content when this mount already holds data.
   */
  public Feed openFeed(String url, StreamInfo streamInfo, FloePosition start) {
    Segment s = segment;
    if (start != null && !start.isAny()) {
      return new Feed(this, url, streamInfo, start.epoch(), start.offset(), null, 0);
    }
    if (s == null || s.buffer().newest() == s.buffer().oldest()) {
      return new Feed(this, url, streamInfo, null, s == null ? 0 : s.buffer().newest(), null, 0);
    }
    ByteBuffer tail = Feed.tail(s.buffer(), SPLICE_TAIL);
    return new Feed(this, url, streamInfo, null, -1, new SpliceMatcher(tail, SPLICE_SEARCH),
        s.buffer().newest());
  }

  /**
   * Makes {@code f} the feed that writes, ending the previous one (its complete frames are
   * kept). Decides the segment: the same one when the feed continues it, a new one when the
   * epoch differs or positions jump.
   */
  public void activate(Feed f, int index) {
    Feed old = active;
    if (old != null && old != f) {
      old.end();
    }
    if (lastIndex >= 0) {
      counters.upstreamChanged(index != lastIndex);
    }
    lastIndex = index;
    Segment s = segment;
    if (f.epoch() != null) {
      if (s == null || !s.epoch().equals(f.epoch())) {
        if (s != null) {
          log.warn("{}: upstream {} is on epoch {} (was {}): the stream restarted", path(),
              f.upstream(), f.epoch(), s.epoch());
          counters.gap(0);
        }
        startSegment(f.epoch(), f.next(), false);
      } else if (f.next() > s.buffer().newest()) {
        long lost = f.next() - s.buffer().newest();
        log.warn("{}: upstream {} resumes {} bytes after the newest held: gap", path(),
            f.upstream(), lost);
        counters.gap(lost);
        startSegment(f.epoch(), f.next(), false);
      }
    } else if (s == null) {
      startSegment(swarm.newEpoch(), 0, true);
    }
    StreamInfo old2 = info;
    if (old2 != null && !old2.contentType().equalsIgnoreCase(f.info().contentType())) {
      log.warn("{}: upstream {} changed content type from {} to {}", path(), f.upstream(),
          old2.contentType(), f.info().contentType());
    }
    if (streamStart == null) {
      streamStart = Instant.now();
    }
    info = f.info();
    upstream = f.upstream();
    upstreamIndex = index;
    active = f;
    live = true;
    f.activate(segment.buffer().newest());
  }

  /**
   * Whether a positioned feed would continue this mount's stream exactly: the same epoch, and
   * its first byte no later than the newest held.
   */
  public boolean continues(Feed f) {
    Segment s = segment;
    return f.positioned() && f.epoch() != null && s != null && s.epoch().equals(f.epoch())
        && f.next() <= s.buffer().newest();
  }

  /** The active feed's splice search ended; without a match the stream has a gap here. */
  void spliced(Feed f, boolean found) {
    if (found) {
      log.info("{}: spliced {} gaplessly by content", path(), f.upstream());
      return;
    }
    long estimate = bytesPerSecond() * (System.nanoTime() - lastAppendNanos) / 1_000_000_000L;
    counters.gap(estimate);
    log.warn("{}: {} does not overlap what is held: joining with a gap of about {} bytes",
        path(), f.upstream(), estimate);
    Segment s = segment;
    if (!s.own()) {
      // Positions from here on are this node's own count, no longer the upstream's.
      startSegment(swarm.newEpoch(), s.buffer().newest(), true);
    }
  }

  /** The connection behind {@code f} ended. */
  public void feedEnded(Feed f) {
    f.end();
    if (f == active) {
      active = null;
      live = false;
      upstreamIndex = -1;
    }
  }

  /** The feed currently writing, or null. */
  public Feed activeFeed() {
    return active;
  }

  /** A metadata block from the active upstream. Repeats of the value in force are ignored. */
  void metadata(IcyMetadata m) {
    if (!m.equals(metadata)) {
      log.info("{}: title \"{}\"", path(), m.title());
      metadata = m;
    }
  }

  /**
   * New settings from a configuration reload. Listeners read them on their next drain; the
   * buffer limits apply from the next segment; the caller replaces the upstream client.
   */
  public void reconfigure(MountSettings next) {
    if (!next.path().equals(settings.path())) {
      throw new IllegalArgumentException("a mount keeps its path: " + next.path());
    }
    settings = next;
    log.info("{}: settings reloaded", path());
  }

  /** The mount is going away: its listeners are closed with a log line, its source too. */
  public void close(String why) {
    source.kill();
    registry.budget().release(reservation.getAndSet(0));
    listeners.kickAll(why);
    log.info("{}: closed ({})", path(), why);
  }

  /**
   * Sets the title from outside the stream (the admin API's {@code metadata} update). Safe from
   * any thread: the field is volatile and each chunk takes the value in force when it is cut.
   */
  public void updateMetadata(IcyMetadata m) {
    log.info("{}: title \"{}\" (admin)", path(), m.title());
    metadata = m;
  }

  // ---- writers other than upstreams: a source, else a playlist ---------------------------

  /** Who writes this mount when it has no upstreams: a source or its playlist (AutoDJ). */
  public SourceSlot source() {
    return source;
  }

  /** Whether a source is connected. */
  public boolean hasSource() {
    return source.connected();
  }

  /** A claimed source starts sending; see {@link SourceSlot#start}. */
  public Feed startSource(String who, StreamInfo streamInfo) {
    return source.start(who, streamInfo);
  }

  /** Reserves the back buffer's memory for a source, unless held already (under the lock). */
  boolean reserveForSource() {
    if (reservation.get() > 0) {
      return true;
    }
    long got = registry.budget().reserve(path(), settings.bufferBytes());
    reservation.set(got);
    return got > 0;
  }

  /**
   * A source's stream from position 0 on a new epoch (a source restart is a new stream), called
   * under the {@link SourceSlot}'s lock.
   */
  Feed startOwnStream(String who, StreamInfo streamInfo) {
    Feed f = new Feed(this, who, streamInfo, null, 0, null, 0);
    if (active != null) {
      active.end();
    }
    startSegment(swarm.newEpoch(), 0, true);
    metadata = IcyMetadata.EMPTY;
    if (streamStart == null || !live) {
      streamStart = Instant.now();
    }
    info = streamInfo;
    upstream = who;
    upstreamIndex = -1;
    active = f;
    live = true;
    f.activate(0);
    return f;
  }

  /**
   * Gives the back buffer's memory back to the budget and forgets the stream (under the {@link
   * SourceSlot}'s lock); false when there was none.
   */
  boolean forgetStream(String why) {
    if (segment == null) {
      return false;
    }
    segment = null;
    info = null;
    live = false;
    active = null;
    lastHeader = null;
    metadata = IcyMetadata.EMPTY;
    long bytes = reservation.getAndSet(0);
    registry.budget().release(bytes);
    log.info("{}: back buffer released ({} back to the budget): {}", path(),
        MemoryBudget.mib(bytes), why);
    return true;
  }

  // ---- listeners, counters and run-time properties -------------------------------------------

  /** The listeners of this mount (the admin API lists, kicks and moves them here). */
  public ListenerRegistry listenerRegistry() {
    return listeners;
  }

  /** Listeners connected now. */
  public int listeners() {
    return listeners.count();
  }

  /** Bytes in and out, reconnects, switches, gaps, slow listeners dropped. */
  public MountCounters counters() {
    return counters;
  }

  /** The properties an operator may change at run time (fallback, max listeners, hidden...). */
  public MountProperties properties() {
    return properties;
  }

  /** Called every 100 ms by the writer thread. */
  public void tick() {
    long now = System.nanoTime();
    try {
      if (active != null && now - lastAppendNanos > MAX_STAGE_NANOS) {
        active.flush();
      }
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again: the next tick must come.
      log.warn("{}: cutting staged audio failed: {}", path(), e.toString());
    }
    wake();
  }

  /** The mount's next position (the newest byte held + 1), or 0 before any. */
  long newest() {
    Segment s = segment;
    return s == null ? 0 : s.buffer().newest();
  }

  private void startSegment(String epoch, long first, boolean own) {
    long size = reservation.get();
    if (size == 0) { // a relay, playlist or swarm mount: configured, so it runs in any case
      size = registry.budget().reserveAtLeastFloor(path(), settings.bufferBytes());
      reservation.set(size);
    }
    StreamBuffer b = new StreamBuffer(BufferLimits.of(size, settings.bufferAge()),
        System::nanoTime, first);
    segment = new Segment(epoch, b, own);
    rate.restart();
    log.info("{}: segment epoch {} from position {}", path(), epoch, first);
    fanOut.signal();
  }

  void appendFrames(ByteBuffer frames, IcyMetadata meta, StreamHeader header) {
    header = sameHeader(header);
    if (header != null && header != titledHeader) {
      // An Ogg stream's title is in its comment header: new at each chained stream.
      titledHeader = header;
      if (header.title() != null) {
        metadata(IcyMetadata.of(header.title(), null));
      }
    }
    counters.received(frames.remaining());
    Chunk c;
    try {
      c = segment.buffer().append(frames, meta, header);
    } catch (OutOfMemoryError e) {
      throw Fatal.exit(e);
    }
    long now = c.appendedNanos();
    lastAppendNanos = now;
    rate.measure(now, c.end());
    fanOut.signal();
    Appended a = swarm.appended();
    if (a != null) {
      try {
        a.appended(segment, c);
      } catch (RuntimeException e) {
        // the chunk is held and listeners have it: the swarm's failure must not stop the writer
        log.warn("{}: chunk at {} not handed to the swarm: {}", path(), c.start(), e.toString());
      }
    }
  }

  /**
   * A new feed (a source or upstream reconnect, a swarm fallback and return) makes a new header
   * object; listeners send a header again when the object changes, so one with the same bytes as
   * the header in force is replaced by it: header pages repeated inside one Ogg stream make
   * decoders fail ("Error parsing the packet header"). A really new stream has other bytes (its
   * serial number at least) and is sent.
   */
  private StreamHeader sameHeader(StreamHeader header) {
    StreamHeader last = lastHeader;
    if (header != null && last != null && header != last && header.data().equals(last.data())) {
      return last;
    }
    lastHeader = header;
    return header;
  }
}
