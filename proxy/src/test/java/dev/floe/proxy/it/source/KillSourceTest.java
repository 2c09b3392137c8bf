package dev.floe.proxy.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.admin.AdminMessages;
import dev.floe.proxy.admin.AdminXml;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.RawListener;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code /admin/killsource} on live ffmpeg sources, end to end: ffmpeg sees its connection close
 * and exits; the mount's listener moves to the fallback mount on the same connection, or, without
 * a fallback, stays connected through the source grace and is closed after it.
 */
class KillSourceTest {
  private static final Duration LIVE = Duration.ofSeconds(15);

  private static FfmpegSource source(FloeServer floe, String mount) {
    FfmpegSource s = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url(mount))
        .password("pw").start();
    await(mount + " live").atMost(LIVE).until(() -> floe.mount(mount).hasSource()
        && floe.mount(mount).buffer() != null);
    return s;
  }

  private static AdminCall kill(FloeServer floe, String mount) {
    return AdminCall.get(floe.port(), "/admin/killsource?mount=" + mount, "admin", "hackme");
  }

  @Test
  void killedSourcesExitAndTheirListenersFollowFallbackAndGrace() {
    try (FloeServer floe = FloeServer.start("""
        server { source-password = "pw" }
        mounts = [ { path = "/main", fallback-mount = "/backup" }, { path = "/backup" },
          { path = "/solo", source-grace = 4s } ]
        """);
        FfmpegSource backup = source(floe, "/backup");
        FfmpegSource main = source(floe, "/main");
        FfmpegSource solo = source(floe, "/solo");
        RawListener onMain = RawListener.builder(floe.port(), "/main").icyMetadata(false).open();
        RawListener onSolo = RawListener.builder(floe.port(), "/solo").icyMetadata(false)
            .open()) {
      await().atMost(LIVE).until(() -> floe.mount("/main").listeners() == 1
          && floe.mount("/solo").listeners() == 1);

      AdminCall killed = kill(floe, "/main");
      assertThat(killed.status()).isEqualTo(200);
      assertThat(killed.body()).isEqualTo(AdminXml.response(AdminMessages.SOURCE_REMOVED, true));
      assertThat(main.awaitExit(LIVE)).as("ffmpeg failed on its closed connection").isNotZero();
      assertThat(main.stderr()).containsAnyOf("Broken pipe", "Connection reset by peer");
      await("the listener moved to the fallback").atMost(LIVE)
          .until(() -> floe.mount("/backup").listeners() == 1
              && floe.mount("/main").listeners() == 0);
      long atMove = onMain.audioBytes();
      await().atMost(LIVE).until(() -> onMain.audioBytes() > atMove + 16_000);
      assertThat(onMain.connected()).isTrue();
      assertThat(onMain.readError()).isNull();

      assertThat(kill(floe, "/solo").body())
          .isEqualTo(AdminXml.response(AdminMessages.SOURCE_REMOVED, true));
      assertThat(solo.awaitExit(LIVE)).isNotZero();
      await().atMost(LIVE).until(() -> !floe.mount("/solo").hasSource());
      await("the listener waits through the grace").during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(3)).until(onSolo::connected);
      await("the listener is closed after the grace").atMost(Duration.ofSeconds(10))
          .until(() -> !onSolo.connected());

      AdminCall none = kill(floe, "/solo");
      assertThat(none.status()).isEqualTo(400);
      assertThat(backup.isAlive()).isTrue();
    }
  }
}
