package dev.floe.proxy.server;

import dev.floe.buffer.frame.ContentKind;
import dev.floe.icy.head.RequestHead;
import dev.floe.proxy.hls.HlsListeners;
import dev.floe.proxy.hls.HlsOffload;
import dev.floe.proxy.hls.MediaPlaylist;
import dev.floe.proxy.hls.SegmentIndex;
import dev.floe.proxy.hls.Segmenter;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import dev.floe.proxy.mount.Segment;
import dev.floe.proxy.mount.StreamInfo;
import io.netty.channel.Channel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HLS from a mount's back buffer ({@code docs/hls.md}): {@code /<mount>.m3u8}, a live media
 * playlist of the segments the buffer holds, and {@code /<mount>.hls/<epoch>-<start>-<tag>.mp3}
 * (or {@code .aac}), one segment: an ID3 tag ({@link dev.floe.proxy.hls.Id3}) and the stream's bytes from {@code
 * start} to the next segment's start ({@link Segmenter}). {@code tag} is a CRC-32 of the title in
 * the segment's ID3 tag, so a name pins the bytes exactly even where two nodes saw a title
 * change a few bytes apart (ICY metadata arrives at each listener's own interval). Playlists are
 * cached for a second, segments for a year ({@code immutable}); both carry the configured
 * {@code response-headers} (CORS) as streams do. Ogg mounts answer 415 for now. A playlist
 * request in a stream's first seconds waits for its first segment; after the source left or
 * restarted, the old run's last segments stay listed a while ({@link SegmentIndex}).
 */
final class HlsEndpoint {
  private static final Logger log = LoggerFactory.getLogger(HlsEndpoint.class);

  static final String PLAYLIST_SUFFIX = ".m3u8";
  static final String SEGMENTS = ".hls/";
  static final String PLAYLIST_CACHE = "max-age=1";
  static final String SEGMENT_CACHE = "public, max-age=31536000, immutable";
  /** How long a playlist request waits for a new stream's first segment (a player's timeout is
   * about 10 s; the first segment of a stream takes about 4 s). */
  static final long FIRST_SEGMENT_WAIT_NANOS = 8_000_000_000L;
  private static final long FIRST_SEGMENT_POLL_MS = 200;
  /** How often requests look for indexes of mounts that no longer have anything to list. */
  private static final long SWEEP_NANOS = 10_000_000_000L;

  private final MountRegistry mounts;
  private final Responses responses;
  private final HlsListeners listeners;
  private final Map<String, SegmentIndex> indexes;
  private final HlsOffload offload;
  private final AtomicLong nextSweep = new AtomicLong(System.nanoTime());

  /**
   * @param indexes the mounts' segment indexes by path, kept across reloads by {@link Wiring}
   */
  HlsEndpoint(MountRegistry mounts, Responses responses, HlsListeners listeners,
      Map<String, SegmentIndex> indexes, HlsOffload offload) {
    this.mounts = mounts;
    this.responses = responses;
    this.listeners = listeners;
    this.indexes = indexes;
    this.offload = offload;
  }

  /** A fresh, empty map of segment indexes (one per {@link Wiring}). */
  static Map<String, SegmentIndex> newIndexes() {
    return new ConcurrentHashMap<>();
  }

  /** Answers when {@code path} is a mount's playlist or segment; false (nothing sent) else. */
  boolean handle(Channel ch, RequestHead req, String path, boolean head) {
    if (path.endsWith(PLAYLIST_SUFFIX)) {
      Mount mount = mounts.get(path.substring(0, path.length() - PLAYLIST_SUFFIX.length()));
      if (mount == null) {
        return false;
      }
      if (offered(ch, mount)) {
        listeners.seen(mount.path(), ClientAddress.ip(ch), req.headers().get("User-Agent"));
        playlist(ch, mount, head, System.nanoTime() + FIRST_SEGMENT_WAIT_NANOS);
      }
      return true;
    }
    int at = path.lastIndexOf(SEGMENTS);
    if (at <= 0) {
      return false;
    }
    Mount mount = mounts.get(path.substring(0, at));
    if (mount == null) {
      return false;
    }
    if (offered(ch, mount)) {
      segment(ch, req, mount, path.substring(at + SEGMENTS.length()), head);
    }
    return true;
  }

  /** Whether the mount is of a kind HLS can carry and not hidden; else answers why not. */
  private boolean offered(Channel ch, Mount mount) {
    StreamInfo info = mount.info();
    if (mount.properties().hidden()) {
      notLive(ch, mount);
      return false;
    }
    if (info != null && ContentKind.of(info.contentType()) != ContentKind.MPEG) {
      log.info("{}: HLS of {} ({}): 415", ClientAddress.remote(ch), mount.path(),
          info.contentType());
      responses.error(ch, 415, "Unsupported Media Type", "HLS is offered for MP3 and AAC mounts"
          + " only; " + mount.path() + " is " + info.contentType());
      return false;
    }
    return true;
  }

  private void notLive(Channel ch, Mount mount) {
    log.info("{}: HLS of {}: not live: 404", ClientAddress.remote(ch), mount.path());
    responses.error(ch, 404, "File Not Found", "Mount " + mount.path() + " is not live yet");
  }

  /**
   * Sends the playlist; while it would list no segment yet (a source that started a moment ago)
   * it waits on the channel's event loop, up to {@code deadline}, for the first one, so that a
   * player joining in the stream's first seconds gets a playlist it can start from.
   */
  private void playlist(Channel ch, Mount mount, boolean head, long deadline) {
    SegmentIndex.Snapshot snap = snapshot(mount);
    if (snap == null) {
      notLive(ch, mount);
      return;
    }
    long nowNanos = System.nanoTime();
    if (snap.listed().isEmpty() && nowNanos < deadline) {
      if (!ch.isActive()) {
        return; // the player left while it waited
      }
      ch.eventLoop().schedule(() -> playlist(ch, mount, head, deadline), FIRST_SEGMENT_POLL_MS,
          TimeUnit.MILLISECONDS);
      return;
    }
    byte[] body = MediaPlaylist.render(snap, baseName(mount.path()) + SEGMENTS, Instant.now(),
        nowNanos).getBytes(StandardCharsets.UTF_8);
    responses.sendCached(ch, MediaPlaylist.CONTENT_TYPE, ByteBuffer.wrap(body), head,
        PLAYLIST_CACHE);
  }

  private void segment(Channel ch, RequestHead req, Mount mount, String name, boolean head) {
    listeners.seen(mount.path(), ClientAddress.ip(ch), req.headers().get("User-Agent"));
    SegmentIndex.Snapshot snap = snapshot(mount);
    if (snap == null) {
      notLive(ch, mount);
      return;
    }
    long start = startOf(name);
    for (SegmentIndex.Listed l : snap.listed()) {
      if (l.segment().start() == start && l.name().equals(name)) {
        byte[] body = index(mount).body(snap, l);
        if (body != null) {
          responses.sendCached(ch, name.endsWith(".aac") ? "audio/aac" : "audio/mpeg",
              ByteBuffer.wrap(body), head, SEGMENT_CACHE);
          offload.servedHttp(mount.path(), head ? 0 : body.length); // the upload budget
          return;
        }
      }
    }
    log.info("{}: HLS segment {} of {} not held: 404", ClientAddress.remote(ch), name,
        mount.path());
    responses.error(ch, 404, "File Not Found", "Segment " + name + " is not held (any more)");
  }

  /**
   * What the mount's playlist lists now: its live stream's segments (and the last ones of the
   * run before, a while after the source restarted); null when there is nothing to list (never
   * live, or off the air for a while).
   */
  private SegmentIndex.Snapshot snapshot(Mount mount) {
    sweep(System.nanoTime());
    StreamInfo info = mount.info();
    Segment run = mount.segment();
    SegmentIndex.Snapshot snap;
    if (info != null && run != null) {
      Integer kbps = info.bitrate();
      snap = index(mount).update(run, kbps == null || kbps <= 0 ? 0 : kbps * 125L,
          extension(info), System.nanoTime());
    } else {
      SegmentIndex index = indexes.get(mount.path());
      snap = index == null ? null : index.update(null, 0, "", System.nanoTime());
    }
    return snap == null || (snap.run() == null && snap.listed().isEmpty()) ? null : snap;
  }

  /**
   * Drops, at most every {@link #SWEEP_NANOS}, the indexes of mounts gone from the registry or
   * with nothing left to list ({@link SegmentIndex#idle}), so their segment bodies are freed.
   */
  private void sweep(long now) {
    long due = nextSweep.get();
    if (now - due < 0 || !nextSweep.compareAndSet(due, now + SWEEP_NANOS)) {
      return;
    }
    indexes.entrySet().removeIf(e -> mounts.get(e.getKey()) == null || e.getValue().idle(now));
  }

  private SegmentIndex index(Mount mount) {
    return indexes.computeIfAbsent(mount.path(), p -> new SegmentIndex());
  }

  /** The start position in a segment name, or -1 when the name has none. */
  static long startOf(String name) {
    int a = name.indexOf('-');
    int b = a < 0 ? -1 : name.indexOf('-', a + 1);
    if (b < 0) {
      return -1;
    }
    try {
      return Long.parseLong(name, a + 1, b, 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** ADTS AAC mounts get {@code .aac} segments, MPEG audio {@code .mp3}. */
  static String extension(StreamInfo info) {
    String t = info.contentType().toLowerCase(Locale.ROOT);
    return t.contains("aac") || t.contains("mp4a") ? ".aac" : ".mp3";
  }

  /** The last element of a mount's path: segment URIs are relative to the playlist. */
  static String baseName(String mountPath) {
    return mountPath.substring(mountPath.lastIndexOf('/') + 1);
  }
}
