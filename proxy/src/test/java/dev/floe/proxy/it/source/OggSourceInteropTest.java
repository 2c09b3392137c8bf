package dev.floe.proxy.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.OggSource;
import dev.floe.proxy.it.support.OggSource.Track;
import dev.floe.proxy.it.support.TestDirs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ogg Vorbis stations as they run: mpd (a shout output that re-encodes, with its header packets
 * paged together with audio after each tag change) and ices2 (Ogg files sent as they are). Their
 * artist and title reach the status JSON, {@code /admin/stats} and the status page, and change
 * at each track; a player that joins mid-track, after a tag change, decodes with no error.
 */
class OggSourceInteropTest {
  private static final Duration LIVE = Duration.ofSeconds(30);
  private static final String PASSWORD = "oggpw";

  private static FloeProcess floe(String name) {
    return FloeProcess.start(TestDirs.create(name), "server { source-password = \"" + PASSWORD
        + "\", sources-create-mounts = true, admin-password = \"adm\" }");
  }

  private static boolean titleIs(FloeProcess floe, String mount, String title) {
    String json = floe.statusJson();
    return json.contains("\"title\":\"" + title + "\"") && json.contains(mount);
  }

  private static String get(FloeProcess floe, String path, boolean admin) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(floe.url(path)))
        .timeout(Duration.ofSeconds(10));
    if (admin) {
      r.header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString("admin:adm".getBytes()));
    }
    return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void mpdTitlesChangePerTrackAndAPlayerJoiningAfterATagChangeDecodes() throws Exception {
    Path dir = TestDirs.create("ogg-mpd");
    List<Path> files = OggSource.makeTracks(dir, List.of(
        new Track("Floe Test", "Track One", 8), new Track("Floe Test", "Track Two", 60)));
    try (FloeProcess floe = floe("ogg-mpd-floe");
        OggSource mpd = OggSource.mpd(dir, floe.port(), "/mpd.ogg", PASSWORD, files)) {
      await().atMost(LIVE).until(() -> titleIs(floe, "/mpd.ogg", "Floe Test - Track One"));
      // The tag change: mpd starts a new chained stream with the second track's comments.
      await().atMost(LIVE).until(() -> titleIs(floe, "/mpd.ogg", "Floe Test - Track Two"));
      assertThat(get(floe, "/admin/stats", true)).contains("Floe Test - Track Two");
      assertThat(get(floe, "/", false)).contains("Floe Test - Track Two");
      // A player joins mid-track, once the new stream is longer than a player's burst and delay
      // (128 KiB): it starts from the header Floe keeps, not from the stream's first pages.
      long atChange = floe.statusNumber("floe_position");
      await().atMost(LIVE).until(() -> floe.statusNumber("floe_position") > atChange + 200_000);
      try (FfmpegPlayer player = FfmpegPlayer.start(floe.url("/mpd.ogg"), false,
          Duration.ofSeconds(6))) {
        assertThat(player.awaitExit(Duration.ofSeconds(40))).as(player.stderr()).isZero();
        assertThat(player.decodeErrors()).as(player.stderr()).isEmpty();
        assertThat(player.decodedDuration()).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
      }
      assertThat(mpd.isAlive()).as(mpd.log()).isTrue();
    }
  }

  @Test
  void ffmpegOpusTagsReachTheStatusJson() {
    try (FloeProcess floe = floe("ogg-opus-floe");
        FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.OPUS, floe.url("/opus.ogg"))
            .password(PASSWORD).metadata("ARTIST", "Opus Artist")
            .metadata("TITLE", "Opus Title").start()) {
      await().atMost(LIVE).until(() -> titleIs(floe, "/opus.ogg", "Opus Artist - Opus Title"));
      assertThat(src.isAlive()).isTrue();
    }
  }

  @Test
  void ices2TitleReachesTheStatusJson() throws Exception {
    Path dir = TestDirs.create("ogg-ices2");
    List<Path> files = OggSource.makeTracks(dir, List.of(
        new Track("Ices Artist", "Ices Song", 6), new Track("Ices Artist", "Next Song", 6)));
    try (FloeProcess floe = floe("ogg-ices2-floe");
        OggSource ices = OggSource.ices2(dir, floe.port(), "/ices.ogg", PASSWORD, files)) {
      await().atMost(LIVE).until(() -> titleIs(floe, "/ices.ogg", "Ices Artist - Ices Song"));
      await().atMost(LIVE).until(() -> titleIs(floe, "/ices.ogg", "Ices Artist - Next Song"));
      try (FfmpegPlayer player = FfmpegPlayer.start(floe.url("/ices.ogg"), false,
          Duration.ofSeconds(4))) {
        assertThat(player.awaitExit(Duration.ofSeconds(30))).as(player.stderr()).isZero();
        assertThat(player.decodeErrors()).as(player.stderr()).isEmpty();
      }
      assertThat(ices.isAlive()).as(ices.log()).isTrue();
    }
  }
}
