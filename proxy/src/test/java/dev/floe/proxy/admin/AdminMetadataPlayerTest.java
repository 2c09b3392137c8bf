package dev.floe.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.icy.meta.IcyMetadata;
import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Players on a Floe mount (relaying icecast2) see the titles set through Floe's
 * {@code /admin/metadata} ({@code song}, and {@code artist}+{@code title}) and through the
 * SHOUTcast {@code /admin.cgi} (on {@code /stream}); an over-long title reaches them cut to one
 * well-formed ICY block and harms no listener.
 */
class AdminMetadataPlayerTest {
  private static final Duration LIVE = Duration.ofSeconds(20);

  private static IcecastServer ice;
  private static FfmpegSource source;
  private static FloeServer floe;

  @BeforeAll
  static void start() {
    ice = IcecastServer.start(TestDirs.create("admin-meta"));
    source = FfmpegSource.mp3(ice.url("/live.mp3"));
    ice.awaitMount("/live.mp3", LIVE);
    floe = FloeServer.start("mounts = [ { path = \"/live.mp3\", upstream = \""
        + ice.url("/live.mp3") + "\" }\n { path = \"/stream\", upstream = \""
        + ice.url("/live.mp3") + "\" } ]");
    for (String m : new String[] {"/live.mp3", "/stream"}) {
      // Titles set before the upstream's first metadata block would be replaced by it.
      await(m + " live with its first metadata block").atMost(LIVE)
          .until(() -> floe.mount(m).counters().bytesIn() > 16000);
    }
  }

  @AfterAll
  static void stop() {
    if (floe != null) {
      floe.close();
    }
    if (source != null) {
      source.close();
    }
    if (ice != null) {
      ice.close();
    }
  }

  private static Wire.Response admin(String pathAndQuery) {
    return Wire.get(floe.port(), pathAndQuery, "admin", "hackme");
  }

  @Test
  void playersSeeSongAndArtistTitleUpdates() {
    try (FfmpegPlayer player = FfmpegPlayer.builder(floe.url("/live.mp3")).icy(true)
        .maxDuration(Duration.ofSeconds(60)).start()) {
      Wire.Response r = admin("/admin/metadata?mount=/live.mp3&mode=updinfo&song=Song+One");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(AdminXml.response(AdminMessages.METADATA_UPDATED, true));
      await("player sees Song One").atMost(LIVE).pollInterval(Duration.ofMillis(200))
          .until(() -> player.icyTitles().contains("Song One"));

      r = admin("/admin/metadata.json?mount=/live.mp3&mode=updinfo&artist=The+Band"
          + "&title=Caf%C3%A9&charset=UTF-8");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(AdminJson.response(AdminMessages.METADATA_UPDATED, true));
      // The block carries UTF-8; the fixture reads ffmpeg's log byte for byte (ISO-8859-1).
      String seen = new String("The Band - Café".getBytes(StandardCharsets.UTF_8),
          StandardCharsets.ISO_8859_1);
      await("player sees The Band - Café").atMost(LIVE).pollInterval(Duration.ofMillis(200))
          .failFast(() -> !player.isAlive())
          .untilAsserted(() -> assertThat(player.icyTitles()).contains(seen));
      assertThat(player.decodeErrors()).isEmpty();
    }
  }

  @Test
  void playersSeeShoutcastAdminCgiUpdates() {
    try (FfmpegPlayer player = FfmpegPlayer.builder(floe.url("/stream")).icy(true)
        .maxDuration(Duration.ofSeconds(60)).start()) {
      Wire.Response r = Wire.get(floe.port(), "/admin.cgi?pass=hackme&mode=updinfo&song=Cgi+Song",
          null, null);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(AdminHtml.success(AdminMessages.METADATA_UPDATED));
      await("player sees Cgi Song").atMost(LIVE).pollInterval(Duration.ofMillis(200))
          .until(() -> player.icyTitles().contains("Cgi Song"));
      assertThat(player.decodeErrors()).isEmpty();
    }
    assertThat(Wire.get(floe.port(), "/admin.cgi?pass=wrong&mode=updinfo&song=x", null, null)
        .status()).isEqualTo(401);
    assertThat(Wire.get(floe.port(), "/admin.cgi?pass=hackme&mode=updinfo", null, null).body())
        .isEqualTo(AdminHtml.error(400, AdminMessages.MISSING_PARAMETER));
  }

  @Test
  void aTitleOverTheIcyLimitIsCutAndHarmsNoListener() {
    try (RawListener bystander = RawListener.builder(floe.port(), "/live.mp3")
            .icyMetadata(true).open();
        RawListener reader = RawListener.builder(floe.port(), "/live.mp3").icyMetadata(true)
            .open()) {
      String longTitle = "L" + "x".repeat(5000);
      Wire.Response r = admin("/admin/metadata?mount=/live.mp3&mode=updinfo&song=" + longTitle);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(AdminXml.response(AdminMessages.METADATA_UPDATED, true));
      await("the cut title arrives").atMost(LIVE).pollInterval(Duration.ofMillis(200))
          .until(() -> reader.titles().stream().anyMatch(t -> t.startsWith("Lxxx")));
      String got = reader.titles().stream().filter(t -> t.startsWith("Lxxx")).findFirst()
          .orElseThrow();
      assertThat(got.length()).isLessThan(longTitle.length())
          .isGreaterThan(IcyMetadata.MAX_PAYLOAD - 40);
      assertThat(("StreamTitle='" + got + "';").length())
          .isLessThanOrEqualTo(IcyMetadata.MAX_PAYLOAD);
      // The stats keep the whole title; both listeners keep playing.
      assertThat(admin("/admin/stats?mount=/live.mp3").body()).contains(longTitle);
      long before = bystander.audioBytes();
      await("bystander keeps receiving").atMost(LIVE)
          .until(() -> bystander.audioBytes() > before + 16000);
      assertThat(bystander.connected()).isTrue();
      assertThat(reader.connected()).isTrue();
    }
  }
}
