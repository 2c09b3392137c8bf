package dev.floe.swarm.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The playout clock with 500 ms chunks and an 8 s lag, joined at t = 100 s and anchored on chunk
 * 200 cut at 99.5 s: chunk {@code seq} is due at {@code 107.5 s + (seq - 200) x 500 ms}.
 */
class PlayoutClockTest {
  private static final long T = 100_000;

  private static PlayoutClock anchored() {
    PlayoutClock c = new PlayoutClock(500, 8000, false, T);
    c.join(T);
    assertThat(c.anchor(T, 200, T - 500)).as("the first anchor sets the play point").isTrue();
    return c;
  }

  @Test
  void thePlayPointIsTheFirstChunkDueAStartupAfterTheAnchor() {
    PlayoutClock c = anchored();

    assertThat(c.anchored()).isTrue();
    assertThat(c.deadline(200)).isEqualTo(T + 7500);
    assertThat(c.playSeq()).isEqualTo(187);
    assertThat(c.deadline(187)).isEqualTo(T + Scheduler.STARTUP_MS);
    assertThat(c.firstPlaySeq()).isEqualTo(187);
    assertThat(c.originTime(201)).isEqualTo(T);
    assertThat(c.produced(T)).as("cut a chunk ago, so sent by now").isEqualTo(200);
    assertThat(c.produced(T - 1)).isEqualTo(199);
  }

  @Test
  void aNewerChunkMovesTheAnchorAndAnOlderOneDoesNot() {
    PlayoutClock c = anchored();
    LongUnaryOperator before = c.deadlines();

    assertThat(c.anchor(T, 210, T + 5000 + 220)).isFalse();
    assertThat(c.deadline(210)).isEqualTo(T + 5220 + 8000);
    c.anchor(T, 205, 0);
    assertThat(c.deadline(210)).as("an older chunk leaves the anchor").isEqualTo(T + 13_220);
    assertThat(c.playSeq()).as("the play point stays").isEqualTo(187);
    assertThat(before.applyAsLong(210)).as("a copy taken earlier").isEqualTo(T + 12_500);
  }

  @Test
  void chunksDueAfterTheWarmUpAreCountedAsThePlayPointPasses() {
    PlayoutClock c = anchored();
    List<Long> counted = new ArrayList<>();

    c.playDue(T + Scheduler.WARMUP_MS + 500, counted::add);

    // 187 is due at T + 1 s, ..., 205 at T + 10 s (the first after the warm-up), 206 at T + 10.5 s.
    assertThat(counted).containsExactly(205L, 206L);
    assertThat(c.playSeq()).isEqualTo(207);
  }

  @Test
  void startupEndsWhenTheFirstChunkToPlayArrives() {
    PlayoutClock c = anchored();
    c.arrived(186, T + 300);
    assertThat(c.startupMs()).as("before the play point").isEqualTo(-1);
    c.arrived(190, T + 400);
    c.arrived(187, T + 900);
    assertThat(c.startupMs()).isEqualTo(400);
  }

  @Test
  void theOriginIsAnchoredButPlaysNothingAndANewEpochUnanchors() {
    PlayoutClock origin = new PlayoutClock(500, 8000, true, T);
    assertThat(origin.anchor(T, 200, T)).isFalse();
    assertThat(origin.anchored()).isTrue();
    assertThat(origin.playSeq()).isEqualTo(-1);

    PlayoutClock c = anchored();
    c.reset();
    assertThat(c.anchored()).isFalse();
    assertThat(c.playSeq()).isEqualTo(-1);
    c.lagMs(10_000);
    assertThat(c.anchor(T, 0, T)).isTrue();
    assertThat(c.deadline(0)).isEqualTo(T + 10_000);
  }
}
