package dev.floe.swarm.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

  @Test
  void startsFullAndRefillsAtItsRateUpToTheBurst() {
    TokenBucket b = new TokenBucket(1000, 500, 0); // 1 token per ms
    assertThat(b.tokens(0)).isEqualTo(500);
    assertThat(b.tryTake(0, 500)).isTrue();
    assertThat(b.tryTake(0, 1)).isFalse();
    assertThat(b.tokens(250)).isEqualTo(250);
    assertThat(b.tokens(10_000)).isEqualTo(500);
  }

  @Test
  void forcedTakesMakeDebtThatHoldsBackLaterTakes() {
    TokenBucket b = new TokenBucket(1000, 100, 0);
    b.force(0, 300);
    assertThat(b.tokens(0)).isEqualTo(-200);
    assertThat(b.tryTake(199, 1)).isFalse();
    assertThat(b.ticksUntil(199, 1)).isEqualTo(2);
    assertThat(b.tryTake(201, 1)).isTrue();
  }

  @Test
  void anyClockUnitAndAClockSteppingBackAddsNothing() {
    TokenBucket b = TokenBucket.perTick(2 / 1e9, 2, 5_000_000_000L); // 2 a second, nanoseconds
    assertThat(b.tryTake(5_000_000_000L, 1)).isTrue();
    assertThat(b.tryTake(5_000_000_000L, 1)).isTrue();
    assertThat(b.ticksUntil(5_000_000_000L, 1)).isEqualTo(500_000_000L);
    assertThat(b.tokens(4_000_000_000L)).isZero(); // an earlier reading from another thread
    assertThat(b.ticksUntil(5_250_000_000L, 1)).isEqualTo(250_000_000L);
    assertThat(b.ticksUntil(5_500_000_000L, 1)).isZero();
  }
}
