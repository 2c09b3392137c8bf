package dev.floe.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.config.LimitSettings;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthBackoffTest {
  private static final long S = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong(1_000 * S);
  // 3 failures, 60 s window, 2 s first lockout, 10 s at most; 10.0.0.9 exempt
  private final AuthBackoff backoff = new AuthBackoff(new LimitSettings(64, 5, 20, 3,
      Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofSeconds(10), 128 * 1024,
      Set.of("10.0.0.9")), now::get);

  @Test
  void locksOutAfterTheThresholdAndDoublesUpToTheMaximum() {
    assertThat(backoff.failure("10.0.0.1")).isZero();
    assertThat(backoff.failure("10.0.0.1")).isZero();
    assertThat(backoff.retryAfterNanos("10.0.0.1")).isZero();
    assertThat(backoff.failure("10.0.0.1")).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.retryAfterNanos("10.0.0.1")).isEqualTo(2 * S);
    assertThat(backoff.retryAfterNanos("10.0.0.2")).isZero();

    now.addAndGet(2 * S);
    assertThat(backoff.retryAfterNanos("10.0.0.1")).isZero();
    assertThat(backoff.failure("10.0.0.1")).isEqualTo(Duration.ofSeconds(4));
    now.addAndGet(4 * S);
    assertThat(backoff.failure("10.0.0.1")).isEqualTo(Duration.ofSeconds(8));
    now.addAndGet(8 * S);
    assertThat(backoff.failure("10.0.0.1")).isEqualTo(Duration.ofSeconds(10));
    for (int i = 0; i < 100; i++) {
      assertThat(backoff.failure("10.0.0.1")).isEqualTo(Duration.ofSeconds(10));
    }
  }

  @Test
  void successAndAQuietWindowStartTheCountAgain() {
    backoff.failure("10.0.0.1");
    backoff.failure("10.0.0.1");
    backoff.success("10.0.0.1");
    assertThat(backoff.failure("10.0.0.1")).isZero();
    assertThat(backoff.failure("10.0.0.1")).isZero();
    now.addAndGet(61 * S);
    assertThat(backoff.failure("10.0.0.1")).isZero();
    assertThat(backoff.retryAfterNanos("10.0.0.1")).isZero();
  }

  @Test
  void exemptAddressIsNeverLocked() {
    for (int i = 0; i < 10; i++) {
      assertThat(backoff.failure("10.0.0.9")).isZero();
    }
    assertThat(backoff.retryAfterNanos("10.0.0.9")).isZero();
  }

  @Test
  void hugeBackoffsDoNotOverflow() {
    AuthBackoff b = new AuthBackoff(new LimitSettings(1, 1, 1, 1, Duration.ofDays(1),
        Duration.ofSeconds(1), Duration.ofDays(365), 4096, Set.of()), now::get);
    Duration last = Duration.ZERO;
    for (int i = 0; i < 80; i++) {
      Duration d = b.failure("x");
      assertThat(d).isGreaterThanOrEqualTo(last).isLessThanOrEqualTo(Duration.ofDays(365));
      last = d;
    }
    assertThat(last).isEqualTo(Duration.ofDays(365));
  }
}
