package dev.floe.swarm.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The node's clock: monotonic time starts far from 0, and both views read the clock given. */
class NodeClockTest {
  @Test
  void systemMonotonicTimeNeverGoesBackAndAZeroTimerIsLongPast() {
    long first = NodeClock.SYSTEM.millis();
    assertThat(first).as("a timer field still at 0 is due").isGreaterThanOrEqualTo(1L << 40);
    long last = first;
    for (int i = 0; i < 10_000; i++) {
      long t = NodeClock.SYSTEM.millis();
      assertThat(t).isGreaterThanOrEqualTo(last);
      last = t;
    }
  }

  @Test
  void theGuardsClocksReadTheInjectedTimes() {
    long[] mono = {5_000};
    long[] wall = {1_700_000_000_000L};
    NodeClock clock = new NodeClock() {
      @Override
      public long millis() {
        return mono[0];
      }

      @Override
      public long wallMillis() {
        return wall[0];
      }
    };
    assertThat(clock.monotonic().millis()).isEqualTo(5_000);
    assertThat(clock.wall().instant().toEpochMilli()).isEqualTo(1_700_000_000_000L);
    mono[0] += 250;
    wall[0] -= 60_000; // the wall clock stepped back: the monotonic one does not care
    assertThat(clock.monotonic().millis()).isEqualTo(5_250);
    assertThat(clock.wall().millis()).isEqualTo(1_699_999_940_000L);
  }
}
