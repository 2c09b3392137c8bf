package dev.floe.proxy.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class WebPlayerPageTest {
  @Test
  void thePagePlaysThePlainStreamWithoutItsScriptAndEscapesWhatASourceSent() {
    String page = WebPlayerPage.render("/live", "Radio <b>One</b>", "A & B \"live\"", null);
    assertThat(page).contains("<audio controls preload=\"none\" src=\"/live\"></audio>")
        .contains("data-playlist=\"/live.m3u8\"")
        .contains("<div class=\"floe-name\">Radio &lt;b&gt;One&lt;/b&gt;</div>")
        .contains("aria-live=\"polite\">A &amp; B &quot;live&quot;</div>")
        .contains("name=\"viewport\"")
        .doesNotContain("<script").doesNotContain("<b>");
  }

  @Test
  void theScriptIsLoadedByItsVersionedPath() {
    String page = WebPlayerPage.render("/live", "Radio", null, "/floe-player.js?v=0123abcd");
    assertThat(page).contains("<script src=\"/floe-player.js?v=0123abcd\" defer></script>")
        .contains("<title>Radio</title>");
  }

  @Test
  void withoutTheTrackerThePageTellsThePlayerToFetchEverySegmentFromFloe() {
    assertThat(WebPlayerPage.render("/live", "Radio", null, "/p.js", null, 0, false))
        .contains("data-p2p=\"off\"");
    assertThat(WebPlayerPage.render("/live", "Radio", null, "/p.js", null, 0, true))
        .doesNotContain("data-p2p");
  }

  @Test
  void theScriptIsGzippedAndVersionedByItsContent() throws Exception {
    PlayerScript a = PlayerScript.of("console.log(1)".getBytes(StandardCharsets.UTF_8));
    PlayerScript b = PlayerScript.of("console.log(2)".getBytes(StandardCharsets.UTF_8));
    assertThat(a.version()).hasSize(16).isNotEqualTo(b.version());
    assertThat(a.path()).isEqualTo("/floe-player.js?v=" + a.version());
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(a.gzip()))) {
      assertThat(in.readAllBytes()).isEqualTo(a.plain());
    }
  }

  @Test
  void theBuildPutTheBundleOnTheClasspath() {
    // Fails when the web build did not run (-Dfloe.web.skip=true leaves it out on purpose).
    PlayerScript s = PlayerScript.load();
    assertThat(s).as("floe-player.js on the classpath (built by proxy/src/main/web)").isNotNull();
    String js = new String(s.plain(), StandardCharsets.UTF_8);
    assertThat(js).contains("EXT-X-FLOE-SHA256").contains("/announce");
    assertThat(s.plain().length).isGreaterThan(100_000); // hls.js and P2P Media Loader inside
  }
}
