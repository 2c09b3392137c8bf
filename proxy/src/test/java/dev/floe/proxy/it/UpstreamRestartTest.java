package dev.floe.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream icecast2 and its source go away and come back while a player stays connected to
 * Floe: the player keeps its connection and gets audio again within 1 s of the upstream's return.
 */
class UpstreamRestartTest {
  private static final Logger log = LoggerFactory.getLogger(UpstreamRestartTest.class);
  private static final Duration LIVE = Duration.ofSeconds(15);

  @Test
  void listenerStaysConnectedAcrossUpstreamRestart() {
    try (IcecastServer ice = IcecastServer.start(TestDirs.create("upstream-restart"))) {
      FfmpegSource src = FfmpegSource.mp3(ice.url("/live"));
      ice.awaitMount("/live", LIVE);
      try (FloeServer floe = FloeServer.relay(ice.url("/live"), "/live", "")) {
        await().atMost(LIVE).until(() -> floe.mount("/live").live());
        RawListener listener = RawListener.builder(floe.port(), "/live").icyMetadata(true)
            .timeout(Duration.ofSeconds(120)).open();
        assertThat(listener.status()).isEqualTo(200);
        await().atMost(LIVE).until(() -> listener.audioBytes() > 96 * 1024);

        // The upstream dies: source and server both.
        src.close();
        ice.stop();
        await().atMost(LIVE).until(() -> !floe.mount("/live").live());
        // Floe's listener is fed at the live edge, so it starves now but stays connected.
        await().atMost(LIVE).until(() -> listener.lastDataAt() != null
            && listener.lastDataAt().isBefore(Instant.now().minusMillis(1500)));
        assertThat(listener.connected()).isTrue();

        ice.restart();
        try (FfmpegSource src2 = FfmpegSource.mp3(ice.url("/live"))) {
          ice.awaitMount("/live", LIVE);
          Instant back = Instant.now();
          long before = listener.audioBytes();
          await().atMost(Duration.ofMillis(1000)).pollInterval(Duration.ofMillis(10))
              .until(() -> listener.audioBytes() > before);
          log.info("audio returned {} ms after the upstream's mount was live again",
              Duration.between(back, Instant.now()).toMillis());
          await().atMost(LIVE).until(() -> listener.audioBytes() > before + 64 * 1024);
          assertThat(listener.connected()).isTrue();
          assertThat(listener.readError()).isNull();
          assertThat(floe.mount("/live").counters().reconnects()).isGreaterThanOrEqualTo(1);
        } finally {
          listener.close();
        }
      }
    }
  }
}
