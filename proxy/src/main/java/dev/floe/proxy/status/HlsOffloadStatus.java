package dev.floe.proxy.status;

import java.util.List;

/**
 * A mount's HLS upload budget (issue 18): segment bytes Floe served over HTTP, which it measures,
 * beside what web players report they played (claims, not measurements; {@code
 * docs/hls.md}).
 *
 * @param httpBytes segment body bytes Floe sent over HTTP (measured)
 * @param peerBytes segment bytes players report they got from browser peers (claimed)
 * @param reportedHttpBytes segment bytes players report they got over HTTP (claimed; lower than
 *     {@code httpBytes} when some HLS players, ffmpeg or Safari's own, do not report)
 * @param rejectedSegments peer segments players report they rejected (SHA-256 mismatch)
 * @param reports reports accepted
 * @param refusedReports reports refused (malformed, implausible, too large, too frequent)
 * @param offenders the peer ids most recently reported for rejected segments, newest last
 */
public record HlsOffloadStatus(long httpBytes, long peerBytes, long reportedHttpBytes,
    long rejectedSegments, long reports, long refusedReports, List<String> offenders) {

  public HlsOffloadStatus {
    offenders = List.copyOf(offenders);
  }

  /**
   * The share of segment bytes that came from peers: reported peer bytes over those plus the
   * HTTP bytes Floe measured; 0 before any.
   */
  public double offload() {
    double all = (double) peerBytes + httpBytes;
    return all > 0 ? peerBytes / all : 0;
  }
}
