package dev.floe.swarm.schedule;

import java.util.List;

/**
 * A node's swarm figures at one instant (immutable).
 *
 * @param partners per-partner bytes and roles
 * @param due chunks whose deadline passed, not counting the first 10 s after joining (DONet)
 * @param inTime of those, chunks held by their deadline
 * @param payloadUp payload bytes pushed and served
 * @param payloadDown payload bytes received, duplicates included
 * @param originBytes payload bytes received from the origin
 * @param fallbackBytes payload bytes received from the direct pull
 * @param duplicateBytes payload bytes received that were already held
 * @param controlBytes non-payload bytes sent and received (chunk headers included, signatures not)
 * @param lagMs playout lag behind the origin
 * @param startupMs join to the first playable chunk, -1 until then
 * @param fallback whether the node pulls directly now
 * @param fallbacks how many times it fell back
 */
public record SwarmStats(List<PartnerStats> partners, long due, long inTime, long payloadUp,
    long payloadDown, long originBytes, long fallbackBytes, long duplicateBytes, long controlBytes,
    int lagMs, long startupMs, boolean fallback, int fallbacks) {

  /** Copies {@code partners}. */
  public SwarmStats {
    partners = List.copyOf(partners);
  }

  /** Chunks in time over chunks due; 1 when none was due yet. */
  public double continuity() {
    return due == 0 ? 1 : (double) inTime / due;
  }

  /** Share of received payload that came from the origin. */
  public double originShare() {
    return payloadDown == 0 ? 0 : (double) originBytes / payloadDown;
  }

  /** Non-payload bytes over payload bytes, both directions. */
  public double controlOverhead() {
    long payload = payloadUp + payloadDown;
    return payload == 0 ? 0 : (double) controlBytes / payload;
  }
}
