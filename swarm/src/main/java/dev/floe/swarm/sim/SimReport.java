package dev.floe.swarm.sim;

import java.util.Locale;

/**
 * What a run measured, over the measured window only (after the join ramp and warm-up).
 *
 * @param nodes peers besides the origin
 * @param measuredMs length of the measured window
 * @param churned peers replaced during the run
 * @param measured peers with at least 20 chunks due in the window (the continuity population)
 * @param continuityMean mean over those peers of chunks in time / chunks due
 * @param continuityP5 5th percentile of the same
 * @param continuityPooled all chunks in time / all chunks due
 * @param originUpload origin's peer-protocol upload (chunks, headers, signatures, control) / r
 * @param trackerUpload tracker answers sent by the origin / r (apart: the tracker may run elsewhere)
 * @param trackerAnswersPerSecond tracker answers (to ANNOUNCE) per second
 * @param gossipOverhead gossip bytes (PEERS between peers, requests for them, alternatives in
 *     GOODBYE) / chunk payload bytes; part of {@code controlOverhead}
 * @param originChunkShare chunk payload sent by the origin / all chunk payload sent to peers
 * @param controlOverhead non-payload bytes (all control frames, chunk headers, HELLOs, tracker
 *     traffic; not signatures) / chunk payload bytes, at the real encoder's frame sizes
 *     ({@link WireCosts}; pings, 0.08% on sockets, are not simulated)
 * @param signatureShare signature bytes / chunk payload bytes
 * @param duplicateRatio duplicate payload received / payload received
 * @param fallbackShare stream bytes peers pulled directly / stream bytes the peers played
 * @param startupP50 join to first playable chunk, median over peers that joined after the ramp (ms)
 * @param startupP95 the same, 95th percentile (ms)
 * @param events events processed
 */
public record SimReport(int nodes, long measuredMs, int churned, int measured, double continuityMean,
    double continuityP5, double continuityPooled, double originUpload, double trackerUpload,
    double trackerAnswersPerSecond, double gossipOverhead, double originChunkShare, double controlOverhead, double signatureShare, double duplicateRatio,
    double fallbackShare, long startupP50, long startupP95, long events) {

  /** The figures as a Markdown table. */
  public String table() {
    return String.join("\n",
        "| metric | value |",
        "|---|---:|",
        row("peers (besides the origin)", "%d", nodes),
        row("measured simulated time (s)", "%.0f", measuredMs / 1000.0),
        row("peers replaced (churn)", "%d", churned),
        row("peers measured (>= 20 chunks due)", "%d", measured),
        row("continuity, mean over peers", "%.5f", continuityMean),
        row("continuity, 5th percentile", "%.5f", continuityP5),
        row("continuity, all chunks pooled", "%.5f", continuityPooled),
        row("origin upload / r (peer protocol)", "%.3f", originUpload),
        row("tracker answers / r", "%.3f", trackerUpload),
        row("tracker answers per second", "%.1f", trackerAnswersPerSecond),
        row("gossip / payload (part of the control overhead)", "%.4f", gossipOverhead),
        row("share of chunks sent by the origin", "%.5f", originChunkShare),
        row("control overhead / payload", "%.4f", controlOverhead),
        row("signatures / payload", "%.4f", signatureShare),
        row("all non-payload bytes / payload (control + signatures)", "%.4f", nonPayload()),
        row("duplicate payload / payload", "%.4f", duplicateRatio),
        row("stream pulled directly (fallback) share", "%.5f", fallbackShare),
        row("startup delay p50 (ms)", "%d", startupP50),
        row("startup delay p95 (ms)", "%d", startupP95),
        row("events", "%d", events));
  }

  /** Every byte on the wire that is not chunk payload, over chunk payload: the measure. */
  public double nonPayload() {
    return controlOverhead + signatureShare;
  }

  private static String row(String name, String format, Object value) {
    return "| " + name + " | " + String.format(Locale.ROOT, format, value) + " |";
  }
}
