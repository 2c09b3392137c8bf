package dev.floe.proxy.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.admin.AdminMessages;
import dev.floe.proxy.admin.AdminXml;
import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * icecast2 pulls from Floe: a {@code <relay>} of a Floe source mount with
 * {@code relay-shoutcast-metadata} (a player on icecast2 decodes, and the titles set on Floe
 * through {@code /admin/metadata}, with the admin's or the source's own credentials, reach
 * icecast2's listeners), and icecast2 as a master/slave slave of Floe (it reads
 * {@code /admin/streamlist.txt} with the relay user and relays every live mount).
 */
class IcecastRelaysFloeTest {
  private static final Duration LIVE = Duration.ofSeconds(20);

  private static FfmpegSource source(FloeServer floe, String mount) {
    FfmpegSource s = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url(mount))
        .password("pw").start();
    await(mount + " live on Floe").atMost(LIVE).until(() -> floe.mount(mount) != null
        && floe.mount(mount).buffer() != null);
    return s;
  }

  @Test
  void icecastRelaysAFloeSourceMountWithItsTitles() {
    try (FloeServer floe = FloeServer.start(
        "server { source-password = \"pw\", sources-create-mounts = true }");
        FfmpegSource src = source(floe, "/origin");
        IcecastServer ice = IcecastServer.builder().relay(floe.port(), "/origin", "/relayed")
            .start(TestDirs.create("ice-relays-floe"))) {
      ice.awaitMount("/relayed", LIVE);
      try (FfmpegPlayer player = FfmpegPlayer.start(ice.url("/relayed"), true,
          Duration.ofSeconds(5))) {
        assertThat(player.awaitExit(Duration.ofSeconds(30))).isZero();
        assertThat(player.decodeErrors()).isEmpty();
        assertThat(player.decodedDuration()).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
      }
      try (RawListener onIce = RawListener.builder(ice.port(), "/relayed").icyMetadata(true)
          .open()) {
        assertThat(onIce.status()).isEqualTo(200);
        AdminCall byAdmin = AdminCall.get(floe.port(),
            "/admin/metadata?mount=/origin&mode=updinfo&song=Set+By+Admin", "admin", "hackme");
        assertThat(byAdmin.body()).isEqualTo(AdminXml.response(AdminMessages.METADATA_UPDATED,
            true));
        await("icecast2's listener sees the admin's title").atMost(LIVE)
            .until(() -> onIce.titles().contains("Set By Admin"));
        AdminCall bySource = AdminCall.get(floe.port(),
            "/admin/metadata?mount=/origin&mode=updinfo&artist=The+Source&title=Own+Title",
            "source", "pw");
        assertThat(bySource.body()).isEqualTo(AdminXml.response(AdminMessages.METADATA_UPDATED,
            true));
        await("icecast2's listener sees the source's title").atMost(LIVE)
            .until(() -> onIce.titles().contains("The Source - Own Title"));
        assertThat(onIce.connected()).isTrue();
        assertThat(onIce.readError()).isNull();
      }
    }
  }

  @Test
  void icecastAsASlaveOfFloeRelaysEveryLiveMount() {
    try (FloeServer floe = FloeServer.start("server { source-password = \"pw\","
        + " sources-create-mounts = true, relay-password = \"relpw\" }");
        FfmpegSource a = source(floe, "/a.mp3");
        FfmpegSource b = source(floe, "/b.mp3");
        IcecastServer ice = IcecastServer.builder().extraXml(
            "  <master-server>127.0.0.1</master-server>\n"
            + "  <master-server-port>" + floe.port() + "</master-server-port>\n"
            + "  <master-update-interval>1</master-update-interval>\n"
            + "  <master-username>relay</master-username>\n"
            + "  <master-password>relpw</master-password>")
            .start(TestDirs.create("ice-slave-of-floe"))) {
      for (String m : List.of("/a.mp3", "/b.mp3")) {
        ice.awaitMount(m, LIVE);
      }
      for (String m : List.of("/a.mp3", "/b.mp3")) {
        try (RawListener onIce = RawListener.builder(ice.port(), m).icyMetadata(false).open()) {
          assertThat(onIce.status()).as(m).isEqualTo(200);
          await(m + " audio through icecast2").atMost(LIVE)
              .until(() -> onIce.audioBytes() > 32_000);
          assertThat(onIce.connected()).isTrue();
        }
      }
      assertThat(floe.mount("/a.mp3").listeners() + floe.mount("/b.mp3").listeners())
          .as("icecast2's two relays pull from Floe").isEqualTo(2);
      assertThat(ice.log()).doesNotContain("Master rejected streamlist request");
    }
  }
}
