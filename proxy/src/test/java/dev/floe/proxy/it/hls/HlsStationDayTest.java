package dev.floe.proxy.it.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.ChromiumPage;
import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.mount.Mount;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A station's day as HLS players live it, in about 100 s: an ffmpeg source starts; in its first
 * second an ffmpeg player, a plain playlist request (answered with the first segment once it is
 * complete) and Floe's own web player ({@code /live.html}, hls.js in headless Chromium) join
 * {@code /live.m3u8}; the title changes through {@code /admin/metadata} every 6 s;
 * 40 s in the source is killed and a new one connects (a new epoch: positions start again at 0).
 * Both players carry on across the restart: ffmpeg decodes all it was asked for without an error
 * (but {@link HlsPlaybackTest#demuxerDtsArtifact}), the page plays in hls.js mode with its
 * {@code currentTime} never standing still for more than 3 s once it started, and shows every
 * title in the order the station set them (but one the restart cut to less than a segment: a
 * segment carries the title in force at its first byte). The playlist's media sequence never goes back and
 * says {@code EXT-X-DISCONTINUITY} where the new run starts.
 */
class HlsStationDayTest {
  private static final String CONFIG = "server { source-password = \"srcpw\","
      + " admin-password = \"adminpw\", sources-create-mounts = true }";
  private static final Duration RUN = Duration.ofSeconds(95);
  private static final long RESTART_AT_MS = 40_000;
  private static final long TITLE_EVERY_MS = 6_000;
  /** Titles set this close to the end may not have reached the players (about 12 s behind). */
  private static final long TITLE_LATENCY_MS = 25_000;
  private static final Pattern SEQUENCE = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)");

  @Test
  void ffmpegAndHlsJsJoinInTheFirstSecondAndPlayOnAcrossASourceRestartShowingEveryTitle()
      throws Exception {
    Path dir = TestDirs.create("hls-station-day");
    FfmpegSource source = null;
    try (FloeServer floe = FloeServer.start(CONFIG)) {
      source = mp3(floe);
      FfmpegSource first = source;
      await("/live live").atMost(Duration.ofSeconds(30)).failFast(() -> !first.isAlive())
          .until(() -> live(floe));
      long start = System.nanoTime();
      // a third player's first request, in the stream's first second: answered with a playlist
      // to start from once the first segment is complete (about 4 s), not an empty one
      CompletableFuture<String> early = CompletableFuture.supplyAsync(
          () -> Hls.text(Hls.get(floe.url("/live.m3u8"))));
      try (FfmpegPlayer player = FfmpegPlayer.builder(floe.url("/live.m3u8"))
              .maxDuration(Duration.ofSeconds(70)).start();
          ChromiumPage page = ChromiumPage.open(dir, floe.url("/live.html"))) {
        List<String> titles = new ArrayList<>();
        List<Long> titleTimes = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        long nextTitle = 0;
        boolean restarted = false;
        boolean clicked = false;
        long lastSequence = -1;
        boolean discontinuity = false;
        double lastTime = -1;
        long lastAdvance = -1;
        long longestStill = 0;
        double timeAtRestart = -1;
        long restartMs = -1;
        String mode = "";
        long elapsed;
        while ((elapsed = (System.nanoTime() - start) / 1_000_000) < RUN.toMillis()) {
          if (!restarted && elapsed >= RESTART_AT_MS) {
            source.kill(); // the encoder crashed; the station's operator starts it again
            source.awaitExit(Duration.ofSeconds(10));
            source = mp3(floe);
            restarted = true;
            restartMs = elapsed;
            timeAtRestart = lastTime;
          }
          if (elapsed >= nextTitle && live(floe)) {
            String title = "Song " + (titles.size() + 1);
            Hls.setTitle(floe.port(), "/live", title);
            titles.add(title);
            titleTimes.add(elapsed);
            nextTitle = elapsed + TITLE_EVERY_MS;
          }
          // (the page may not be parsed yet in the first second: nothing to read then)
          String[] state = page.eval("(() => { const r = document.querySelector('.floe-player');"
              + " if (!r) return '|-1|';"
              + " const a = window.floePlayer && window.floePlayer.audio;"
              + " return [r.dataset.mode || '', a ? a.currentTime : -1,"
              + " document.querySelector('.floe-title').textContent].join('|'); })()")
              .split("\\|", 3);
          mode = state[0];
          if (mode.equals("hls.js") && !clicked) {
            page.eval("document.querySelector('.floe-play').click()"); // the listener presses Play
            clicked = true;
          }
          double time = Double.parseDouble(state[1]);
          if (time > lastTime) {
            if (lastAdvance >= 0) {
              longestStill = Math.max(longestStill, elapsed - lastAdvance);
            }
            lastAdvance = time > 0 ? elapsed : -1;
            lastTime = time;
          }
          String title = state[2].trim();
          if (title.startsWith("Song ") && (shown.isEmpty()
              || !shown.get(shown.size() - 1).equals(title))) {
            shown.add(title);
          }
          String playlist = Hls.text(Hls.get(floe.url("/live.m3u8")));
          Matcher m = SEQUENCE.matcher(playlist);
          if (m.find()) {
            long sequence = Long.parseLong(m.group(1));
            assertThat(sequence).as("media sequence after %d\n%s", lastSequence, playlist)
                .isGreaterThanOrEqualTo(lastSequence);
            lastSequence = sequence;
          }
          discontinuity |= playlist.contains("#EXT-X-DISCONTINUITY\n");
          // a poll every 250 ms, paced by the clock (a bounded wait, not a sleep to synchronise)
          long due = System.nanoTime() + 250_000_000L;
          await().pollInterval(Duration.ofMillis(50)).atMost(Duration.ofSeconds(1))
              .until(() -> System.nanoTime() >= due);
        }
        String cues = page.eval("Array.from(window.floePlayer.audio.textTracks).flatMap(t =>"
            + " Array.from(t.cues || []).map(c => c.startTime.toFixed(2) + '-'"
            + " + c.endTime.toFixed(2) + ' ' + (c.value && c.value.key) + '='"
            + " + (c.value && c.value.data))).join(', ')");
        assertThat(Hls.segments(early.get(10, TimeUnit.SECONDS))).hasSize(1);
        String context = "shown " + shown + ", set " + titles + " at " + titleTimes
            + " ms; restart at " + timeAtRestart + " s of media; cues: " + cues + "\n"
            + page.log();
        System.out.printf("HlsStationDayTest: hls.js played %.1f s of media (%.1f s before the"
            + " restart), currentTime stood still at most %d ms; titles shown %s of %s%n",
            lastTime, timeAtRestart, longestStill, shown, titles);
        assertThat(mode).as(context).isEqualTo("hls.js");
        assertThat(timeAtRestart).as(context).isGreaterThan(20);
        assertThat(lastTime).as(context).isGreaterThan(timeAtRestart + 30);
        assertThat(longestStill).as("longest time currentTime stood still, ms; " + context)
            .isLessThanOrEqualTo(3_000);
        assertThat(discontinuity).as("EXT-X-DISCONTINUITY listed after the restart").isTrue();
        long end = (System.nanoTime() - start) / 1_000_000;
        // every title that was in force for a segment's length (5.7 s at most) is carried in
        // the ID3 tag of the segment that starts while it is; one the restart cut short may not
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < titles.size(); i++) {
          long from = titleTimes.get(i);
          long to = i + 1 < titles.size() ? titleTimes.get(i + 1) : end;
          boolean cut = from < restartMs && to > restartMs;
          if (from < end - TITLE_LATENCY_MS && (cut ? restartMs : to) - from >= 5_800) {
            expected.add(titles.get(i));
          }
        }
        assertThat(expected).hasSizeGreaterThan(8);
        assertThat(shown).as(context).startsWith(expected.toArray(String[]::new));

        assertThat(player.awaitExit(Duration.ofSeconds(60))).as(player.stderr()).isZero();
        assertThat(player.decodeErrors()).as(player.stderr())
            .allMatch(HlsPlaybackTest::demuxerDtsArtifact);
        assertThat(player.decodedDuration()).as(player.stderr())
            .isGreaterThanOrEqualTo(Duration.ofSeconds(69));
      }
    } finally {
      if (source != null) {
        source.close();
      }
    }
  }

  private static FfmpegSource mp3(FloeServer floe) {
    return FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/live")).password("srcpw")
        .start();
  }

  private static boolean live(FloeServer floe) {
    Mount m = floe.mount("/live");
    return m != null && m.live() && m.info() != null;
  }
}
