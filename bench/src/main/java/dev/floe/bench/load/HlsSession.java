package dev.floe.bench.load;

/**
 * What one hls.js player does on a live media playlist, as a pure state machine (no sockets, the
 * caller supplies every time): which request to make next and when, and what it has played.
 *
 * <ul>
 *   <li>It starts {@value #LIVE_SYNC_COUNT} segments from the live edge of the first playlist
 *       (hls.js's {@code liveSyncDurationCount}), or at the first segment of a shorter one.
 *   <li>It fetches segments one at a time, in order, as soon as the playlist lists the next one.
 *   <li>It reloads the playlist one target duration after the previous load started, or half of
 *       one when that load brought no new segment (hls.js's {@code computeReloadInterval}).
 *   <li>A player that fell out of the window (its next segment is no longer listed) jumps back to
 *       {@value #LIVE_SYNC_COUNT} from the live edge, as hls.js does: a <em>skip</em>.
 * </ul>
 *
 * Each segment's audio goes into a {@link PlayerModel} when the whole segment has arrived (a
 * browser appends whole segments to its media buffer), so its underruns are the player's stalls.
 * Not thread-safe.
 */
final class HlsSession {
  /** hls.js's default {@code liveSyncDurationCount}. */
  static final int LIVE_SYNC_COUNT = 3;

  private final PlayerModel player;
  private HlsPlaylist playlist;
  private long next = -1;
  private long last = -1;
  private long reloadDueNs = Long.MIN_VALUE;
  private long playlists;
  private long segments;
  private long outOfOrder;
  private long skips;
  private long lastSegmentNs = -1;

  HlsSession(PlayerModel player) {
    this.player = player;
  }

  /**
   * A playlist whose request started at {@code requestStartNs} arrived at {@code nowNs}.
   *
   * @throws IllegalArgumentException when it is not live ({@code EXT-X-ENDLIST}) or went
   *     backwards
   */
  void playlist(long requestStartNs, long nowNs, HlsPlaylist p) {
    if (p.endList()) {
      throw new IllegalArgumentException("the playlist ended (#EXT-X-ENDLIST)");
    }
    if (playlist != null && p.end() < playlist.end()) {
      throw new IllegalArgumentException("the playlist went backwards: it ends at " + p.end()
          + ", the previous one at " + playlist.end());
    }
    boolean updated = playlist == null || p.end() > playlist.end();
    playlists++;
    playlist = p;
    if (next < 0 || next < p.mediaSequence()) {
      if (next >= 0) {
        skips++;
      }
      next = Math.max(p.mediaSequence(), p.end() - LIVE_SYNC_COUNT);
    }
    long interval = p.targetSeconds() * 1_000_000_000L;
    reloadDueNs = Math.max(nowNs, requestStartNs + (updated ? interval : interval / 2));
  }

  /** When the playlist is to be loaded again ({@link Long#MIN_VALUE}: now, none loaded yet). */
  long reloadDueNs() {
    return reloadDueNs;
  }

  /** The segment to fetch next, or null until the playlist lists it. */
  HlsPlaylist.Entry nextSegment() {
    return playlist == null ? null : playlist.entry(next);
  }

  /**
   * Segment {@code sequence} arrived whole at {@code nowNs} with {@code audioBytes} of audio.
   */
  void segment(long nowNs, long sequence, long audioBytes) {
    if (last >= 0 && sequence != last + 1) {
      outOfOrder++;
    }
    last = sequence;
    next = sequence + 1;
    segments++;
    lastSegmentNs = nowNs;
    player.arrive(nowNs, audioBytes);
  }

  PlayerModel player() {
    return player;
  }

  long playlists() {
    return playlists;
  }

  long segments() {
    return segments;
  }

  /** Segments whose number was not one more than the previous one's. */
  long outOfOrder() {
    return outOfOrder;
  }

  /** Times the player fell out of the window and jumped to the live edge. */
  long skips() {
    return skips;
  }

  /** When the last segment arrived, or -1. */
  long lastSegmentNs() {
    return lastSegmentNs;
  }
}
