package dev.floe.swarm.sim;

/**
 * Runs one simulation and prints its table, e.g.
 * {@code java -cp swarm/target/classes dev.floe.swarm.sim.SimMain --nodes 10000 --minutes 5
 * --churn 0.2 --nat 0.5 --seed 1}. Options: {@code --nodes --minutes --churn --nat --seed --kbps
 * --lag-ms --ramp-ms}, and {@code --no-gossip} (the tracker as the only source of peers); an unknown option or a bad value exits with status 2 and names it.
 */
public final class SimMain {
  private SimMain() {}

  /** Parses the options, runs, prints the Markdown table and the wall time. */
  public static void main(String[] args) {
    int nodes = 1000;
    double minutes = 2;
    double churn = 0.2;
    double nat = 0.5;
    long seed = 1;
    int kbps = 128;
    int lag = 0;
    int ramp = 30_000;
    try {
      boolean gossip = true;
      for (int i = 0; i < args.length; i += 2) {
        String v = i + 1 < args.length ? args[i + 1] : "";
        if (args[i].equals("--no-gossip")) {
          gossip = false;
          i--;
          continue;
        }
        switch (args[i]) {
          case "--nodes" -> nodes = Integer.parseInt(v);
          case "--minutes" -> minutes = Double.parseDouble(v);
          case "--churn" -> churn = Double.parseDouble(v);
          case "--nat" -> nat = Double.parseDouble(v);
          case "--seed" -> seed = Long.parseLong(v);
          case "--kbps" -> kbps = Integer.parseInt(v);
          case "--lag-ms" -> lag = Integer.parseInt(v);
          case "--ramp-ms" -> ramp = Integer.parseInt(v);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      SimConfig cfg = new SimConfig(nodes, minutes, churn, nat, seed, kbps, lag, ramp, gossip);
      long t0 = System.nanoTime();
      SimReport report = new Simulation(cfg).run();
      double wall = (System.nanoTime() - t0) / 1e9;
      System.out.println(report.table());
      System.out.printf("%nwall time %.1f s, %.2f M events/s%n", wall, report.events() / wall / 1e6);
    } catch (IllegalArgumentException e) {
      System.err.println("SimMain: " + e.getMessage());
      System.exit(2);
    }
  }
}
