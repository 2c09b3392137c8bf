package dev.floe.proxy.it.playlist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A live source takes a playlist mount over and hands it back; the listener stays. */
class AutoDjTest {
  /** MPEG-1 layer III frame headers (the live source's 44.1 kHz) after {@code from}. */
  private static int mpeg1Frames(byte[] b, int from) {
    int n = 0;
    for (int i = Math.max(0, from); i + 1 < b.length; i++) {
      if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFE) == 0xFA) {
        n++;
      }
    }
    return n;
  }

  /** MPEG-2 layer III frame headers (the playlist's 22.05 kHz) after {@code from}. */
  private static int mpeg2Frames(byte[] b, int from) {
    int n = 0;
    for (int i = Math.max(0, from); i + 1 < b.length; i++) {
      if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFE) == 0xF2) {
        n++;
      }
    }
    return n;
  }

  @Test
  void shouldHandTheMountToALiveSourceAndBackWithoutDroppingTheListener() throws Exception {
    Path dir = TestDirs.create("autodj");
    Media.tone(dir, "a.mp3", "Auto", 440, 30, 32);
    Path m3u = Files.writeString(dir.resolve("list.m3u"), "a.mp3\n");
    try (FloeServer floe = FloeServer.start("server { source-password = \"pw\" }\n"
        + "mounts = [ { path = \"/pl\", playlist = \"" + m3u + "\", burst-size = 8KiB,"
        + " listener-delay = 0 } ]");
        RawListener l = PlaylistPlaybackTest.awaitLive(floe) ? RawListener.builder(floe.port(), "/pl").icyMetadata(true)
            .captureBytes(16 * 1024 * 1024).timeout(Duration.ofSeconds(60)).open() : null) {
      Awaitility.await("playlist title").atMost(Duration.ofSeconds(15))
          .until(() -> l.titles().contains("Tester - Auto"));

      int liveFrom;
      try (FfmpegSource live = FfmpegSource.builder(FfmpegSource.Format.MP3,
          "icecast://source:pw@127.0.0.1:" + floe.port() + "/pl").password("pw").start()) {
        Awaitility.await("source connected").atMost(Duration.ofSeconds(15))
            .until(() -> floe.mount("/pl").hasSource());
        liveFrom = l.captured().length;
        setTitle(floe, "Live Title");
        Awaitility.await("live audio and title").atMost(Duration.ofSeconds(20))
            .until(() -> l.titles().contains("Live Title")
                && mpeg1Frames(l.captured(), liveFrom) > 100);
      }
      Awaitility.await("source gone").atMost(Duration.ofSeconds(15))
          .until(() -> !floe.mount("/pl").hasSource());
      int backFrom = l.captured().length;
      Awaitility.await("playlist again").atMost(Duration.ofSeconds(20))
          .until(() -> mpeg2Frames(l.captured(), backFrom) > 100);

      assertThat(l.connected()).isTrue();
      assertThat(l.titles().subList(l.titles().indexOf("Live Title"), l.titles().size()))
          .contains("Tester - Auto");
    }
  }

  private static void setTitle(FloeServer floe, String song) throws Exception {
    String auth = Base64.getEncoder().encodeToString("admin:hackme"
        .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(floe.url("/admin/metadata?mount=/pl&mode=updinfo&song="
                + song.replace(" ", "+")))).header("Authorization", "Basic " + auth)
            .timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }
}
