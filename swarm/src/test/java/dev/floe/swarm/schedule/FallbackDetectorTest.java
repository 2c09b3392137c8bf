package dev.floe.swarm.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.swarm.schedule.FallbackDetector.Change;
import org.junit.jupiter.api.Test;

/** When the direct pull starts and stops. */
class FallbackDetectorTest {
  @Test
  void threeMissesInTheWindowStartTheDirectPull() {
    FallbackDetector f = new FallbackDetector();
    f.due(false, false);
    f.due(true, true);
    f.due(false, false);
    assertThat(f.check(0, false)).isEqualTo(Change.NONE);
    f.due(false, false);

    assertThat(f.check(500, false)).isEqualTo(Change.START);
    assertThat(f.on()).isTrue();
    assertThat(f.fallbacks()).isEqualTo(1);
    assertThat(f.dueCount()).isEqualTo(4);
    assertThat(f.inTime()).isEqualTo(1);
    assertThat(f.check(600, false)).as("already on").isEqualTo(Change.NONE);
  }

  @Test
  void missesOlderThanTheWindowDoNotCount() {
    FallbackDetector f = new FallbackDetector();
    f.due(false, false);
    f.due(false, false);
    for (int i = 0; i < Scheduler.FALLBACK_WINDOW - 2; i++) {
      f.due(true, true);
    }
    f.due(false, false);
    assertThat(f.check(0, false)).as("the first miss left the window").isEqualTo(Change.NONE);
  }

  @Test
  void aStallStartsItAtOnce() {
    FallbackDetector f = new FallbackDetector();
    assertThat(f.check(0, true)).isEqualTo(Change.START);
  }

  @Test
  void itStopsAfterTheHoldOnceTheSwarmDeliveredAWholeWindowInTime() {
    FallbackDetector f = new FallbackDetector();
    f.check(0, true);
    for (int i = 0; i < Scheduler.FALLBACK_WINDOW; i++) {
      f.due(true, i != 5);
    }
    assertThat(f.describeRecent()).isEqualTo("SSSSShSSSSSSSSSSSSSS");
    assertThat(f.check(Scheduler.FALLBACK_HOLD_MS, false)).as("one from the direct pull")
        .isEqualTo(Change.NONE);
    for (int i = 0; i < Scheduler.FALLBACK_WINDOW - 1; i++) {
      f.due(true, true);
    }
    assertThat(f.check(Scheduler.FALLBACK_HOLD_MS - 1, false)).as("within the hold")
        .isEqualTo(Change.NONE);
    f.due(true, true);
    assertThat(f.check(Scheduler.FALLBACK_HOLD_MS, false)).isEqualTo(Change.STOP);
    assertThat(f.on()).isFalse();
    assertThat(f.describeRecent()).as("the window starts afresh").isEmpty();
  }
}
