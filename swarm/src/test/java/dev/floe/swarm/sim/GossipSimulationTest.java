package dev.floe.swarm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.swarm.schedule.SchedulerConfig;
import org.junit.jupiter.api.Test;

/**
 * Gossip in the simulation: under churn it takes most re-asks off the tracker at the same
 * continuity and within the control budget; and the advised lag grows with the swarm.
 */
class GossipSimulationTest {

  @Test
  void gossipTakesReasksOffTheTrackerAtTheSameContinuity() {
    SimConfig cfg = SimConfig.of(200, 2, 0.2, 0.3, 1);
    SimReport with = new Simulation(cfg).run();
    SimReport without = new Simulation(cfg.withoutGossip()).run();

    assertThat(without.gossipOverhead()).isZero();
    assertThat(with.gossipOverhead()).isGreaterThan(0).isLessThan(0.001);
    assertThat(with.trackerAnswersPerSecond())
        .isLessThan(0.75 * without.trackerAnswersPerSecond());
    assertThat(with.trackerUpload()).isLessThan(without.trackerUpload());
    for (SimReport r : new SimReport[] {with, without}) {
      assertThat(r.continuityMean()).isGreaterThanOrEqualTo(0.999);
      assertThat(r.controlOverhead()).isLessThanOrEqualTo(0.02);
    }
  }

  @Test
  void advisedLagGrowsWithTheSwarmWithinBounds() {
    assertThat(SchedulerConfig.advisedLagMs(1)).isEqualTo(6000);
    assertThat(SchedulerConfig.advisedLagMs(100)).isEqualTo(7000);
    assertThat(SchedulerConfig.advisedLagMs(10_000)).isEqualTo(8000);
    assertThat(SchedulerConfig.advisedLagMs(Integer.MAX_VALUE)).isBetween(8000, 30_000);
    int last = 0;
    for (int n = 1; n < 2_000_000; n = n * 3 + 1) {
      int lag = SchedulerConfig.advisedLagMs(n);
      assertThat(lag).isGreaterThanOrEqualTo(last).isBetween(4000, 30_000);
      assertThat(lag % 500).isZero();
      last = lag;
    }
    assertThat(SchedulerConfig.clampLagMs(40_000, 500)).isEqualTo(29_500);
    assertThat(SchedulerConfig.clampLagMs(40_000, 1000)).isEqualTo(30_000);
    assertThat(SchedulerConfig.clampLagMs(1000, 500)).isEqualTo(3000);
  }
}
