package dev.floe.proxy.mount;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The byte rate is measured over 10 s windows and smoothed, never from a burst alone. */
class ByteRateTest {
  private static final long S = 1_000_000_000L;

  @Test
  void nothingIsMeasuredBeforeAWindowCloses() {
    ByteRate r = new ByteRate();
    r.measure(1 * S, 0);
    r.measure(9 * S, 500_000); // a burst at connect: not a rate yet
    assertThat(r.measured()).isZero();
  }

  @Test
  void aClosedWindowGivesItsRateAndLaterWindowsAreSmoothed() {
    ByteRate r = new ByteRate();
    r.measure(1 * S, 0);
    r.measure(11 * S, 160_000);
    assertThat(r.measured()).isEqualTo(16_000);
    r.measure(21 * S, 160_000 + 320_000); // 32000 B/s: 3/4 old + 1/4 new
    assertThat(r.measured()).isEqualTo(20_000);
  }

  @Test
  void aRestartOpensANewWindowAndKeepsTheRate() {
    ByteRate r = new ByteRate();
    r.measure(1 * S, 0);
    r.measure(11 * S, 160_000);
    r.restart();
    r.measure(12 * S, 0); // positions start over in a new segment
    r.measure(15 * S, 1_000_000);
    assertThat(r.measured()).isEqualTo(16_000);
  }
}
