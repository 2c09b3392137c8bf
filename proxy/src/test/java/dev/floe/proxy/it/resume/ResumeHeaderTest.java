package dev.floe.proxy.it.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.AudioRecorder;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloePosition;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.it.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code Floe-Position} on one Floe relaying icecast2: the same position gives byte-identical
 * bodies to every requester (two raw sockets and the real {@code curl}), equal to what an earlier
 * request received from that byte on; positions outside the window or of another epoch get
 * {@code 416} with {@code Floe-Window}; plain players get {@code 200} with both headers.
 */
class ResumeHeaderTest {
  private static final Duration LIVE = Duration.ofSeconds(15);
  private static final String MOUNT = "/live";
  /** Small buffer so that the window's oldest end moves within seconds. */
  private static final String MOUNT_HOCON =
      ", burst-size = 32KiB, max-lag = 160KiB, buffer-size = 192KiB";
  private static final int INTO = 5003;
  private static final int COMPARE = 32 * 1024;

  @Test
  void theSamePositionGivesTheSameBytesAndStalePositionsGet416() throws Exception {
    Path dir = TestDirs.create("resume-header");
    try (IcecastServer ice = IcecastServer.start(dir.resolve("ice"));
        FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.MP3, ice.url(MOUNT))
            .workDir(dir).start()) {
      ice.awaitMount(MOUNT, LIVE);
      try (FloeServer floe = FloeServer.relay(ice.url(MOUNT), MOUNT, MOUNT_HOCON)) {
        await().atMost(LIVE).until(() -> floe.mount(MOUNT).live());
        String epoch = statusString(floe, "floe_epoch");
        assertThat(epoch).as("floe_epoch in /status-json.xsl").matches("[0-9a-f]{16}");

        // A plain player: 200, and both headers, the position inside the window.
        try (AudioRecorder plain = AudioRecorder.open(floe.port(), MOUNT)) {
          assertThat(plain.status()).isEqualTo(200);
          FloePosition at = plain.position();
          FloePosition.Window w = plain.window();
          assertThat(at.epoch()).isEqualTo(epoch);
          assertThat(w.contains(at.offset())).as("%s inside %s", at, w).isTrue();
          await().atMost(LIVE).until(() -> plain.audioBytes() > 0);
        }

        // A node joining with '*', then two resumes at P, a few KiB into what it received.
        try (AudioRecorder first = AudioRecorder.builder(floe.port(), MOUNT).position("*")
            .open()) {
          assertThat(first.status()).isEqualTo(200);
          FloePosition start = first.position();
          assertThat(start.epoch()).isEqualTo(epoch);
          assertThat(first.window().contains(start.offset())).isTrue();
          FloePosition p = start.plus(INTO);
          await().atMost(LIVE).until(() -> first.audioBytes() >= INTO + 2 * COMPARE);

          try (AudioRecorder a = AudioRecorder.builder(floe.port(), MOUNT).position(p).open();
              AudioRecorder b = AudioRecorder.builder(floe.port(), MOUNT).position(p).open()) {
            for (AudioRecorder r : List.of(a, b)) {
              assertThat(r.status()).isEqualTo(200);
              assertThat(r.position()).isEqualTo(p);
              assertThat(r.window().contains(p.offset())).isTrue();
            }
            await().atMost(LIVE).until(() -> a.audioBytes() >= COMPARE
                && b.audioBytes() >= COMPARE);
            byte[] ref = first.audio();
            byte[] ab = a.audio();
            byte[] bb = b.audio();
            int n = Math.min(Math.min(ab.length, bb.length), ref.length - INTO);
            assertThat(n).isGreaterThanOrEqualTo(COMPARE);
            assertSame("second request vs third", Arrays.copyOf(ab, n), Arrays.copyOf(bb, n));
            assertSame("second request vs the first from P on",
                Arrays.copyOfRange(ref, INTO, INTO + n), Arrays.copyOf(ab, n));
            assertThat(a.connected()).isTrue();
            assertThat(b.connected()).isTrue();
          }

          // The real curl, without Icy-MetaData: the raw audio from P on.
          byte[] curled = curl(dir, floe.url(MOUNT), p.header());
          byte[] ref = first.audio();
          int n = Math.min(curled.length, ref.length - INTO);
          assertThat(n).as("bytes curl received from P").isGreaterThanOrEqualTo(COMPARE);
          assertSame("curl vs the first request from P on",
              Arrays.copyOfRange(ref, INTO, INTO + n), Arrays.copyOf(curled, n));

          // Another epoch, or a position ahead of the newest byte: 416 with the window.
          String other = (epoch.charAt(0) == '0' ? "1" : "0") + epoch.substring(1);
          expect416(floe, new FloePosition(other, p.offset()), epoch);
          long ahead = statusNumber(floe, "floe_position") + 1024 * 1024;
          FloePosition.Window now = expect416(floe, new FloePosition(epoch, ahead), epoch);
          assertThat(now.newest()).isGreaterThan(p.offset());

          // Once the window's oldest end has passed the first request's start: 416 for it.
          await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
              .until(() -> statusNumber(floe, "floe_window_oldest") > start.offset());
          FloePosition.Window moved = expect416(floe, start, epoch);
          assertThat(moved.oldest()).isGreaterThan(start.offset());
          assertThat(first.connected()).as("the first request is still being served").isTrue();
        }
      }
    }
  }

  /** A request at {@code p} must get 416, no body, and both headers; returns the window. */
  private static FloePosition.Window expect416(FloeServer floe, FloePosition p, String epoch) {
    try (AudioRecorder r = AudioRecorder.builder(floe.port(), MOUNT).position(p).open()) {
      assertThat(r.status()).as("status for Floe-Position %s", p).isEqualTo(416);
      FloePosition.Window w = r.window();
      FloePosition newest = r.position();
      assertThat(newest.epoch()).isEqualTo(epoch);
      assertThat(newest.offset()).as("416's Floe-Position is the newest").isEqualTo(w.newest());
      await().atMost(Duration.ofSeconds(5)).until(() -> !r.connected());
      assertThat(r.listener().totalBytes()).as("416 has no body").isZero();
      return w;
    }
  }

  private static byte[] curl(Path dir, String url, String position)
      throws IOException, InterruptedException {
    Path curl = Tools.require("curl", "curl");
    Path out = dir.resolve("curl.out");
    Path err = dir.resolve("curl.err");
    Process proc = new ProcessBuilder(curl.toString(), "-s", "-S", "-H",
        "Floe-Position: " + position, "--max-time", "3", url, "-o", out.toString())
        .redirectErrorStream(true).redirectOutput(err.toFile()).start();
    try {
      assertThat(proc.waitFor(15, TimeUnit.SECONDS)).as("curl exited").isTrue();
    } finally {
      proc.destroyForcibly();
    }
    // 28: --max-time reached, the normal end of a live stream.
    assertThat(proc.exitValue()).as("curl exit code; stderr: %s", Files.readString(err))
        .isIn(0, 28);
    return Files.readAllBytes(out);
  }

  private static void assertSame(String what, byte[] expected, byte[] actual) {
    int mismatch = Arrays.mismatch(expected, actual);
    assertThat(mismatch).as("%s: first differing byte of %d (-1: none)", what, expected.length)
        .isEqualTo(-1);
  }

  private static String statusString(FloeServer floe, String key) {
    Matcher m = Pattern.compile("\"" + key + "\":\"([^\"]*)\"")
        .matcher(floe.get("/status-json.xsl").body());
    return m.find() ? m.group(1) : null;
  }

  private static long statusNumber(FloeServer floe, String key) {
    Long v = FloeProcess.number(floe.get("/status-json.xsl").body(), key);
    assertThat(v).as("%s in /status-json.xsl", key).isNotNull();
    return v;
  }
}
