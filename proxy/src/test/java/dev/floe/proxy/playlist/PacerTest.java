package dev.floe.proxy.playlist;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacerTest {
  /** A 32 kbit/s, 22.05 kHz MPEG-2 layer III frame: 576 samples, 104 or 105 bytes. */
  private static final long FRAME_NANOS = 576 * 1_000_000_000L / 22_050;

  private static final int FRAME_BYTES = 104;

  @Test
  void shouldReleaseTheLeadAtOnceThenExactlyRealTimeOverTenMinutes() {
    long lead = 2_000_000_000L;
    long t0 = 5_000_000_000L;
    Pacer p = new Pacer(t0, lead);
    long bytes = 0;
    for (long tick = 0; tick <= 6000; tick++) { // 100 ms ticks, 10 minutes
      long now = t0 + tick * 100_000_000L;
      while (p.due(now)) {
        p.advance(FRAME_NANOS);
        bytes += FRAME_BYTES;
      }
      long elapsed = now - t0;
      // frames whose start lies before elapsed + lead, and not one more
      long frames = (elapsed + lead + FRAME_NANOS - 1) / FRAME_NANOS;
      assertThat(bytes).as("bytes after %d ms", elapsed / 1_000_000)
          .isEqualTo(frames * FRAME_BYTES);
    }
    double rate = (bytes - lead / (double) FRAME_NANOS * FRAME_BYTES) / 600.0;
    assertThat(rate).isCloseTo(FRAME_BYTES * 1e9 / FRAME_NANOS, org.assertj.core.data.Offset
        .offset(1.0));
  }

  @Test
  void shouldContinueAfterAPauseWithAFreshLeadAndNoCatchUp() {
    Pacer p = new Pacer(0, 1_000);
    p.advance(1_000);
    assertThat(p.due(0)).isFalse();

    p.restart(50_000); // a live source had the mount for 50 us

    assertThat(p.media()).isEqualTo(1_000);
    assertThat(p.due(50_000)).isTrue();
    p.advance(1_000);
    assertThat(p.due(50_000)).isFalse();
    assertThat(p.due(50_001)).isTrue();
    assertThat(p.clockAt(1_000)).isEqualTo(50_000);
  }
}
