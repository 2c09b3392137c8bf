package dev.floe.swarm.schedule;

/**
 * What one node's {@link Scheduler} is told about its stream and itself; validated once, here: a bad
 * value throws {@link IllegalArgumentException} naming the field. The brief's timing constants
 * (Ta, hysteresis, push grace, last resort, ...) are constants of {@link Scheduler}.
 *
 * @param streamKbps stream rate r in kbit/s (8 to 1000)
 * @param chunkMs chunk duration (100 to 2000 ms; {@link #of} picks 500 ms at r of 128 kbit/s and
 *     more, 1000 ms below)
 * @param substreams K, the number of push substreams (chunk {@code seq} belongs to {@code seq % K};
 *     1 to 8)
 * @param lagMs playout lag behind the origin (3000 to 30000 ms, and under 60 chunks)
 * @param uploadKbps this node's upload cap in kbit/s (0 or more), shared by children and requesters
 * @param partnerTarget partners the node dials up to (M; 1 to partnerMax)
 * @param partnerMax partners beyond which inbound connections are dropped (1 to 64)
 * @param origin whether this node is the origin (seed of last resort with a fixed budget)
 * @param originPushCopies children the origin accepts per substream (1 to 4): the origin pushes
 *     this many times r, and serves at most half of r more as last resort
 * @param mapBudget share of the stream rate a node spends sending buffer maps (0.001 to 0.05): it
 *     sets the buffer-map period from the partner count, between 1 s and min(4 s, lag / 2)
 */
public record SchedulerConfig(
    int streamKbps, int chunkMs, int substreams, int lagMs, int uploadKbps, int partnerTarget,
    int partnerMax, boolean origin, int originPushCopies, double mapBudget) {

  /** Validates every field; see the record's description for the ranges. */
  public SchedulerConfig {
    check(streamKbps >= 8 && streamKbps <= 1000, "streamKbps", streamKbps);
    check(chunkMs >= 100 && chunkMs <= 2000, "chunkMs", chunkMs);
    check(substreams >= 1 && substreams <= 8, "substreams", substreams);
    check(lagMs >= 3000 && lagMs <= 30000 && lagMs / chunkMs < 60, "lagMs", lagMs);
    check(uploadKbps >= 0, "uploadKbps", uploadKbps);
    check(partnerMax >= 1 && partnerMax <= 64, "partnerMax", partnerMax);
    check(partnerTarget >= 1 && partnerTarget <= partnerMax, "partnerTarget", partnerTarget);
    check(originPushCopies >= 1 && originPushCopies <= 4, "originPushCopies", originPushCopies);
    check(mapBudget >= 0.001 && mapBudget <= 0.05, "mapBudget", mapBudget);
  }

  /**
   * The defaults of the brief (§2.13) for a peer: K = 4, lag advised for a swarm of up to 10,000
   * nodes (8 s), M = 6 partners (16 at most), buffer maps paced to 0.4% of the stream rate.
   */
  public static SchedulerConfig of(int streamKbps, int uploadKbps) {
    return new SchedulerConfig(streamKbps, streamKbps >= 128 ? 500 : 1000, 4, advisedLagMs(10_000),
        uploadKbps, 6, 16, false, 2, 0.004);
  }

  /**
   * The playout lag the tracker advises for a swarm of {@code nodes}: 6 s plus 0.5 s per decade of
   * nodes, rounded up to 0.5 s, at most 30 s (6.5 s at 10 nodes, 7 s at 100, 7.5 s at 1,000, 8 s
   * at 10,000, 8.5 s at 100,000). Why, from the simulation at 20%/min churn (docs/performance.md,
   * "Advised lag"): what a node needs is mostly time to repair around partners that leave, whatever
   * the size: at 4 s the mean continuity was 0.997 at 50 and 200 nodes and 0.995 at 1,000, at 6 s
   * about 0.9996 (single runs, some seeds below 0.999), at 8 s 0.9999 or more up to 10,000. Depth
   * adds the rest: a chunk goes down a push tree one substream wide in which a node feeds about 3
   * children, about 2 levels per decade of nodes, each a chunk's transfer at the parent's uplink
   * plus latency (about 0.25 s): 0.5 s per decade. It keeps the brief's 8 s at 10,000; the brief's
   * 4 s for small swarms is too little under churn.
   */
  public static int advisedLagMs(int nodes) {
    double decades = Math.log10(Math.max(1, nodes));
    int ms = (int) (Math.ceil((6000 + 500 * decades) / 500) * 500);
    return Math.max(4000, Math.min(30_000, ms));
  }

  /**
   * {@code lagMs} kept within what a configuration of {@code chunkMs} chunks accepts: 3 to 30 s
   * and under 60 chunks.
   */
  public static int clampLagMs(int lagMs, int chunkMs) {
    return Math.max(3000, Math.min(Math.min(30_000, 59 * chunkMs), lagMs));
  }

  /** This configuration with another playout lag. */
  public SchedulerConfig withLagMs(int lag) {
    return new SchedulerConfig(streamKbps, chunkMs, substreams, lag, uploadKbps, partnerTarget,
        partnerMax, origin, originPushCopies, mapBudget);
  }

  /** This configuration with another upload cap. */
  public SchedulerConfig withUploadKbps(int kbps) {
    return new SchedulerConfig(streamKbps, chunkMs, substreams, lagMs, kbps, partnerTarget,
        partnerMax, origin, originPushCopies, mapBudget);
  }

  /** This configuration for the origin node, accepting {@code copies} children per substream. */
  public SchedulerConfig asOrigin(int copies) {
    return new SchedulerConfig(streamKbps, chunkMs, substreams, lagMs, uploadKbps, partnerTarget,
        partnerMax, true, copies, mapBudget);
  }

  /** Nominal chunk payload in bytes: r times the chunk duration. */
  public int chunkBytes() {
    return (int) ((long) streamKbps * chunkMs / 8);
  }

  private static void check(boolean ok, String key, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("swarm scheduler: bad " + key + ": " + value);
    }
  }
}
