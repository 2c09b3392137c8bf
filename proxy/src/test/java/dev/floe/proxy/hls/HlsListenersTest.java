package dev.floe.proxy.hls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HlsListenersTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final HlsListeners hls = new HlsListeners(now::get);

  @Test
  void aListenerIsAnAddressAndAgentSeenInTheLast30Seconds() {
    hls.seen("/live", "10.0.0.1", "Safari");
    hls.seen("/live", "10.0.0.1", "Safari"); // the next playlist reload: the same listener
    hls.seen("/live", "10.0.0.1", "Chrome");
    hls.seen("/live", "10.0.0.2", null);
    hls.seen("/other", "10.0.0.1", "Safari");
    assertThat(hls.count("/live")).isEqualTo(3);
    assertThat(hls.count("/other")).isEqualTo(1);
    now.addAndGet(20_000_000_000L);
    hls.seen("/live", "10.0.0.2", null);
    now.addAndGet(15_000_000_000L); // 35 s after the first fetches, 15 s after the last
    assertThat(hls.count("/live")).isEqualTo(1);
    hls.expire(now.get());
    assertThat(hls.count("/other")).isZero();
  }

  @Test
  void memoryIsBounded() {
    for (int i = 0; i < HlsListeners.MAX_SESSIONS + 10; i++) {
      hls.seen("/live", "10.0." + (i >> 8) + "." + (i & 255), "a");
    }
    assertThat(hls.count("/live")).isEqualTo(HlsListeners.MAX_SESSIONS);
    now.addAndGet(HlsListeners.WINDOW_NANOS + 1);
    hls.seen("/live", "192.168.0.1", "a"); // the full table makes room from expired sessions
    assertThat(hls.count("/live")).isEqualTo(1);
  }
}
