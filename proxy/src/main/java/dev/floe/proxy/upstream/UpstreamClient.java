package dev.floe.proxy.upstream;

import dev.floe.icy.head.HeadLimits;
import dev.floe.icy.head.ResponseHead;
import dev.floe.icy.meta.IcyMetadata;
import dev.floe.icy.resume.FloePosition;
import dev.floe.proxy.config.MountSettings;
import dev.floe.proxy.mount.Feed;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.Segment;
import dev.floe.proxy.mount.StreamInfo;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one mount fed from its upstreams, in priority order (Floe nodes and plain Icecast or
 * SHOUTcast servers may be mixed).
 *
 * <ul>
 *   <li>It asks a Floe upstream for the position after the newest byte the mount holds, so a
 *       reconnect or a switch resumes with no gap and no repeat; a plain upstream's burst is
 *       spliced by content instead.
 *   <li>A failed or refused connection moves to the next upstream at once; silence for
 *       {@code switch-timeout} (or {@code stall-timeout} with one upstream) counts as a failure.
 *       After a whole round of failures it waits as {@link Backoff} says: fast for the first
 *       seconds of an outage, then full jitter up to {@code reconnect-max}; the next attempt is
 *       shown in the mount's status.
 *   <li>An upstream that answers a playlist ({@link StreamPlaylist}) is replaced in the list by
 *       the playlist's streams; an answer that is not audio is refused, never relayed.
 *   <li>While on a lower-priority upstream it probes a higher one every {@code probe-interval},
 *       and switches make-before-break once the probe can continue the stream exactly.
 * </ul>
 *
 * <p>The mount's listeners stay connected throughout. Everything runs on one event loop, the
 * mount's writer thread.
 *
 * <p>About 400 lines: failover, backoff, probes and playlist links all decide which connection
 * writes the mount, so they share one place.
 */
public final class UpstreamClient implements AutoCloseable, UpstreamConnection.Events {
  private static final Logger log = LoggerFactory.getLogger(UpstreamClient.class);

  /** How long a plain upstream's first bytes are searched for the overlap before joining. */
  private static final long SPLICE_DEADLINE_MS = 1500;


  private final Mount mount;
  private final MountSettings settings;
  /** The upstreams in priority order, with each playlist replaced by its streams once read. */
  private final List<URI> upstreams;
  /** Upstreams that came from a playlist: a playlist there is refused, not followed. */
  private final Set<URI> fromPlaylists = new HashSet<>();
  private final Backoff backoff;
  private final EventLoop loop;
  private final SslContext ssl;
  private final HeadLimits limits;
  private UpstreamConnection.Options options;
  private UpstreamConnection current;
  private UpstreamConnection probe;
  private int index;
  private int failuresInRow;
  private int retries416;
  private int nextProbe;
  private ScheduledFuture<?> ticker;
  private ScheduledFuture<?> prober;
  private volatile boolean closed;

  public UpstreamClient(Mount mount, EventLoop loop, SslContext ssl, HeadLimits limits) {
    this.mount = mount;
    this.settings = mount.settings();
    this.upstreams = new ArrayList<>(settings.upstreams());
    this.backoff = new Backoff(settings.reconnectMin(), settings.reconnectFast(),
        settings.reconnectFastFor(), settings.reconnectMax(),
        (a, b) -> ThreadLocalRandom.current().nextLong(a, b + 1));
    this.loop = loop;
    this.ssl = ssl;
    this.limits = limits;
    this.options = options(upstreams.size());
  }

  private UpstreamConnection.Options options(int count) {
    return new UpstreamConnection.Options(loop, ssl, limits, settings.userAgent(),
        settings.connectTimeout(),
        count > 1 ? settings.switchTimeout() : settings.stallTimeout(),
        settings.maxRedirects());
  }

  /** Starts pulling; returns at once. */
  public void start() {
    loop.execute(() -> connect(0, position()));
    ticker = loop.scheduleAtFixedRate(mount::tick, 100, 100, TimeUnit.MILLISECONDS);
    startProber();
  }

