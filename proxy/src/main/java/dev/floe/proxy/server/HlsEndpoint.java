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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
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
 * {@code response-headers} (CORS) as streams do. Ogg mounts answer 415 for now.
 */
final class HlsEndpoint {
  private static final Logger log = LoggerFactory.getLogger(HlsEndpoint.class);

  static final String PLAYLIST_SUFFIX = ".m3u8";
  static final String SEGMENTS = ".hls/";
  static final String PLAYLIST_CACHE = "max-age=1";
  static final String SEGMENT_CACHE = "public, max-age=31536000, immutable";

  private final MountRegistry mounts;
  private final Responses responses;
  private final HlsListeners listeners;
  private final Map<String, SegmentIndex> indexes;
  private final HlsOffload offload;

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
      Live live = live(ch, mount);
      if (live != null) {
        playlist(ch, req, mount, live, head);
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
    Live live = live(ch, mount);
    if (live != null) {
      segment(ch, req, mount, live, path.substring(at + SEGMENTS.length()), head);
    }
    return true;
  }

  /** What one request reads of a live mount: read once, as a source may leave meanwhile. */
  private record Live(StreamInfo info, Segment run) {}

  /** The mount's stream when it is live and of a kind HLS can carry; else answers why not. */
  private Live live(Channel ch, Mount mount) {
    StreamInfo info = mount.info();
    Segment run = mount.segment();
    if (info == null || run == null || mount.properties().hidden()) {
      log.info("{}: HLS of {}: not live: 404", ClientAddress.remote(ch), mount.path());
      responses.error(ch, 404, "File Not Found", "Mount " + mount.path() + " is not live yet");
      return null;
    }
    if (ContentKind.of(info.contentType()) != ContentKind.MPEG) {
      log.info("{}: HLS of {} ({}): 415", ClientAddress.remote(ch), mount.path(),
          info.contentType());
      responses.error(ch, 415, "Unsupported Media Type", "HLS is offered for MP3 and AAC mounts"
          + " only; " + mount.path() + " is " + info.contentType());
      return null;
    }
    return new Live(info, run);
  }

  private void playlist(Channel ch, RequestHead req, Mount mount, Live live, boolean head) {
    listeners.seen(mount.path(), ClientAddress.ip(ch), req.headers().get("User-Agent"));
    SegmentIndex.Snapshot snap = snapshot(mount, live);
    String base = baseName(mount.path()) + SEGMENTS;
    String ext = extension(live.info());
    long nowNanos = System.nanoTime();
    Instant now = Instant.now();
    List<MediaPlaylist.Entry> entries = new ArrayList<>(snap.segments().size());
    for (Segmenter.Segment s : snap.segments()) {
      entries.add(new MediaPlaylist.Entry(s, base + name(snap.run(), s) + ext,
          now.minusNanos(nowNanos - s.appendedNanos()), snap.sha256(s)));
    }
    byte[] body = MediaPlaylist.render(entries).getBytes(StandardCharsets.UTF_8);
    responses.sendCached(ch, MediaPlaylist.CONTENT_TYPE, ByteBuffer.wrap(body), head,
        PLAYLIST_CACHE);
  }

  private void segment(Channel ch, RequestHead req, Mount mount, Live live, String name,
      boolean head) {
    listeners.seen(mount.path(), ClientAddress.ip(ch), req.headers().get("User-Agent"));
    SegmentIndex index = index(mount);
    SegmentIndex.Snapshot snap = snapshot(mount, live);
    String ext = extension(live.info());
    long start = startOf(name);
    for (Segmenter.Segment s : snap.segments()) {
      if (s.start() == start && (name(snap.run(), s) + ext).equals(name)) {
        byte[] body = index.body(snap, s);
        if (body != null) {
          responses.sendCached(ch, ext.equals(".aac") ? "audio/aac" : "audio/mpeg",
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

  private SegmentIndex.Snapshot snapshot(Mount mount, Live live) {
    Integer kbps = live.info().bitrate();
    return index(mount).update(live.run(), kbps == null || kbps <= 0 ? 0 : kbps * 125L);
  }

  private SegmentIndex index(Mount mount) {
    return indexes.computeIfAbsent(mount.path(), p -> new SegmentIndex());
  }

  /** {@code <epoch>-<start>-<tag>}: the stream's epoch, the segment's position, the title's CRC. */
  static String name(Segment run, Segmenter.Segment s) {
    CRC32 crc = new CRC32();
    crc.update(s.title().getBytes(StandardCharsets.UTF_8));
    return run.epoch() + "-" + s.start() + "-" + String.format(Locale.ROOT, "%08x", crc.getValue());
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
