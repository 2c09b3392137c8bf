package dev.floe.proxy.hls;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a live HLS media playlist (RFC 8216) of a mount's complete segments. Pure: the
 * segments, their URIs and wall-clock starts go in, the text comes out.
 *
 * <p>Every segment gets its {@code EXT-X-PROGRAM-DATE-TIME} (when this node received its first
 * byte), so players and tools can tie titles and positions to time; {@code EXT-X-MEDIA-SEQUENCE}
 * is the first segment's sequence number ({@link SegmentIndex}: its lattice number in the first
 * run a node saw, so the same on every node for the same segment, and growing by one per segment
 * across a source's restarts). Where the stream restarted (a new run: timestamps start again) an
 * {@code EXT-X-DISCONTINUITY} precedes the new run's first segment, and {@code
 * EXT-X-DISCONTINUITY-SEQUENCE} gives the first segment's discontinuity number when it is not 0
 * (RFC 8216 sections 4.3.2.3, 4.3.3.3). Before each segment's URI, {@code #EXT-X-FLOE-SHA256:<hex>} gives
 * the SHA-256 of its bytes (a tag of Floe's own, which players ignore): the web player plays a
 * segment from a browser peer only when it matches. There is no {@code EXT-X-ENDLIST}: the
 * stream is live.
 */
public final class MediaPlaylist {
  /** The playlist's content type (RFC 8216 section 4). */
  public static final String CONTENT_TYPE = "application/vnd.apple.mpegurl";

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  /**
   * One line of the playlist.
   *
   * @param segment the segment
   * @param sequence its media sequence number
   * @param discontinuity its discontinuity sequence number
   * @param uri its URI, relative to the playlist
   * @param started when its first byte arrived here
   * @param sha256 the SHA-256 of its bytes, lower-case hex
   */
  public record Entry(Segmenter.Segment segment, long sequence, long discontinuity, String uri,
      Instant started, String sha256) {}

  /** The tag that carries a segment's SHA-256. */
  public static final String SHA256_TAG = "#EXT-X-FLOE-SHA256:";

  private MediaPlaylist() {}

  /**
   * The playlist of what {@code snap} lists: URIs {@code base} + each name, dates from {@code now}
   * and {@code nowNanos} (the wall clock and {@code System.nanoTime()} read together).
   */
  public static String render(SegmentIndex.Snapshot snap, String base, Instant now,
      long nowNanos) {
    List<Entry> entries = new ArrayList<>(snap.listed().size());
    for (SegmentIndex.Listed l : snap.listed()) {
      entries.add(new Entry(l.segment(), l.sequence(), l.discontinuity(), base + l.name(),
          now.minusNanos(nowNanos - l.segment().appendedNanos()), l.sha256()));
    }
    return render(entries);
  }

  /** The playlist of {@code entries}, oldest first; none gives a valid empty live playlist. */
  public static String render(List<Entry> entries) {
    double longest = Segmenter.TARGET_SECONDS;
    for (Entry e : entries) {
      longest = Math.max(longest, e.segment().seconds());
    }
    StringBuilder sb = new StringBuilder(64 + 120 * entries.size());
    sb.append("#EXTM3U\n#EXT-X-VERSION:3\n")
        .append("#EXT-X-TARGETDURATION:").append((long) Math.ceil(longest - 1e-3)).append('\n')
        .append("#EXT-X-MEDIA-SEQUENCE:")
        .append(entries.isEmpty() ? 0 : entries.get(0).sequence()).append('\n');
    if (!entries.isEmpty() && entries.get(0).discontinuity() != 0) {
      sb.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(entries.get(0).discontinuity())
          .append('\n');
    }
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (i > 0 && e.discontinuity() != entries.get(i - 1).discontinuity()) {
        sb.append("#EXT-X-DISCONTINUITY\n");
      }
      sb.append("#EXT-X-PROGRAM-DATE-TIME:");
      DATE.formatTo(e.started(), sb);
      long ms = (e.segment().nanos() + 500_000) / 1_000_000; // seconds to 3 decimals, no format
      sb.append("\n#EXTINF:").append(ms / 1000).append('.')
          .append((char) ('0' + ms / 100 % 10)).append((char) ('0' + ms / 10 % 10))
          .append((char) ('0' + ms % 10)).append(",\n").append(SHA256_TAG).append(e.sha256()).append('\n')
          .append(e.uri()).append('\n');
    }
    return sb.toString();
  }
}
