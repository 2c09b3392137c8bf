package dev.floe.swarm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The whole swarm in simulation: the targets at CI size, and determinism. */
class SimulationTest {

  @Test
  void twoHundredNodesWithChurnAndNatMeetTheTargets() {
    SimReport r = new Simulation(SimConfig.of(200, 2, 0.2, 0.3, 1)).run();

    assertThat(r.churned()).isBetween(60, 110);
    assertThat(r.measured()).isGreaterThan(200);
    assertThat(r.continuityMean()).isGreaterThanOrEqualTo(0.999);
    assertThat(r.continuityP5()).isGreaterThanOrEqualTo(0.995);
    assertThat(r.originUpload()).isBetween(1.0, 2.5);
    assertThat(r.controlOverhead()).isBetween(0.002, 0.02);
    assertThat(r.nonPayload()).as("control + signatures").isLessThanOrEqualTo(0.02);
    assertThat(r.startupP50()).isBetween(0L, 2000L);
    assertThat(r.startupP95()).isBetween(0L, 5000L);
  }

  @Test
  void sameSeedSameFiguresOtherSeedOtherFigures() {
    SimReport a = new Simulation(SimConfig.of(100, 1, 0.2, 0.3, 7)).run();
    SimReport b = new Simulation(SimConfig.of(100, 1, 0.2, 0.3, 7)).run();
    SimReport c = new Simulation(SimConfig.of(100, 1, 0.2, 0.3, 8)).run();

    assertThat(b).isEqualTo(a);
    assertThat(b.table()).isEqualTo(a.table());
    assertThat(c).isNotEqualTo(a);
  }

  @Test
  void configNamesTheBadKey() {
    assertThatThrownBy(() -> SimConfig.of(200, 2, 1.5, 0.3, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("churn");
    assertThatThrownBy(() -> SimConfig.of(0, 2, 0.2, 0.3, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodes");
  }
}
