package dev.floe.proxy.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.TestDirs;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * icecast2 as a {@code <relay>} of a Floe source mount; a player on icecast2 decodes. (The title
 * part waits for the admin API: titles are set through {@code /admin/metadata}.)
 */
class IcecastRelaysFloeTest {
  @Test
  void icecastRelaysAFloeSourceMountAndAPlayerOnItDecodes() {
    try (FloeServer floe = FloeServer.start(
        "server { source-password = \"pw\", sources-create-mounts = true }");
        FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/origin"))
            .password("pw").start()) {
      await().atMost(Duration.ofSeconds(15)).until(() -> floe.mount("/origin") != null
          && floe.mount("/origin").buffer() != null);
      try (IcecastServer ice = IcecastServer.builder().relay(floe.port(), "/origin", "/relayed")
          .start(TestDirs.create("ice-relays-floe"))) {
        ice.awaitMount("/relayed", Duration.ofSeconds(20));
        try (FfmpegPlayer player = FfmpegPlayer.start(ice.url("/relayed"), true,
            Duration.ofSeconds(5))) {
          assertThat(player.awaitExit(Duration.ofSeconds(30))).isZero();
          assertThat(player.decodeErrors()).isEmpty();
          assertThat(player.decodedDuration()).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        }
      }
    }
  }
}
