package dev.floe.proxy.playlist;

import dev.floe.icy.head.Headers;
import dev.floe.icy.meta.IcyMetadata;
import dev.floe.proxy.mount.Feed;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.StreamInfo;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a mount from its {@code playlist} while no live source is connected (AutoDJ). Every
 * {@link #TICK_MILLIS} on the mount's event loop (no thread of its own) it releases the frames
 * the {@link Pacer} says are due, item after item, each item's title as ICY metadata. The lead is
 * the mount's {@code listener-delay + burst-size} (at the first item's bitrate, at most {@link
 * #MAX_LEAD}), so a new listener gets its burst at once and hears the schedule on time.
 *
 * <p>A scheduled list (RSS with {@code dc:date}) starts at the item and offset the {@link
 * Schedule} gives for now, cuts an item when the next one's start comes, and waits (no bytes)
 * through gaps; past its end the list is read again, and without a current item it plays from
 * the top. An unscheduled list plays in order and loops, re-read at each wrap. A file that
 * cannot be read is skipped with a log line naming it. A live source takes over through {@link
 * dev.floe.proxy.mount.SourceSlot#writeUnlessSource}; when it leaves, the playlist starts a new stream segment (a new
 * burst) and listeners stay connected. Items must share one format: an item of another kind
 * than the stream's is skipped with a log line. {@code http(s)} entries are downloaded to a
 * temporary file first (the next one while the current plays), then deleted.
 *
 * <p>About 420 lines: the item loop, the downloads and the pacing share one event-loop task; the
 * pure parts (Schedule, FrameReader, Pacer, PlaylistFiles) are apart.
 */
public final class PlaylistSource implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PlaylistSource.class);

  /** How often frames are released. */
  public static final long TICK_MILLIS = 100;

  /** How long to wait before trying a list again when none of its items plays. */
  private static final Duration RETRY = Duration.ofSeconds(5);

  /** Largest lead over real time. */
  public static final Duration MAX_LEAD = Duration.ofSeconds(30);

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build();

  private final Mount mount;
  private final Path list;
  private final Clock wall;
  private final LongSupplier nanos;
  private final ByteBuffer out = ByteBuffer.allocate(64 * 1024);
  private final Map<String, CompletableFuture<Path>> fetches = new HashMap<>();

  // Confined to the tick's thread.
  private List<Entry> entries;
  private List<Schedule.Slot> slots;
  private int index = -1;
  private Item item;
  private Path fetched;
  private Feed feed;
  private FrameReader.Kind kind;
  private Pacer pacer;
  private Instant wallStart;
  private long nanosStart;
  private long cutMedia = Long.MAX_VALUE;
  private long retryAt;
  private boolean pending;
  private String title = "";
  private boolean sequential;
  private ScheduledFuture<?> ticker;

  PlaylistSource(Mount mount, Path list, List<Entry> entries, Clock wall, LongSupplier nanos) {
    this.mount = mount;
    this.list = list;
    this.wall = wall;
    this.nanos = nanos;
    use(entries);
  }

  /**
   * Reads {@code mount}'s playlist and starts feeding it on {@code loop}.
   *
   * @throws IOException when the list cannot be read
   */
  public static PlaylistSource start(Mount mount, EventExecutor loop) throws IOException {
    Path list = Path.of(mount.settings().playlist());
    PlaylistSource p = new PlaylistSource(mount, list, PlaylistFiles.load(list),
        Clock.systemUTC(), System::nanoTime);
    mount.source().autoDj(() -> loop.execute(p::tick));
    p.ticker = loop.scheduleAtFixedRate(p::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    log.info("{}: playlist {} ({} entries)", mount.path(), list, p.entries.size());
    return p;
  }

  /** One step: releases what is due, unless a live source has the mount. */
  void tick() {
    try {
      if (!mount.source().writeUnlessSource(this::step)) {
        feed = null; // the source's startSource ended our feed
      }
    } catch (RuntimeException e) {
      log.warn("{}: playlist step failed", mount.path(), e);
    }
  }

  private void step() {
    long now = nanos.getAsLong();
    if (feed == null && (now < retryAt || !open(now))) {
      return;
    }
    int attempts = 0;
    while (pacer.due(now)) {
      if (item != null && pacer.media() < cutMedia && (pending || nextFrame())) {
        pending = false;
        write();
        continue;
      }
      flush();
      if (!advance() && ++attempts > entries.size()) {
        break;
      }
    }
    flush();
    mount.tick();
  }

  /** Starts (or after a live source, restarts) the stream: item, offset, lead, feed. */
  private boolean open(long now) {
    Instant t = wall.instant();
    if (pacer == null) {
      wallStart = t;
      nanosStart = now;
      pacer = new Pacer(now, 0);
    } else {
      pacer.restart(now);
    }
    if (!sequential && Schedule.scheduled(slots)) {
      closeItem();
      seek(t);
    }
    for (int tries = 0; item == null && tries <= entries.size(); tries++) {
      if (!load(index < 0 ? 0 : (index + 1) % entries.size())) {
        return false; // waiting for a download
      }
    }
    if (item == null) {
      log.warn("{}: no playable item in {}: trying again in {} s", mount.path(), list,
          RETRY.toSeconds());
      retryAt = now + RETRY.toNanos();
      return false;
    }
    kind = item.reader().kind();
    int kbps = Math.max(8, item.reader().bitrate());
    long leadBytes = mount.settings().listenerDelayBytes() + mount.settings().burstBytes();
    pacer.lead(Math.min(MAX_LEAD.toNanos(), leadBytes * 8_000_000L / kbps));
    Headers.Builder h = Headers.builder().add("icy-name", mount.path());
    if (item.reader().bitrate() > 0) {
      h.add("icy-br", Integer.toString(item.reader().bitrate()));
    }
    feed = mount.startSource("playlist " + list.getFileName(), new StreamInfo(kind.contentType(),
        h.build()));
    feed.metadata(IcyMetadata.of(title, null));
    return true;
  }

  /** Scheduled: goes to the item and offset for {@code t}; a gap before it passes as media. */
  private void seek(Instant t) {
    Schedule.Position p = Schedule.at(slots, t);
    if (p == null) {
      sequential = true;
      log.info("{}: the schedule is over: playing the list from the top", mount.path());
      index = -1;
      return;
    }
    index = p.index() - 1;
    if (p.offset().isNegative()) {
      pacer.advance(-p.offset().toNanos());
      return;
    }
    try {
      if (load(p.index()) && item != null) {
        pending = item.skipTo(p.offset().toNanos());
        log.info("{}: joining item {} at {} ms", mount.path(), p.index(),
            p.offset().toMillis());
      }
    } catch (IOException e) {
      log.warn("{}: skipping {}: {}", mount.path(), entries.get(p.index()).location(),
          e.getMessage());
      closeItem();
    }
  }

  /** The current item ended: the next one, in schedule or in order. False if none opened. */
  private boolean advance() {
    closeItem();
    int next = index + 1;
    if (next >= entries.size()) {
      reload();
      next = 0;
      if (!sequential && Schedule.scheduled(slots)) {
        Schedule.Position p = Schedule.at(slots, wallAt(pacer.media()));
        if (p != null) {
          next = p.index();
        } else {
          sequential = true;
        }
      }
    }
    if (!sequential) {
      Instant start = slots.get(next).start();
      if (start != null) {
        long at = mediaAt(start);
        if (at > pacer.media()) {
          pacer.advance(at - pacer.media()); // a gap in the schedule: no bytes until then
        }
      }
    }
    if (!load(next) || item == null) {
      return false;
    }
    if (kind != null && item.reader().kind() != kind) {
      log.warn("{}: skipping {}: {} in a {} stream", mount.path(), entries.get(next).location(),
          item.reader().kind().contentType(), kind.contentType());
      closeItem();
      return false;
    }
    if (feed != null) {
      feed.metadata(IcyMetadata.of(title, null));
    }
    return true;
  }

  /**
   * Opens item {@code i} positioned on its first frame; sets {@link #index}. Returns false only
   * while a download is pending (then nothing changes); a bad file leaves {@link #item} null.
   */
  private boolean load(int i) {
    Entry e = entries.get(i);
    Path file = Path.of(e.location());
    if (e.remote()) {
      CompletableFuture<Path> f = fetch(e.location());
      if (!f.isDone()) {
        return false;
      }
      fetches.remove(e.location());
      file = f.getNow(null);
      fetched = file;
    }
    index = i;
    prefetch((i + 1) % entries.size());
    Instant cut = sequential ? null : Schedule.cut(slots, i);
    cutMedia = cut == null ? Long.MAX_VALUE : mediaAt(cut);
    try {
      if (file == null) {
        throw new IOException("download failed");
      }
      item = new Item(file);
      if (!item.next()) {
        throw new IOException("no audio frames");
      }
      pending = true;
      title = title(e, file);
      log.info("{}: playing {} \"{}\"", mount.path(), e.location(), title);
    } catch (IOException ex) {
      log.warn("{}: skipping {}: {}", mount.path(), e.location(), ex.getMessage());
      closeItem();
    }
    return true;
  }

  private void prefetch(int i) {
    Entry e = entries.get(i);
    if (e.remote()) {
      fetch(e.location());
    }
  }

  private CompletableFuture<Path> fetch(String url) {
    return fetches.computeIfAbsent(url, u -> {
      try {
        // JAudioTagger picks its reader by the file's extension: keep the URL's.
        Path tmp = Files.createTempFile("floe-playlist", extension(URI.create(u).getPath()));
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(u)).build(),
                HttpResponse.BodyHandlers.ofFile(tmp))
            .thenApply(r -> r.statusCode() == 200 ? r.body() : null)
            .exceptionally(x -> null);
      } catch (IOException | IllegalArgumentException x) {
        return CompletableFuture.completedFuture(null);
      }
    });
  }

  /** {@code .mp3} for {@code /a/b.mp3}; {@code .audio} when the path has no extension. */
  static String extension(String path) {
    String name = path == null ? "" : path.replaceFirst(".*/", "");
    int dot = name.lastIndexOf('.');
    return dot > 0 && name.length() - dot <= 6 && name.substring(dot + 1).matches("[A-Za-z0-9]+")
        ? name.substring(dot) : ".audio";
  }

  /** The current item's next frame; false at its end or when it cannot be read further. */
  private boolean nextFrame() {
    try {
      return item.next();
    } catch (IOException e) {
      log.warn("{}: {} stopped: {}", mount.path(), entries.get(index).location(), e.getMessage());
      return false;
    }
  }

  private static String title(Entry e, Path file) {
    Tags t = Tags.read(file);
    String name = e.location().replaceFirst(".*[/\\\\]", "").replaceFirst("\\.[^.]*$", "");
    return t.display(e.title() != null ? e.title() : name);
  }

  private void write() {
    pending = false;
    FrameReader r = item.reader();
    if (out.remaining() < r.frameLength()) {
      flush();
    }
    out.put(r.frameBytes(), r.frameOffset(), r.frameLength());
    pacer.advance(r.frameNanos());
  }

  private void flush() {
    if (out.position() > 0 && feed != null) {
      feed.audio(out.flip());
    }
    out.clear();
  }

  private void closeItem() {
    if (item != null) {
      item.close();
      item = null;
    }
    if (fetched != null) {
      try {
        Files.deleteIfExists(fetched);
      } catch (IOException e) {
        // a temporary file
      }
      fetched = null;
    }
  }

  private void reload() {
    try {
      List<Entry> next = PlaylistFiles.load(list);
      if (!next.isEmpty()) {
        use(next);
      }
    } catch (IOException | IllegalArgumentException e) {
      log.warn("{}: cannot read playlist {} again ({}): keeping the old one", mount.path(), list,
          e.getMessage());
    }
  }

  /** Takes a list; durations are read (tags or frames) only when some item has a start time. */
  private void use(List<Entry> next) {
    boolean scheduled = next.stream().anyMatch(e -> e.start() != null);
    List<Schedule.Slot> s = new ArrayList<>();
    for (Entry e : next) {
      s.add(new Schedule.Slot(e.start(), scheduled ? duration(e) : Duration.ZERO));
    }
    entries = next;
    slots = s;
  }

  /** A local file's playing time, from its tags or else by reading its frames; 0 if unknown. */
  private static Duration duration(Entry e) {
    if (e.remote()) {
      return Duration.ZERO;
    }
    Path p = Path.of(e.location());
    Duration d = Tags.read(p).duration();
    try {
      return d != null ? d : Duration.ofNanos(Item.scanDuration(p));
    } catch (IOException x) {
      return Duration.ZERO;
    }
  }

  private Instant wallAt(long media) {
    return wallStart.plusNanos(pacer.clockAt(media) - nanosStart);
  }

  private long mediaAt(Instant t) {
    return Duration.between(wallStart, t).toNanos() + nanosStart - pacer.clockAt(0);
  }

  /** Stops feeding; a live source may still use the mount. */
  @Override
  public void close() {
    mount.source().autoDj(null);
    if (ticker != null) {
      ticker.cancel(false);
    }
    closeItem();
  }
}
