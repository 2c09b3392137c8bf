package dev.floe.proxy.swarm;

import dev.floe.icy.meta.IcyMetadata;
import dev.floe.icy.resume.FloePosition;
import dev.floe.proxy.mount.Feed;
import dev.floe.icy.head.Headers;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.Segment;
import dev.floe.proxy.mount.StreamInfo;
import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.MetadataRecord;
import dev.floe.swarm.chunk.SignedStreamHeader;
import dev.floe.swarm.node.SwarmNode;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer mount's writer: what the swarm node plays goes into the mount, and while the node falls
 * back the mount's upstream client pulls the stream directly.
 *
 * <p>Every write happens on one event loop ({@code loop}), the mount's writer thread: the node's
 * callbacks only queue work there. A played chunk continues the mount's stream at its position
 * (bytes the mount already holds are skipped by the {@link Feed}; a chunk after a hole starts a
 * new segment, which the mount logs as a gap). A metadata record takes effect at the first chunk
 * of its {@code fromSeq}. During a fallback the bytes the mount gets are reported to the node
 * ({@link SwarmNode#directBytes}) as they are appended, so the swarm resumes right after them.
 *
 * <p>Ogg: the swarm's chunks hold audio pages only; its stream header (the BOS and header pages)
 * comes apart ({@link #header}). It is written into the feed before the first byte the mount takes
 * from a new feed and again when another header comes into force (a chained stream, at its {@code
 * fromSeq}), so the mount's chunker keeps it as the header of the chunks that follow and every new
 * listener gets it first, as on the origin. Bytes of a new feed that the mount already holds (the
 * overlap after a direct pull) go in before the header, since the feed skips them. A direct pull
 * brings its own header pages (the origin sends them first); after it the swarm's feed is new, so
 * the header goes in again.
 */
public final class PeerPlayout implements SwarmNode.Listener, Mount.Appended {
  private static final Logger log = LoggerFactory.getLogger(PeerPlayout.class);
  /** Metadata records kept waiting for their chunk. */
  private static final int MAX_PENDING_METADATA = 64;
  /** Stream headers kept waiting for their chunk. */
  private static final int MAX_PENDING_HEADERS = 8;

  /** Starts and stops the direct pull (the mount's upstream client). */
  public interface Direct {
    /** Starts pulling from the mount's position; returns at once. */
    void start();

    /** Stops pulling. */
    void stop();
  }

  private final Mount mount;
  private final EventLoop loop;
  private final String source;
  private final Supplier<Direct> directs;
  private final SwarmErrors errors;
  private volatile DirectBytes node;
  private final Deque<MetadataRecord> pendingMeta = new ArrayDeque<>();
  private final Deque<SignedStreamHeader> pendingHeaders = new ArrayDeque<>();
  /** The stream header in force for the chunks being written, or null (MP3, AAC). */
  private SignedStreamHeader header;
  /** The header written into {@link #feed}, or null. */
  private SignedStreamHeader written;
  /** Bytes {@link #feed} still skips because the mount holds them already. */
  private long feedSkip;
  private ScheduledFuture<?> ticker;
  private Feed feed;
  private int feedEpoch;
  private long feedNext = -1;
  private Direct direct;
  private volatile boolean fallback;
  private volatile StreamInfo announced;
  private volatile long played;
  private volatile long measuredLagMs = -1;
  /** When the mount last got audio (a played chunk or a direct pull's chunk). */
  private volatile long lastAudioNanos;
  /** How long the mount may get nothing before the direct pull starts on its own. */
  private static final long SILENCE_NANOS = 10_000_000_000L;

  /**
   * @param mount the peer mount
   * @param loop its writer thread
   * @param source how the feed is named in logs and the status ({@code swarm <join address>})
   * @param directs makes the direct pull when the node falls back
   */
  public PeerPlayout(Mount mount, EventLoop loop, String source, Supplier<Direct> directs) {
    this.mount = mount;
    this.loop = loop;
    this.source = source;
    this.directs = directs;
    this.errors = new SwarmErrors(mount.path());
  }

  /** Where the bytes of a direct pull are reported: {@link SwarmNode#directBytes}. */
  public interface DirectBytes {
    /** The mount got direct bytes up to (excluding) {@code position} of {@code epoch}. */
    void directBytes(int epoch, long position);
  }

  /** The node to report direct bytes to; set before it starts. */
  public void node(DirectBytes n) {
    this.node = n;
  }

  /** Starts the mount's writer tick (cuts staged audio into chunks on time) and the watchdog. */
  public void start() {
    mount.swarm().onAppended(this);
    lastAudioNanos = System.nanoTime();
    ticker = loop.scheduleAtFixedRate(() -> {
      mount.tick();
      watch();
    }, 100, 100, TimeUnit.MILLISECONDS);
  }

  /**
   * The last resort against silence: when the mount got nothing for {@link #SILENCE_NANOS} while
   * no direct pull runs (the swarm stopped delivering and the node did not notice, e.g. stuck on
   * an epoch that ended), pull directly; the next chunk the swarm plays ends the pull.
   */
  private void watch() {
    try {
      if (direct == null && System.nanoTime() - lastAudioNanos > SILENCE_NANOS) {
        Segment s = mount.segment();
        log.warn("{}: the swarm delivered nothing for {} s: pulling directly from {} (mount at"
            + " {})", mount.path(), SILENCE_NANOS / 1_000_000_000L, mount.settings().upstreams(),
            s == null ? "*" : s.epoch() + ":" + s.buffer().newest());
        errors.failed("swarm silent for " + SILENCE_NANOS / 1_000_000_000L + " s",
            new IllegalStateException("no chunk played; pulling directly"));
        endFeed();
        direct = directs.get();
        fallback = true;
        direct.start();
      }
    } catch (RuntimeException e) {
      errors.failed("direct pull after a silent swarm failed", e);
    }
  }

  /** Whether the direct pull is on. */
  public boolean fallback() {
    return fallback;
  }

  /**
   * How far behind the origin the last chunk played went into the mount (now less its origin
   * time), or -1 before any.
   */
  public long measuredLagMs() {
    return measuredLagMs;
  }

  /** Chunks written to the mount. */
  public long played() {
    return played;
  }

  /** The records that could not be played. */
  public SwarmErrors errors() {
    return errors;
  }

  @Override
  public void play(SignedChunk chunk) {
    loop.execute(() -> {
      try {
        write(chunk);
      } catch (RuntimeException e) {
        // The next chunk opens a new feed at its own position: the stream goes on.
        errors.failed("chunk " + chunk.seq() + " at " + chunk.header().position()
            + " not played", e);
        try {
          endFeed();
        } catch (RuntimeException again) {
          feed = null;
          feedNext = -1;
        }
      }
    });
  }

  @Override
  public void metadata(MetadataRecord record) {
    loop.execute(() -> {
      if (pendingMeta.size() >= MAX_PENDING_METADATA) {
        pendingMeta.removeFirst();
      }
      pendingMeta.addLast(record);
    });
  }

  @Override
  public void header(SignedStreamHeader h) {
    loop.execute(() -> {
      if (pendingHeaders.size() >= MAX_PENDING_HEADERS) {
        pendingHeaders.removeFirst();
      }
      pendingHeaders.addLast(h);
    });
  }

  @Override
  public void fallback(boolean on, int epoch, long position) {
    loop.execute(() -> {
      try {
        setFallback(on, epoch, position);
      } catch (RuntimeException e) {
        errors.failed("fallback " + (on ? "start" : "stop") + " at " + position + " failed", e);
      }
    });
  }

  private void setFallback(boolean on, int epoch, long position) {
    if (on == (direct != null)) {
      return;
    }
    if (on) {
      Segment s = mount.segment();
      log.warn("{}: the swarm falls short at {}:{}; pulling directly from {} (mount at {})",
          mount.path(), Epochs.toMount(epoch), position, mount.settings().upstreams(),
          s == null ? "*" : s.epoch() + ":" + s.buffer().newest());
      endFeed();
      String e = Epochs.toMount(epoch);
      if (s == null || !s.epoch().equals(e)) {
        // The swarm is on another epoch than the mount (the origin restarted): the direct pull
        // asks for the position after the mount's newest byte, so an empty segment at the
        // swarm's next position makes it start exactly where the swarm would have played on
        // (it used to ask for the old epoch, get 416 and join at the live edge, a gap).
        Feed f = mount.openFeed(source, info(), new FloePosition(e, position));
        mount.activate(f, 0);
        mount.feedEnded(f);
      }
      direct = directs.get();
      fallback = true;
      direct.start();
    } else {
      log.info("{}: the swarm delivers again from {}:{}; direct pull stopped", mount.path(),
          Epochs.toMount(epoch), position);
      stopDirect();
    }
  }

  private void stopDirect() {
    if (direct != null) {
      direct.stop();
      direct = null;
    }
    fallback = false;
  }

  private void write(SignedChunk chunk) {
    if (direct != null) {
      log.info("{}: the swarm plays chunk {} during a direct pull: back to the swarm",
          mount.path(), chunk.seq());
      stopDirect();
    }
    long position = chunk.header().position();
    measuredLagMs = System.currentTimeMillis() - chunk.header().originTimeMillis();
    ByteBuffer payload = chunk.payload();
    if (feed == null || feedEpoch != chunk.epoch() || feedNext != position) {
      feed = mount.openFeed(source, info(), new FloePosition(Epochs.toMount(chunk.epoch()),
          position));
      feedEpoch = chunk.epoch();
      mount.activate(feed, 0);
      // The feed skips what the mount holds from here (activate gave it the mount's newest).
      feedSkip = Math.max(0, mount.segment().buffer().newest() - position);
      written = null;
    }
    applyMetadata(chunk);
    applyHeader(chunk);
    feedNext = position + payload.remaining();
    if (header != null && written != header) {
      if (feedSkip > 0) {
        int n = (int) Math.min(feedSkip, payload.remaining());
        feed.audio(payload.duplicate().limit(payload.position() + n));
        feedSkip -= n;
        payload.position(payload.position() + n);
      }
      if (feedSkip == 0) {
        feed.audio(header.bytes());
        written = header;
      }
    }
    feedSkip -= Math.min(feedSkip, payload.remaining());
    feed.audio(payload);
    played++;
  }

  /**
   * Takes the stream headers in force from this chunk on (the last one wins); drops those of
   * other epochs, and the header in force when the epoch changes.
   */
  private void applyHeader(SignedChunk chunk) {
    if (header != null && header.epoch() != chunk.epoch()) {
      header = null;
    }
    while (!pendingHeaders.isEmpty()) {
      SignedStreamHeader h = pendingHeaders.peekFirst();
      if (h.epoch() == chunk.epoch() && h.fromSeq() > chunk.seq()) {
        return;
      }
      pendingHeaders.removeFirst();
      if (h.epoch() == chunk.epoch()) {
        header = h;
      }
    }
  }

  /** Applies the metadata records in force from this chunk on; drops those of other epochs. */
  private void applyMetadata(SignedChunk chunk) {
    while (!pendingMeta.isEmpty()) {
      MetadataRecord r = pendingMeta.peekFirst();
      if (r.epoch() == chunk.epoch() && r.fromSeq() > chunk.seq()) {
        return;
      }
      pendingMeta.removeFirst();
      if (r.epoch() == chunk.epoch()) {
        feed.metadata(IcyMetadata.of(r.title(), r.url() == null || r.url().isEmpty() ? null
            : r.url()));
      }
    }
  }

  private void endFeed() {
    if (feed != null) {
      mount.feedEnded(feed);
      feed = null;
      feedNext = -1;
    }
  }

  /** The stream's description as the origin announces it (from a HEAD of the fallback URL). */
  public void announced(StreamInfo info) {
    this.announced = info;
  }

  /**
   * What listeners are told of the stream: what the mount knows, else what the origin announced,
   * else a guess from the path.
   */
  private StreamInfo info() {
    StreamInfo known = mount.info();
    if (known != null) {
      return known;
    }
    if (announced != null) {
      return announced;
    }
    String p = mount.path().toLowerCase(Locale.ROOT);
    String type = p.endsWith(".ogg") || p.endsWith(".opus") ? "application/ogg"
        : p.endsWith(".aac") ? "audio/aac" : "audio/mpeg";
    Headers.Builder b = Headers.builder();
    b.add("icy-br", Integer.toString(mount.settings().swarm().bitrateKbps()));
    b.add("icy-name", mount.path().substring(1));
    return new StreamInfo(type, b.build());
  }

  @Override
  public void appended(Segment segment, dev.floe.buffer.Chunk chunk) {
    lastAudioNanos = System.nanoTime();
    DirectBytes n = node;
    if (fallback && n != null) {
      n.directBytes(Epochs.toSwarm(segment.epoch()), chunk.end());
    }
  }

  /** Stops the tick and any direct pull. */
  public void close() {
    mount.swarm().onAppended(null);
    loop.execute(() -> {
      if (ticker != null) {
        ticker.cancel(false);
      }
      stopDirect();
      endFeed();
    });
  }
}
