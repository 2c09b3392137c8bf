package dev.floe.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A player that connects the moment a relay goes live gets its whole burst at once. The relay's
 * buffer then holds little more than the upstream's own burst, which arrives in a few large reads:
 * pacing behind live must not hold back the chunks the burst covers (bench/compare.sh saw the
 * first 64 KiB take 2.3 s at p50 before this was fixed).
 */
class BurstOnFreshRelayTest {
  private static final Duration LIVE = Duration.ofSeconds(15);

  @Test
  void aPlayerJoiningAFreshRelayGetsItsBurstAtOnce() {
    try (IcecastServer ice = IcecastServer.start(TestDirs.create("fresh-relay"));
        FfmpegSource src = FfmpegSource.mp3(ice.url("/live"))) {
      ice.awaitMount("/live", LIVE);
      try (RawListener probe = RawListener.builder(ice.port(), "/live").icyMetadata(false)
          .open()) {
        // icecast2's own 64 KiB burst is there: the relay will receive it in one go.
        await().atMost(LIVE).until(() -> probe.audioBytes() >= 64 * 1024);
      }
      try (FloeServer floe = FloeServer.start(
          "mounts = [ { path = \"/live\", upstreams = [\"" + ice.url("/live") + "\"] } ]")) {
        await().atMost(LIVE).pollInterval(Duration.ofMillis(5))
            .until(() -> floe.mount("/live").live()
                && floe.mount("/live").buffer().newest() - floe.mount("/live").buffer().oldest()
                    >= 64 * 1024);
        long t0 = System.nanoTime();
        try (RawListener l = RawListener.builder(floe.port(), "/live").icyMetadata(true)
            .open()) {
          await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
              .until(() -> l.audioBytes() >= 64 * 1024);
          // 64 KiB is 4 s of this 128 kbit/s stream: only the burst delivers it this fast.
          assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));
        }
      }
    }
  }
}
