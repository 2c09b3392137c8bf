package dev.floe.proxy.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.playlist.Media;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.HeadlessChromium;
import dev.floe.proxy.it.support.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The web player's counters reach Floe: headless Chromium plays {@code /live.html} (hls.js) for
 * a while of the page's time, its script posts what it played to {@code /live.hls/report}, and
 * the status JSON shows it beside the HTTP segment bytes Floe measured itself. One browser, no
 * peers: every byte it reports came over HTTP, and it cannot report more than Floe sent.
 */
class WebPlayerReportTest {
  @Test
  void thePlayersCountersAppearInTheStatusJson() throws Exception {
    Path dir = TestDirs.create("web-player-report");
    Media.tone(dir, "one.mp3", "One", 440, 60, 64);
    Path m3u = Files.writeString(dir.resolve("list.m3u"), "one.mp3\n");
    try (FloeServer floe = FloeServer.start(
        "mounts = [ { path = \"/live\", playlist = \"" + m3u + "\" } ]")) {
      await().atMost(Duration.ofSeconds(30)).until(
          () -> floe.get("/live.m3u8").body().contains("#EXTINF"));
      // 45 s of the page's time: the player reports every 20 s, and when the page goes
      HeadlessChromium.Run run = HeadlessChromium.run(dir, 45_000, List.of(
          "--autoplay-policy=no-user-gesture-required", "--dump-dom", floe.url("/live.html")));
      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(run.stdout()).contains("data-mode=\"hls.js\"");
      String json = await().atMost(Duration.ofSeconds(20)).until(
          () -> floe.get("/status-json.xsl").body(),
          j -> number(j, "floe_hls_reports") >= 1);
      long measured = number(json, "floe_hls_http_bytes");
      long reported = number(json, "floe_hls_reported_http_bytes");
      System.out.printf("web player report: %d reports, reported %d B over HTTP, Floe sent %d B%n",
          number(json, "floe_hls_reports"), reported, measured);
      assertThat(reported).as(json).isPositive().isLessThanOrEqualTo(measured);
      assertThat(number(json, "floe_hls_peer_bytes")).isZero();
      assertThat(number(json, "floe_hls_reports_refused")).as(json).isZero();
      assertThat(floe.get("/metrics").body())
          .contains("floe_hls_reported_http_bytes_total{mount=\"/live\"} " + reported + "\n");
    }
  }

  private static long number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\":(\\d+)").matcher(json);
    assertThat(m.find()).as(key + " in " + json).isTrue();
    return Long.parseLong(m.group(1));
  }
}
