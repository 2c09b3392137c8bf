package dev.floe.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.upstream.Backoff.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The retry schedule: fast while an outage is young, full jitter to the cap after. */
class BackoffTest {
  /** The draw's upper bound: the ceiling the schedule allows. */
  private static Backoff ceilings() {
    return new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(10),
        Duration.ofSeconds(60), (a, b) -> b);
  }

  /** Ceilings of the delays of an outage of failures of one kind, each after the last delay. */
  private static List<Long> run(Backoff b, Failure kind, int attempts) {
    List<Long> out = new ArrayList<>();
    long now = 1_000;
    for (int i = 0; i < attempts; i++) {
      long d = b.next(kind, now);
      out.add(d);
      now += d;
    }
    return out;
  }

  @Test
  void droppedConnectionsStayFastForTenSecondsThenDoubleToTheCap() {
    List<Long> d = run(ceilings(), Failure.DROPPED, 40);
    assertThat(d.subList(0, 4)).containsExactly(100L, 200L, 400L, 500L);
    long elapsed = 0;
    int i = 0;
    while (elapsed < 10_000) {
      assertThat(d.get(i)).isLessThanOrEqualTo(500);
      elapsed += d.get(i++);
    }
    assertThat(d.subList(i, i + 7)).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L,
        32_000L, 60_000L);
    assertThat(d.get(d.size() - 1)).isEqualTo(60_000L);
  }

  @Test
  void aRefusalSkipsTheFastStartAndGrowsByFour() {
    assertThat(run(ceilings(), Failure.REFUSED, 5))
        .containsExactly(2_000L, 8_000L, 32_000L, 60_000L, 60_000L);
  }

  @Test
  void aRefusalDrawsFromTheUpperHalfSoItsDelaySurelyGrows() {
    List<long[]> ranges = new ArrayList<>();
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500),
        Duration.ofSeconds(10), Duration.ofSeconds(60), (a, c) -> {
          ranges.add(new long[] {a, c});
          return a;
        });
    for (int i = 0; i < 4; i++) {
      b.next(Failure.REFUSED, i);
    }
    assertThat(ranges).containsExactly(new long[] {1_000, 2_000}, new long[] {4_000, 8_000},
        new long[] {16_000, 32_000}, new long[] {30_000, 60_000});
    // A drop keeps full jitter: the floor stays at the minimum.
    b.reset();
    ranges.clear();
    b.next(Failure.DROPPED, 0);
    assertThat(ranges.get(0)).containsExactly(100, 100);
  }

  @Test
  void notFoundKeepsTheFastStartThenGrowsByFour() {
    List<Long> d = run(ceilings(), Failure.NOT_FOUND, 40);
    assertThat(d.get(0)).isEqualTo(100L);
    int firstSlow = 0;
    while (d.get(firstSlow) <= 500) {
      firstSlow++;
    }
    assertThat(d.subList(firstSlow, firstSlow + 4)).containsExactly(2_000L, 8_000L, 32_000L,
        60_000L);
  }

  @Test
  void resetStartsANewOutageFast() {
    Backoff b = ceilings();
    run(b, Failure.REFUSED, 6);
    assertThat(b.polite()).isTrue();
    b.reset();
    assertThat(b.polite()).isFalse();
    assertThat(b.next(Failure.DROPPED, 999_999)).isEqualTo(100L);
  }

  @Test
  void delaysAreDrawnBetweenTheMinimumAndTheCeiling() {
    Random r = new Random(42);
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500),
        Duration.ofSeconds(10), Duration.ofSeconds(60), (a, c) -> a + (long) (r.nextDouble() * (c - a + 1)));
    List<Long> d = run(b, Failure.DROPPED, 200);
    assertThat(d).allSatisfy(x -> assertThat(x).isBetween(100L, 60_000L));
    // full jitter: late delays spread over the whole range, not bunched near the cap
    List<Long> late = d.subList(100, 200);
    assertThat(late).anySatisfy(x -> assertThat(x).isLessThan(20_000L));
    assertThat(late).anySatisfy(x -> assertThat(x).isGreaterThan(40_000L));
  }

  /**
   * A station down for ten minutes, with the default schedule and random jitter: after the
   * first ten seconds, each minute sees at most a few attempts.
   */
  @Test
  void tenMinutesDownCostsAFewAttemptsAMinute() {
    for (long seed = 0; seed < 50; seed++) {
      Random r = new Random(seed);
      Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500),
          Duration.ofSeconds(10), Duration.ofSeconds(60),
          (a, c) -> a + (long) (r.nextDouble() * (c - a + 1)));
      int[] perMinute = new int[10];
      long now = 0;
      while (now < 600_000) {
        if (now >= 10_000) {
          perMinute[(int) (now / 60_000)]++;
        }
        now += b.next(Failure.DROPPED, now);
      }
      for (int m = 1; m < 10; m++) {
        assertThat(perMinute[m]).as("minute %d, seed %d", m, seed).isLessThanOrEqualTo(8);
      }
      int after = 0;
      for (int m = 1; m < 10; m++) {
        after += perMinute[m];
      }
      assertThat(after / 9.0).as("mean per minute after the first, seed %d", seed)
          .isLessThanOrEqualTo(4.0);
    }
  }
}
