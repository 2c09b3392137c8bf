package dev.floe.proxy.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.HeadlessChromium;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.it.support.Tools;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an operator looks at: {@code /metrics} checked by Prometheus's own {@code promtool}, and
 * the status page and the admin page loaded in headless Chromium at a phone's size (no console
 * errors; live mount and listener count, live charts drawn; the admin page's title form and kick
 * button), with screenshots written to {@code target/}.
 */
class ObservabilityTest {
  private static final Duration LIVE = Duration.ofSeconds(15);
  private static Path dir;
  private static IcecastServer ice;
  private static FfmpegSource source;
  private static FloeServer floe;
  private static RawListener listener;

  @BeforeAll
  static void start() {
    dir = TestDirs.create("observability");
    ice = IcecastServer.start(dir.resolve("ice"));
    source = FfmpegSource.builder(FfmpegSource.Format.MP3, ice.url("/live")).iceName("Web Radio")
        .start();
    ice.awaitMount("/live", LIVE);
    floe = FloeServer.relay(ice.url("/live"), "/live", "");
    await().atMost(LIVE).until(() -> floe.mount("/live").live());
    listener = RawListener.builder(floe.port(), "/live").icyMetadata(true).open();
    await().atMost(LIVE).until(() -> floe.mount("/live").listeners() == 1);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {listener, floe, source, ice}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // keep closing the others
      }
    }
  }

  @Test
  void metricsPassPromtool() throws Exception {
    HttpResponse<String> r = floe.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    assertThat(r.body()).contains("floe_listeners{mount=\"/live\"} 1\n")
        .contains("floe_mount_live{mount=\"/live\"} 1\n");
    Path file = dir.resolve("metrics.txt");
    Files.writeString(file, r.body());
    Process p = new ProcessBuilder(Tools.require("promtool", "prometheus").toString(), "check",
        "metrics").redirectInput(file.toFile()).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("promtool check metrics:\n%s", out).isZero();
    assertThat(out).doesNotContain("error");
  }

  @Test
  void statusPageLoadsInChromiumWithLiveCharts() throws Exception {
    Path shot = Path.of("target", "status-page.png").toAbsolutePath();
    Files.deleteIfExists(shot);
    String url = floe.url("/");
    HeadlessChromium.Run dom = chromium(List.of("--dump-dom", url));
    assertThat(dom.exit()).as(dom.stderr()).isZero();
    assertThat(dom.stdout()).contains("data-mount=\"/live\"").contains("Web Radio")
        .containsPattern("class=\"listeners\">1 \\(peak 1\\)")
        .contains("<polyline");
    assertThat(dom.consoleErrors()).as(dom.stderr()).isEmpty();
    HeadlessChromium.Run png = chromium(List.of("--screenshot=" + shot, url));
    assertThat(png.exit()).as(png.stderr()).isZero();
    assertThat(Files.size(shot)).isGreaterThan(5_000);
  }

  @Test
  void adminPageLoadsInChromiumOnAPhone() throws Exception {
    Path shot = Path.of("target", "admin-page.png").toAbsolutePath();
    Files.deleteIfExists(shot);
    String url = floe.url("/admin/").replace("http://", "http://admin:hackme@");
    HeadlessChromium.Run dom = chromium(List.of("--dump-dom", url));
    assertThat(dom.exit()).as(dom.stderr()).isZero();
    assertThat(dom.stdout()).contains("<a href=\"/live\">/live</a>").contains("Web Radio")
        .contains("1 listener (peak 1)").contains("name=\"song\"")
        .contains("data-cmd=\"/admin/killclient\"").contains(">Kick</button>");
    assertThat(dom.consoleErrors()).as(dom.stderr()).isEmpty();
    HeadlessChromium.Run png = chromium(List.of("--screenshot=" + shot, url));
    assertThat(png.exit()).as(png.stderr()).isZero();
    assertThat(Files.size(shot)).isGreaterThan(5_000);
    assertThat(floe.get("/admin/").statusCode()).isEqualTo(401);
  }

  private static HeadlessChromium.Run chromium(List<String> args) throws Exception {
    return HeadlessChromium.run(dir, 7000, args);
  }
}
