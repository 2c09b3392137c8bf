package dev.floe.proxy.it.playlist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A playlist mount heard by a real ffmpeg player, and its real-time rate. */
class PlaylistPlaybackTest {
  @Test
  void shouldPlayConsecutiveItemsWithoutErrorsAndTheirTitles() throws Exception {
    Path dir = TestDirs.create("playlist-play");
    Media.tone(dir, "1.mp3", "One", 440, 3, 32);
    Media.tone(dir, "2.mp3", "Two", 550, 3, 32);
    Media.tone(dir, "3.mp3", "Three", 660, 3, 32);
    Path m3u = Files.writeString(dir.resolve("list.m3u"), "1.mp3\n2.mp3\n3.mp3\n");
    try (FloeServer floe = FloeServer.start("mounts = [ { path = \"/pl\", playlist = \""
        + m3u + "\", burst-size = 8KiB, listener-delay = 0, metaint = 2000 } ]");
        FfmpegPlayer player = awaitLive(floe) ? FfmpegPlayer.builder(floe.url("/pl")).icy(true)
            .maxDuration(Duration.ofSeconds(11)).workDir(dir).start() : null) {
      assertThat(player.awaitExit(Duration.ofSeconds(40))).as(player.stderr()).isZero();

      assertThat(player.decodeErrors()).isEmpty();
      assertThat(player.decodedDuration()).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
      assertThat(player.icyTitles()).contains("Tester - One", "Tester - Two", "Tester - Three");
    }
  }

  /**
   * 25 s of a 128 kbit/s playlist: after the burst, the listener's bytes grow at the files' rate
   * (least-squares slope over 10 samples a second, within 1.5%), and the first second brings no
   * more than the burst plus what a second of playing and one chunk add.
   */
  @Test
  void shouldPaceInRealTimeAfterTheBurst() throws Exception {
    Path dir = TestDirs.create("playlist-rate");
    Media.tone(dir, "a.mp3", "A", 440, 20, 128);
    Media.tone(dir, "b.mp3", "B", 660, 20, 128);
    Path m3u = Files.writeString(dir.resolve("list.m3u"), "a.mp3\nb.mp3\n");
    int burst = 32 * 1024;
    double rate = 128_000 / 8.0;
    try (FloeServer floe = FloeServer.start("mounts = [ { path = \"/pl\", playlist = \""
        + m3u + "\", burst-size = 32KiB, listener-delay = 0 } ]")) {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> floe.mount("/pl").live());
      try (RawListener l = RawListener.builder(floe.port(), "/pl").open()) {
        Instant start = Instant.now();
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
            .until(() -> Duration.between(start, Instant.now()).toMillis() >= 1000);
        assertThat(l.audioBytes()).isBetween((long) burst, burst + (long) rate + 16 * 1024);

        List<double[]> samples = new ArrayList<>();
        Instant from = Instant.now();
        Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
            .until(() -> {
              double t = Duration.between(from, Instant.now()).toNanos() / 1e9;
              samples.add(new double[] {t, l.audioBytes()});
              return t >= 25;
            });
        double slope = slope(samples);
        System.out.printf("playlist rate: %.1f B/s over %.1f s (files: %.1f B/s)%n", slope,
            samples.get(samples.size() - 1)[0], rate);
        assertThat(slope).isBetween(rate * 0.985, rate * 1.015);
        assertThat(l.connected()).isTrue();
      }
    }
  }

  static boolean awaitLive(FloeServer floe) {
    Awaitility.await("playlist live").atMost(Duration.ofSeconds(10))
        .until(() -> floe.mount("/pl").live());
    return true;
  }

  private static double slope(List<double[]> xy) {
    double n = xy.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (double[] p : xy) {
      sx += p[0];
      sy += p[1];
      sxx += p[0] * p[0];
      sxy += p[0] * p[1];
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
  }
}
