package dev.floe.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Synthetic arrival timelines through the player model. */
class PlayerModelTest {
  private static final long MS = 1_000_000L;
  private static final long RATE = 16_000;
  private static final long START = 65_536;
  /** 65536 bytes at 16000 B/s last 4096 ms. */
  private static final long BUFFER_MS = 4_096;

  /** A burst of START bytes at 0, then 1600 bytes every 100 ms up to {@code untilMs}. */
  private static PlayerModel steady(long untilMs) {
    PlayerModel p = new PlayerModel(START, RATE);
    p.arrive(0, START);
    for (long t = 100; t <= untilMs; t += 100) {
      p.arrive(t * MS, 1_600);
    }
    return p;
  }

  @Test
  void steadyStreamNeverUnderruns() {
    PlayerModel p = steady(60_000);
    p.advance(60_000 * MS);
    assertThat(p.started()).isTrue();
    assertThat(p.startNs()).isZero();
    assertThat(p.underrunNs()).isZero();
    assertThat(p.underruns()).isZero();
    assertThat(p.bufferedBytes()).isEqualTo(START);
  }

  @Test
  void gapShorterThanTheBufferIsInaudible() {
    PlayerModel p = steady(10_000);
    // 4 s with no byte, then the stream resumes with a catch-up burst.
    p.arrive(14_000 * MS, 64_000);
    for (long t = 14_100; t <= 30_000; t += 100) {
      p.arrive(t * MS, 1_600);
    }
    p.advance(30_000 * MS);
    assertThat(p.underrunNs()).isZero();
    assertThat(p.underruns()).isZero();
  }

  @Test
  void gapExactlyAsLongAsTheBufferIsInaudible() {
    PlayerModel p = steady(10_000);
    p.arrive((10_000 + BUFFER_MS) * MS, 1_600);
    assertThat(p.underrunNs()).isZero();
    assertThat(p.underruns()).isZero();
    assertThat(p.bufferedBytes()).isEqualTo(1_600);
  }

  @Test
  void gapLongerThanTheBufferUnderrunsByTheDifference() {
    PlayerModel p = steady(10_000);
    p.arrive(16_000 * MS, 1_600);
    assertThat(p.underrunNs()).isEqualTo((6_000 - BUFFER_MS) * MS);
    assertThat(p.underruns()).isEqualTo(1);
    // Playback resumes with what arrived: no re-buffering threshold.
    assertThat(p.bufferedBytes()).isEqualTo(1_600);
  }

  @Test
  void aSilenceSeenInSeveralStepsIsOneUnderrun() {
    PlayerModel p = steady(10_000);
    p.advance(15_000 * MS);
    p.arrive(16_000 * MS, 0);
    p.advance(17_000 * MS);
    p.arrive(18_000 * MS, 1_600);
    assertThat(p.underrunNs()).isEqualTo((8_000 - BUFFER_MS) * MS);
    assertThat(p.underruns()).isEqualTo(1);
    // 1600 bytes last 100 ms: a second, separate silence follows.
    p.advance(19_000 * MS);
    assertThat(p.underruns()).isEqualTo(2);
    assertThat(p.underrunNs()).isEqualTo((8_000 - BUFFER_MS + 900) * MS);
  }

  @Test
  void listenerClosedForGoodUnderrunsUntilTheEnd() {
    PlayerModel p = steady(5_000);
    p.advance(35_000 * MS);
    assertThat(p.underrunNs()).isEqualTo((30_000 - BUFFER_MS) * MS);
    assertThat(p.underruns()).isEqualTo(1);
  }

  @Test
  void nothingIsCountedBeforePlaybackStarts() {
    PlayerModel p = new PlayerModel(START, RATE);
    p.arrive(0, 1_000);
    p.arrive(20_000 * MS, 1_000);
    p.advance(40_000 * MS);
    assertThat(p.started()).isFalse();
    assertThat(p.startNs()).isEqualTo(-1);
    assertThat(p.underrunNs()).isZero();
    p.arrive(41_000 * MS, START - 2_000);
    assertThat(p.started()).isTrue();
    assertThat(p.startNs()).isEqualTo(41_000 * MS);
    assertThat(p.bufferedBytes()).isEqualTo(START);
    p.advance((41_000 + BUFFER_MS + 500) * MS);
    assertThat(p.underrunNs()).isEqualTo(500 * MS);
  }

  @Test
  void splittingAnArrivalAtEveryByteGivesTheSameState() {
    // A 3000-byte arrival after a gap longer than the buffer, split into two reads at the same
    // instant at every position.
    PlayerModel whole = new PlayerModel(2_000, 1_000);
    whole.arrive(0, 2_000);
    whole.arrive(5_000 * MS, 3_000);
    whole.advance(9_000 * MS);
    for (int cut = 0; cut <= 3_000; cut++) {
      PlayerModel p = new PlayerModel(2_000, 1_000);
      p.arrive(0, 2_000);
      p.arrive(5_000 * MS, cut);
      p.arrive(5_000 * MS, 3_000 - cut);
      p.advance(9_000 * MS);
      assertThat(p.underrunNs()).as("cut %d", cut).isEqualTo(whole.underrunNs());
      assertThat(p.underruns()).as("cut %d", cut).isEqualTo(whole.underruns());
      assertThat(p.bufferedBytes()).as("cut %d", cut).isEqualTo(whole.bufferedBytes());
    }
    // 2 s of audio for a 5 s gap, then 3 s for the next 4 s.
    assertThat(whole.underrunNs()).isEqualTo(4_000 * MS);
    assertThat(whole.underruns()).isEqualTo(2);
  }

  @Test
  void startThresholdReachedInsideOneReadStartsAtThatRead() {
    for (int first = 0; first < 10; first++) {
      PlayerModel p = new PlayerModel(10, 1_000);
      p.arrive(0, first);
      p.arrive(7 * MS, 20 - first);
      assertThat(p.startNs()).as("first %d", first).isEqualTo(7 * MS);
      assertThat(p.bufferedBytes()).isEqualTo(20);
    }
  }

  @Test
  void timeGoingBackwardsIsTheSameInstant() {
    PlayerModel p = steady(1_000);
    p.arrive(500 * MS, 100);
    assertThat(p.bufferedBytes()).isEqualTo(START + 100);
    assertThat(p.underrunNs()).isZero();
  }

  @Test
  void parsesItsSpecAndRejectsBadOnes() {
    PlayerModel p = PlayerModel.parse("65536:16000");
    assertThat(p.spec()).isEqualTo("65536:16000");
    assertThat(p.copy().spec()).isEqualTo("65536:16000");
    assertThatThrownBy(() -> PlayerModel.parse("65536")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PlayerModel.parse("65536:")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PlayerModel.parse(":1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PlayerModel.parse("1:0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PlayerModel.parse("-1:5")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PlayerModel.parse("a:5")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PlayerModel(1, 1).arrive(0, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
