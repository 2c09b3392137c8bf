package dev.floe.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {
  private final AtomicLong now = new AtomicLong(5_000_000_000L);

  @Test
  void burstThenRateThenWaitUntilTheNextToken() {
    TokenBuckets b = new TokenBuckets(2, 3, now::get, 100); // 2 per second, 3 at once
    for (int i = 0; i < 3; i++) {
      assertThat(b.take("a")).isZero();
    }
    assertThat(b.take("a")).isEqualTo(500_000_000L);
    assertThat(b.take("b")).isZero(); // another key has its own bucket
    now.addAndGet(499_999_999L);
    assertThat(b.take("a")).isEqualTo(1L);
    now.addAndGet(1L);
    assertThat(b.take("a")).isZero();
    assertThat(b.take("a")).isEqualTo(500_000_000L);
    now.addAndGet(10_000_000_000L); // refills to the burst, not beyond
    for (int i = 0; i < 3; i++) {
      assertThat(b.take("a")).isZero();
    }
    assertThat(b.take("a")).isPositive();
  }

  @Test
  void forgetsFullBucketsPastTheKeyLimitButNotEmptyOnes() {
    TokenBuckets b = new TokenBuckets(1, 1, now::get, 2);
    assertThat(b.take("busy")).isZero();
    for (int i = 0; i < 10; i++) {
      now.addAndGet(2_000_000_000L);
      b.take("k" + i);
      assertThat(b.take("busy")).as("busy keeps its empty bucket").isZero();
      assertThat(b.take("busy")).isPositive();
    }
  }

  @Test
  void aMillionKeysStayWithinTheKeyLimit() {
    TokenBuckets b = new TokenBuckets(1, 1, now::get, 1000);
    for (int i = 0; i < 1_000_000; i++) {
      assertThat(b.take("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255))).isZero();
    }
    assertThat(b.size()).isEqualTo(1000);
    assertThat(b.take("10.15.66.63")).as("the last key seen is still held, empty").isPositive();
  }
}
