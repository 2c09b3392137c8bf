package dev.floe.proxy.status;

import java.util.List;
import java.util.Objects;

/**
 * Snapshot of a mount's swarm node for the status renderers ({@code floe_swarm} in the status
 * JSON, the status page, {@code floe_swarm_*} metrics).
 *
 * @param role {@code origin} or {@code peer}
 * @param join the channel's join address (what peers put in their configuration)
 * @param partners current partners
 * @param continuity chunks played in time over chunks due (1 until any was due)
 * @param originShare share of received payload that came from the origin (0 on the origin)
 * @param lagMs playout lag behind the origin: on a peer, measured (when its last chunk went into
 *     the mount, less the chunk's origin time), else the scheduler's
 * @param controlOverhead non-payload bytes over payload bytes, both ways
 * @param bytesUp payload bytes sent to partners
 * @param bytesDown payload bytes received from partners
 * @param wireBytesUp bytes sent to partners on the wire: payload, framing, signatures, maps and
 *     control (what an upload cap is spent on)
 * @param wireBytesDown bytes received from partners on the wire
 * @param fallback whether the mount pulls the stream directly because the swarm falls short
 * @param trackerPeers on the origin, peers the tracker lists as connectable; -1 on a peer
 * @param error why the node is not running (key file unreadable, ...), or null
 * @param errors records (chunks, titles, stream headers) that could not be published or played
 * @param lastError the latest of those failures, or null
 * @param recentContinuity continuity over about the last minute (NaN until known)
 */
public record SwarmStatus(String role, String join, List<Partner> partners, double continuity,
    double originShare, int lagMs, double controlOverhead, long bytesUp, long bytesDown,
    long wireBytesUp, long wireBytesDown, boolean fallback, int trackerPeers, String error,
    long errors, String lastError, double recentContinuity) {

  /** A status without record failures. */
  public SwarmStatus(String role, String join, List<Partner> partners, double continuity,
      double originShare, int lagMs, double controlOverhead, long bytesUp, long bytesDown,
      long wireBytesUp, long wireBytesDown, boolean fallback, int trackerPeers, String error) {
    this(role, join, partners, continuity, originShare, lagMs, controlOverhead, bytesUp,
        bytesDown, wireBytesUp, wireBytesDown, fallback, trackerPeers, error, 0, null, Double.NaN);
  }

  /**
   * One partner.
   *
   * @param address its address
   * @param bytesUp bytes sent to it on the wire
   * @param bytesDown bytes received from it on the wire
   * @param rttMs round-trip time
   * @param node its node id ("" when unknown)
   */
  public record Partner(String address, long bytesUp, long bytesDown, int rttMs, String node) {
    /** A partner whose node id is not known. */
    public Partner(String address, long bytesUp, long bytesDown, int rttMs) {
      this(address, bytesUp, bytesDown, rttMs, "");
    }
  }

  /** Checks for nulls and copies the list. */
  public SwarmStatus {
    Objects.requireNonNull(role, "role");
    partners = List.copyOf(partners);
  }
}