  private void startProber() {
    if (upstreams.size() > 1 && prober == null && !closed) {
      long every = settings.probeInterval().toMillis();
      prober = loop.scheduleAtFixedRate(this::probeHigher, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** The Floe-Position to ask for: right after the newest byte held, or {@code *}. */
  private String position() {
    Segment s = mount.segment();
    return s == null ? FloePosition.ANY.toString()
        : new FloePosition(s.epoch(), s.buffer().newest()).toString();
  }

  private void connect(int i, String position) {
    if (closed) {
      return;
    }
    index = i;
    current = new UpstreamConnection(options, this, upstreams.get(i), i, false, position);
    current.open();
  }

  private void probeHigher() {
    if (closed || current == null || current.feed() == null || current.index() == 0
        || probe != null) {
      return;
    }
    int i = nextProbe++ % current.index();
    probe = new UpstreamConnection(options, this, upstreams.get(i), i, true, position());
    probe.open();
  }

  @Override
  public boolean onHead(UpstreamConnection c, ResponseHead head) {
    if (head.status() == 416) {
      on416(c, head);
      return false;
    }
    if (head.status() != 200) {
      return false;
    }
    FloePosition start = FloePosition.parse(head.headers().get(FloePosition.HEADER));
    Feed feed = mount.openFeed(c.uri().toString(), StreamInfo.fromUpstream(head.headers()),
        start);
    c.feed(feed);
    String meta = head.headers().get("Floe-Metadata");
    if (!c.probe()) {
      retries416 = 0;
      mount.activate(feed, c.index());
      log.info("{}: streaming from {} ({}{})", mount.path(), c.uri(),
          head.headers().get("Content-Type"), start == null ? ", no positions" : ", at " + start);
      applyMetadata(feed, meta);
    } else if (feed.positioned()) {
      if (!mount.continues(feed)) {
        return false; // another epoch, or it cannot reach back to our newest byte
      }
      switchTo(c, meta);
      return true;
    }
    if (!feed.positioned()) {
      c.lastAudioNanos = System.nanoTime();
      watchSplice(c, feed, System.nanoTime());
    }
    return true;
  }

  /**
   * Ends a splice search once the upstream's burst is over or after {@link #SPLICE_DEADLINE_MS}:
   * an overlap would have been in the burst. The burst is over when, over a 100 ms window after
   * the first bytes, data arrives no faster than 1.5 times the stream's rate.
   */
  private void watchSplice(UpstreamConnection c, Feed feed, long began) {
    long windowStart = System.nanoTime();
    long bytesAtStart = c.audioBytes;
    loop.schedule(() -> {
      if (c.feed() != feed || feed.positioned()) {
        return;
      }
      long now = System.nanoTime();
      long realtime = mount.bytesPerSecond() * 3 / 2 * (now - windowStart) / 1_000_000_000L;
      boolean burstOver = bytesAtStart > 0 && c.audioBytes - bytesAtStart <= realtime;
      if (burstOver || now - began > SPLICE_DEADLINE_MS * 1_000_000L) {
        spliceDecided(c, feed.finishSplice());
      } else {
        watchSplice(c, feed, began);
      }
    }, 100, TimeUnit.MILLISECONDS);
  }

  private static void applyMetadata(Feed feed, String encoded) {
    if (encoded != null) {
      feed.metadata(IcyMetadata.parse(URLDecoder.decode(encoded, StandardCharsets.UTF_8)));
    }
  }

  /** The upstream cannot resume at the position asked: choose what to ask next. */
  private void on416(UpstreamConnection c, ResponseHead head) {
    FloePosition theirs = FloePosition.parse(head.headers().get(FloePosition.HEADER));
    long[] window = FloePosition.parseWindow(head.headers().get("Floe-Window"));
    Segment s = mount.segment();
    if (c.probe()) {
      c.close("cannot resume at " + position());
      probe = null;
      if (justBehind(s, theirs, window) && !c.retriedProbe()) {
        // A restarted upstream refills from its own upstream a moment behind this node, and
        // stays that far behind: ask from its newest byte, which this mount already holds (the
        // overlap is dropped), so the switch back can still happen make-before-break.
        probe = new UpstreamConnection(options, this, c.uri(), c.index(), true,
            new FloePosition(theirs.epoch(), window[1]).toString());
        probe.markRetriedProbe();
        probe.open();
      }
      return;
    }
    String retry;
    if (theirs == null || theirs.isAny() || window == null || retries416 >= 2) {
      c.close("unusable 416 from upstream");
      return;
    } else if (s != null && s.epoch().equals(theirs.epoch()) && s.buffer().newest() > window[1]) {
      c.close("upstream is behind this node (its newest " + window[1] + ")");
      return;
    } else if (s != null && s.epoch().equals(theirs.epoch())) {
      retry = new FloePosition(theirs.epoch(), window[0]).toString(); // accept the gap
    } else {
      retry = FloePosition.ANY.toString(); // another epoch: the stream restarted
    }
    retries416++;
    log.warn("{}: {} cannot resume at {} (window {}-{}); asking for {}", mount.path(), c.uri(),
        position(), window[0], window[1], retry);
    c.close("416, retrying");
    current = null;
    connect(c.index(), retry);
  }

  /**
   * Whether a 416's upstream is on this node's epoch with its newest byte behind this node's, by
   * at most two seconds of audio (16 KiB at least).
   */
  private boolean justBehind(Segment s, FloePosition theirs, long[] window) {
    if (s == null || theirs == null || theirs.isAny() || window == null
        || !s.epoch().equals(theirs.epoch())) {
      return false;
    }
    long ours = s.buffer().newest();
    long slack = Math.max(16 * 1024, 2 * mount.bytesPerSecond());
    return window[1] < ours && window[1] >= ours - slack && window[1] >= window[0];
  }

  @Override
  public void onAudio(UpstreamConnection c, ByteBuffer audio) {
    Feed feed = c.feed();
    if (feed == null) {
      return;
    }
    if (c.audioBytes == 0) {
      c.firstAudioNanos = System.nanoTime();
    }
    c.audioBytes += audio.remaining();
    c.lastAudioNanos = System.nanoTime();
    if (c == current && failuresInRow > 0) {
      mount.retrying(null, null);
    }
    Feed.Splice decided = feed.audio(audio);
    if (decided != Feed.Splice.PENDING) {
      spliceDecided(c, decided);
    }
    if (c == current) {
      failuresInRow = 0;
    }
  }

  private void spliceDecided(UpstreamConnection c, Feed.Splice decided) {
    if (c == probe) {
      if (decided == Feed.Splice.FOUND) {
        switchTo(c, null);
      } else {
        c.close("no overlap with what is held: staying on " + current.uri());
      }
    }
  }

  /** Makes a probe the current connection: it continues the stream exactly. */
  private void switchTo(UpstreamConnection c, String meta) {
    UpstreamConnection old = current;
    probe = null;
    current = c;
    index = c.index();
    mount.activate(c.feed(), c.index());
    applyMetadata(c.feed(), meta);
    log.info("{}: moved back to {} (priority {})", mount.path(), c.uri(), c.index());
    if (old != null) {
      old.close("replaced by " + c.uri());
    }
  }

  @Override
  public void onMetadata(UpstreamConnection c, IcyMetadata meta) {
    if (c.feed() != null) {
      c.feed().metadata(meta);
    }
  }

  /**
   * Replaces the playlist at {@code c}'s index by its streams (the rest keep their order) and
   * dials the first one when {@code c} was the current connection.
   */
  @Override
  public void onPlaylist(UpstreamConnection c, List<URI> streams) {
    int at = c.index();
    if (closed || at >= upstreams.size()) {
      return;
    }
    if (fromPlaylists.contains(upstreams.get(at))) {
      c.refuse("answered a playlist, and a playlist inside a playlist is not followed");
      return;
    }
    List<URI> fresh = streams.stream().filter(u -> !upstreams.contains(u)).toList();
    if (fresh.isEmpty()) {
      c.refuse("answered a playlist naming only streams already listed: " + streams);
      return;
    }
    URI list = upstreams.remove(at);
    upstreams.addAll(at, fresh);
    fromPlaylists.addAll(fresh);
    int shift = fresh.size() - 1;
    for (UpstreamConnection other : new UpstreamConnection[] {current, probe}) {
      if (other != null && other != c && other.index() > at) {
        other.shift(shift);
      }
    }
    options = options(upstreams.size());
    log.info("{}: {} is a playlist; relaying its {} stream(s) in order: {}", mount.path(), list,
        fresh.size(), fresh);
    startProber();
    if (c == current) {
      current = null;
      connect(Math.min(at, upstreams.size() - 1), position());
    } else if (c == probe) {
      probe = null;
    }
  }

  @Override
  public void onClosed(UpstreamConnection c, String why) {
    if (c.feed() != null) {
      mount.feedEnded(c.feed());
    }
    if (c == probe) {
      probe = null;
      log.debug("{}: probe of {} ended: {}", mount.path(), c.uri(), why);
      return;
    }
    if (c != current || closed) {
      return; // replaced, or a 416 retry already dialled
    }
    current = null;
    failuresInRow++;
    long now = System.nanoTime();
    if (c.firstAudioNanos != 0
        && now - c.firstAudioNanos >= settings.reconnectFastFor().toNanos()) {
      // Audio flowed for a while: a new outage, fast again. A station that drops every
      // connection after a few seconds of audio stays on the outage's schedule.
      backoff.reset();
    }
    int next = (c.index() + 1) % upstreams.size();
    int n = upstreams.size();
    if (failuresInRow < n) {
      log.warn("{}: upstream {} failed ({}); switching to {}; listeners stay connected",
          mount.path(), c.uri(), why, upstreams.get(next));
      connect(next, position());
      return;
    }
    int round = failuresInRow - n + 1;
    boolean wasPolite = backoff.polite();
    long delay = backoff.next(c.failureKind(), now / 1_000_000L);
    if (round == 1 || round % 20 == 0 || backoff.polite() != wasPolite) {
      log.warn("{}: upstream {} failed ({}), attempt {}, retrying {} in {} ms{}; listeners stay"
          + " connected", mount.path(), c.uri(), why, failuresInRow, upstreams.get(next), delay,
          backoff.polite() ? " (backing off: the outage is past its first seconds)" : "");
    }
    mount.retrying(Instant.now().plusMillis(delay), why);
    loop.schedule(() -> connect(next, position()), delay, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    closed = true;
    loop.execute(() -> {
      if (ticker != null) {
        ticker.cancel(false);
      }
      if (prober != null) {
        prober.cancel(false);
      }
      if (current != null) {
        current.close("shutting down");
      }
      if (probe != null) {
        probe.close("shutting down");
      }
    });
  }
}
