package dev.floe.proxy.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.playlist.Media;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.HeadlessChromium;
import dev.floe.proxy.it.support.TestDirs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The station web player, {@code /<mount>.html}, in headless Chromium at a phone's size: its
 * script loads and runs (the player says which way it plays), the title playing now is shown,
 * the player element is there; and its script is served gzipped and cacheable under its version.
 */
class WebPlayerTest {
  private static Path dir;
  private static FloeServer floe;

  @BeforeAll
  static void start() throws Exception {
    dir = TestDirs.create("web-player");
    Media.tone(dir, "one.mp3", "One", 440, 30, 64);
    Path m3u = Files.writeString(dir.resolve("list.m3u"), "one.mp3\n");
    floe = FloeServer.start("mounts = [ { path = \"/pl\", playlist = \"" + m3u + "\" } ]");
    await().atMost(Duration.ofSeconds(10)).until(() -> floe.mount("/pl").live());
  }

  @AfterAll
  static void stop() {
    if (floe != null) {
      floe.close();
    }
  }

  @Test
  void thePageShowsThePlayerAndTheTitleInChromium() throws Exception {
    Path shot = Path.of("target", "web-player.png").toAbsolutePath();
    Files.deleteIfExists(shot);
    String url = floe.url("/pl.html");
    HeadlessChromium.Run dom = HeadlessChromium.run(dir, 8000, List.of("--dump-dom", url));
    assertThat(dom.exit()).as(dom.stderr()).isZero();
    assertThat(dom.stdout()).contains("<audio").contains("class=\"floe-play\"")
        .containsPattern("class=\"floe-title\"[^>]*>[^<]*One")
        // the script ran: it unhid the button and says how it plays (hls.js, or the plain
        // stream when the mount has no HLS playlist)
        .doesNotContain("type=\"button\" hidden")
        .containsPattern("data-mode=\"(hls\\.js|stream)\"");
    assertThat(dom.stderr()).doesNotContain("Uncaught");
    HeadlessChromium.Run png = HeadlessChromium.run(dir, 8000,
        List.of("--screenshot=" + shot, url));
    assertThat(png.exit()).as(png.stderr()).isZero();
    assertThat(Files.size(shot)).isGreaterThan(5_000);
  }

  @Test
  void theScriptIsServedGzippedAndCachedUnderItsVersion() throws Exception {
    String page = floe.get("/pl.html").body();
    Matcher m = Pattern.compile("src=\"(/floe-player\\.js\\?v=[0-9a-f]{16})\"").matcher(page);
    assertThat(m.find()).as(page).isTrue();
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(floe.url(m.group(1)))).header("Accept-Encoding", "gzip")
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(r.headers().firstValue("Cache-Control"))
        .hasValue("public, max-age=31536000, immutable");
    assertThat(r.body().length).isBetween(50_000, 400_000);
    assertThat(floe.get("/floe-player.js").headers().firstValue("Cache-Control"))
        .hasValue("no-cache");
    assertThat(floe.get("/nomount.html").statusCode()).isEqualTo(404);
  }
}
