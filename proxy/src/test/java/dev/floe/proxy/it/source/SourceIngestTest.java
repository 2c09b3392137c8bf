package dev.floe.proxy.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.RawListener;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ffmpeg as an Icecast source into Floe (PUT, and SOURCE with -legacy_icecast 1). */
class SourceIngestTest {
  private static final Duration LIVE = Duration.ofSeconds(15);

  @ParameterizedTest(name = "legacy SOURCE = {0}")
  @ValueSource(booleans = {false, true})
  void ffmpegSourceIntoFloeDecodesCleanlyWithItsHeaders(boolean legacy) {
    try (FloeServer floe = FloeServer.start(
        "server { source-password = \"pw\", sources-create-mounts = true }");
        FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/live"))
            .password("pw").legacySource(legacy).iceName("Studio A").iceGenre("Jazz")
            .icePublic(true).start()) {
      await().atMost(LIVE).until(() -> floe.mount("/live") != null
          && floe.mount("/live").hasSource() && floe.mount("/live").buffer() != null
          && floe.mount("/live").buffer().newest() > 32 * 1024);
      try (RawListener raw = RawListener.builder(floe.port(), "/live").open()) {
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.headers()).containsEntry("content-type", "audio/mpeg")
            .containsEntry("icy-name", "Studio A").containsEntry("icy-genre", "Jazz")
            .containsEntry("icy-pub", "1");
      }
      try (FfmpegPlayer player = FfmpegPlayer.start(floe.url("/live"), true,
          Duration.ofSeconds(6))) {
        assertThat(player.awaitExit(Duration.ofSeconds(30))).isZero();
        assertThat(player.decodeErrors()).isEmpty();
        assertThat(player.decodedDuration()).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
      }
      assertThat(src.isAlive()).isTrue();
    }
  }
}
