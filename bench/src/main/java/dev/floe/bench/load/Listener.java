package dev.floe.bench.load;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One simulated listener: its socket, its parser and its timings. Owned by one {@link Worker}
 * thread; all times are {@link System#nanoTime()} values, -1 when the event has not happened.
 */
final class Listener {
  /** Why a listener failed; the JSON uses the lower-case names. */
  enum Failure {
    CONNECT_REFUSED,
    CONNECT_TIMEOUT,
    CONNECT_ERROR,
    RESPONSE_TIMEOUT,
    NON_200,
    PARSE_ERROR,
    CLOSED_EARLY,
    IO_ERROR
  }

  final int id;
  final IcyStreamParser parser;
  SocketChannel channel;
  SelectionKey key;
  int requestWritten;

  long connectStartNs = -1;
  long connectedNs = -1;
  long requestSentNs = -1;
  long firstByteNs = -1;
  long firstAudioNs = -1;
  long lastByteNs = -1;

  int stalls;
  long stallNs;
  long bytes;
  /**
   * Longest time between two reads that returned bytes, for gaps that end inside the steady window
   * (the last read to the window's end included), so the ramp and the bursts do not count.
   */
  long maxGapNs;
  /** When the longest gap began (the read before it), or -1. */
  long maxGapStartNs = -1;
  /** The modelled player fed with this listener's audio arrivals. */
  final PlayerModel player;
  long audioSeen;

  long windowStartAudio = -1;
  long windowEndAudio = -1;

  Failure failure;
  String failureDetail;
  long failedNs = -1;
  boolean closed;

  Listener(int id, boolean metadata, PlayerModel player) {
    this.id = id;
    this.parser = new IcyStreamParser(metadata);
    this.player = player;
  }

  /** Open, past the head, and not failed. */
  boolean streaming() {
    return !closed && failure == null && parser.headComplete() && !parser.failed();
  }

  /** Immutable copy of the figures needed by the report. */
  Result result(boolean connectedAtEnd, long windowStartNs) {
    return new Result(
        id,
        diff(connectStartNs, connectedNs),
        diff(requestSentNs, firstByteNs),
        diff(requestSentNs, firstAudioNs),
        stalls,
        stallNs,
        bytes,
        parser.audioBytes(),
        windowStartAudio,
        windowEndAudio,
        failure,
        failureDetail,
        connectedAtEnd,
        parser.metadataBlocks(),
        parser.nonEmptyMetadataBlocks(),
        firstByteNs < 0 ? -1 : maxGapNs,
        maxGapStartNs < 0 ? Long.MIN_VALUE : maxGapStartNs - windowStartNs,
        player.started(),
        player.underrunNs(),
        player.underruns(),
        null);
  }

  static long diff(long from, long to) {
    return from < 0 || to < 0 ? -1 : to - from;
  }

  /**
   * A listener's figures at the end of the steady window; durations in ns, -1 when absent. For an
   * HLS player, {@code stalls} are its player model's underruns, and the longest silence is the
   * longest time between two whole segments.
   */
  record Result(
      int id,
      long connectNs,
      long ttfbNs,
      long firstAudioNs,
      int stalls,
      long stallNs,
      long bytes,
      long audioBytes,
      long windowStartAudio,
      long windowEndAudio,
      Failure failure,
      String failureDetail,
      boolean connectedAtEnd,
      long metadataBlocks,
      long nonEmptyMetadataBlocks,
      long maxGapNs,
      long maxGapStartFromWindowNs,
      boolean playing,
      long underrunNs,
      int underruns,
      Hls hls) {}

  /**
   * An HLS player's requests ({@link HlsWorker}); null for an ICY listener.
   *
   * @param requests HTTP requests made (playlists and segments)
   * @param playlists playlists loaded
   * @param segments segments loaded whole
   * @param outOfOrder segments whose number was not one more than the previous one's
   * @param skips times the player fell out of the window and jumped to the live edge
   */
  record Hls(long requests, long playlists, long segments, long outOfOrder, long skips) {}
}
