package dev.floe.proxy.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.admin.AdminHtml;
import dev.floe.proxy.admin.AdminMessages;
import dev.floe.proxy.admin.AdminXml;
import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.Ports;
import dev.floe.proxy.it.support.RawSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Players on source mounts: an ffmpeg player on the mount an ffmpeg source PUTs to sees the titles
 * set through {@code /admin/metadata}, and one on the SHOUTcast v1 source's mount sees the titles
 * its encoder sends through {@code /admin.cgi} with the source password; both decode without an
 * error.
 */
class SourceMetadataPlayerTest {
  private static final Duration LIVE = Duration.ofSeconds(20);

  @Test
  void playersOnSourceMountsSeeAdminMetadataAndAdminCgiTitles() {
    int scPort = Ports.free();
    try (FloeServer floe = FloeServer.start("server { source-password = \"scpw\","
        + " admin-password = \"adminpw\", sources-create-mounts = true, shoutcast-port = "
        + scPort + " }");
        FfmpegSource put = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/put.mp3"))
            .password("scpw").start();
        RawSource sc = new RawSource(scPort)) {
      sc.send("scpw\r\n");
      assertThat(sc.readHead()).isEqualTo("OK2\r\nicy-caps:11\r\n\r\n");
      sc.send("icy-name:SC\r\ncontent-type:audio/mpeg\r\n\r\n");
      byte[] mp3 = RawSource.mp3();
      sc.pace(mp3, 0, mp3.length, () -> { });
      for (String m : new String[] {"/put.mp3", "/stream"}) {
        await(m + " live").atMost(LIVE).until(() -> floe.mount(m) != null
            && floe.mount(m).buffer() != null && floe.mount(m).buffer().newest() > 32_000);
      }
      try (FfmpegPlayer onPut = FfmpegPlayer.builder(floe.url("/put.mp3")).icy(true)
              .maxDuration(Duration.ofSeconds(60)).start();
          FfmpegPlayer onSc = FfmpegPlayer.builder(floe.url("/stream")).icy(true)
              .maxDuration(Duration.ofSeconds(60)).start()) {
        AdminCall meta = AdminCall.get(floe.port(),
            "/admin/metadata?mount=/put.mp3&mode=updinfo&song=Put+Song", "admin", "adminpw");
        assertThat(meta.body()).isEqualTo(AdminXml.response(AdminMessages.METADATA_UPDATED,
            true));
        AdminCall cgi = AdminCall.get(floe.port(),
            "/admin.cgi?pass=scpw&mode=updinfo&song=Cgi+Song", null, null);
        assertThat(cgi.status()).isEqualTo(200);
        assertThat(cgi.body()).isEqualTo(AdminHtml.success(AdminMessages.METADATA_UPDATED));
        await("the player on /put.mp3 sees Put Song").atMost(LIVE)
            .failFast(() -> !onPut.isAlive())
            .until(() -> onPut.icyTitles().contains("Put Song"));
        await("the player on /stream sees Cgi Song").atMost(LIVE)
            .failFast(() -> !onSc.isAlive())
            .until(() -> onSc.icyTitles().contains("Cgi Song"));
        assertThat(onPut.icyTitles()).doesNotContain("Cgi Song");
        assertThat(onSc.icyTitles()).doesNotContain("Put Song");
        assertThat(onPut.decodeErrors()).isEmpty();
        assertThat(onSc.decodeErrors()).isEmpty();
      }
      assertThat(sc.writeError()).isNull();
    }
  }
}
