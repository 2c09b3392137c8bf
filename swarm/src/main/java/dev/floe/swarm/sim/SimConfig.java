package dev.floe.swarm.sim;

/**
 * One simulation run; validated once (a bad value throws {@link IllegalArgumentException} naming
 * the field).
 *
 * @param nodes peers besides the origin (1 or more)
 * @param minutes simulated time measured, after the join ramp and a warm-up (more than 0)
 * @param churn share of peers replaced per minute (0 to 1): Poisson departures, each replaced at
 *     once by a new node; 90% leave by a graceful stop or a kill (GOODBYE or the kernel's FIN/RST:
 *     partners told after one latency), 10% vanish (power or network loss: partners are told
 *     after 30 s, the dead-link timeout, unless their scheduler drops the silent partner first)
 * @param nat share of peers behind NAT (0 to 1): they cannot be dialed, only dial out
 * @param seed seed of every random choice
 * @param streamKbps stream rate r (8 to 1000)
 * @param lagMs playout lag, 0 for the lag the tracker advises for {@code nodes}
 * @param rampMs the initial peers join uniformly over this long (0 or more)
 * @param gossip whether peers gossip records (PEX) and ask partners before the tracker; without
 *     it the tracker is their only source of peers (as before gossip was built)
 */
public record SimConfig(int nodes, double minutes, double churn, double nat, long seed,
    int streamKbps, int lagMs, int rampMs, boolean gossip) {

  /** A run with gossip. */
  public SimConfig(int nodes, double minutes, double churn, double nat, long seed,
      int streamKbps, int lagMs, int rampMs) {
    this(nodes, minutes, churn, nat, seed, streamKbps, lagMs, rampMs, true);
  }

  /** Validates every field. */
  public SimConfig {
    check(nodes >= 1, "nodes", nodes);
    check(minutes > 0 && minutes <= 600, "minutes", minutes);
    check(churn >= 0 && churn <= 1, "churn", churn);
    check(nat >= 0 && nat <= 1, "nat", nat);
    check(streamKbps >= 8 && streamKbps <= 1000, "streamKbps", streamKbps);
    check(lagMs == 0 || lagMs >= 3000 && lagMs <= 30000, "lagMs", lagMs);
    check(rampMs >= 0, "rampMs", rampMs);
  }

  /** A run at 128 kbit/s, advised lag, peers joining over 30 s. */
  public static SimConfig of(int nodes, double minutes, double churn, double nat, long seed) {
    return new SimConfig(nodes, minutes, churn, nat, seed, 128, 0, 30_000);
  }

  /** This run without gossip. */
  public SimConfig withoutGossip() {
    return new SimConfig(nodes, minutes, churn, nat, seed, streamKbps, lagMs, rampMs, false);
  }

  private static void check(boolean ok, String key, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("simulation: bad " + key + ": " + value);
    }
  }
}
