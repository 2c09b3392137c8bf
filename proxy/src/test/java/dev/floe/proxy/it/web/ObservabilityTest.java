package dev.floe.proxy.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.it.support.Tools;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    ChromiumRun dom = chromium(List.of("--dump-dom", url));
    assertThat(dom.exit).as(dom.stderr).isZero();
    assertThat(dom.stdout).contains("data-mount=\"/live\"").contains("Web Radio")
        .containsPattern("class=\"listeners\">1 \\(peak 1\\)")
        .contains("<polyline");
    assertThat(consoleErrors(dom.stderr)).as(dom.stderr).isEmpty();
    ChromiumRun png = chromium(List.of("--screenshot=" + shot, url));
    assertThat(png.exit).as(png.stderr).isZero();
    assertThat(Files.size(shot)).isGreaterThan(5_000);
  }

  @Test
  void adminPageLoadsInChromiumOnAPhone() throws Exception {
    Path shot = Path.of("target", "admin-page.png").toAbsolutePath();
    Files.deleteIfExists(shot);
    String url = floe.url("/admin/").replace("http://", "http://admin:hackme@");
    ChromiumRun dom = chromium(List.of("--dump-dom", url));
    assertThat(dom.exit).as(dom.stderr).isZero();
    assertThat(dom.stdout).contains("<a href=\"/live\">/live</a>").contains("Web Radio")
        .contains("1 listener (peak 1)").contains("name=\"song\"")
        .contains("data-cmd=\"/admin/killclient\"").contains(">Kick</button>");
    assertThat(consoleErrors(dom.stderr)).as(dom.stderr).isEmpty();
    ChromiumRun png = chromium(List.of("--screenshot=" + shot, url));
    assertThat(png.exit).as(png.stderr).isZero();
    assertThat(Files.size(shot)).isGreaterThan(5_000);
    assertThat(floe.get("/admin/").statusCode()).isEqualTo(401);
  }

  /** Console messages Chromium logged at error level, and uncaught exceptions. */
  private static List<String> consoleErrors(String stderr) {
    List<String> out = new ArrayList<>();
    for (String line : stderr.split("\n")) {
      if (line.contains("Uncaught") || (line.contains("CONSOLE") && line.contains("ERROR"))
          || line.contains(":ERROR:CONSOLE")) {
        out.add(line);
      }
    }
    return out;
  }

  private record ChromiumRun(int exit, String stdout, String stderr) {}

  private static ChromiumRun chromium(List<String> args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(dir, "chromium-profile");
    List<String> cmd = new ArrayList<>(List.of(Tools.require("chromium", "chromium").toString(),
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--window-size=412,915", "--enable-logging=stderr",
        "--v=0", "--virtual-time-budget=7000"));
    cmd.addAll(args);
    Path out = dir.resolve("chromium-out-" + System.nanoTime());
    Path err = dir.resolve("chromium-err-" + System.nanoTime());
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
        .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 90 s: " + cmd);
    }
    return new ChromiumRun(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
