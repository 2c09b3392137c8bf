package dev.floe.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.floe.proxy.Floe;
import dev.floe.proxy.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HLS mode against a real Floe (in this JVM) fed by a real ffmpeg source (MP3 128 kbit/s,
 * {@code -re}): three simulated hls.js players fetch the playlist and the segments in order for
 * about 11 s, with no stall, no error and no skipped segment, and Floe counts each as an HLS
 * listener.
 */
class HlsLoadTest {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static String get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? r.body() : "";
  }

  private static long count(String text, String what) {
    return text.lines().filter(l -> l.endsWith(what)).count();
  }

  private static long number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9]+)").matcher(json);
    assertThat(m.find()).as(key + " in " + json).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void threeHlsPlayersFetchSegmentsInOrderWithoutAStall(@TempDir Path dir) throws Exception {
    String config = "floe { server { bind = \"127.0.0.1\", port = 0, source-password = \"srcpw\","
        + " sources-create-mounts = true } }";
    try (Floe floe = Floe.start(ConfigLoader.fromConfig(ConfigFactory.parseString(config)))) {
      String base = "http://127.0.0.1:" + floe.port();
      Path ffmpegLog = dir.resolve("ffmpeg.log");
      Process ffmpeg = new ProcessBuilder(List.of("ffmpeg", "-hide_banner", "-nostdin",
          "-loglevel", "warning", "-re", "-f", "lavfi", "-i",
          "sine=frequency=440:sample_rate=44100", "-c:a", "libmp3lame", "-b:a", "128k", "-ar",
          "44100", "-content_type", "audio/mpeg", "-f", "mp3",
          "icecast://source:srcpw@127.0.0.1:" + floe.port() + "/live"))
          .redirectErrorStream(true).redirectOutput(ffmpegLog.toFile()).start();
      try {
        // hls.js starts three segments from the live edge: let the window hold three
        await("three segments listed").atMost(Duration.ofSeconds(40))
            .pollInterval(Duration.ofMillis(500))
            .failFast("ffmpeg exited", () -> !ffmpeg.isAlive())
            .until(() -> count(get(base + "/live.m3u8"), ".mp3") >= 3);

        Path json = dir.resolve("hls.json");
        Options o = Options.parse(new String[] {
            "--hls", "--url", base + "/live.m3u8", "--listeners", "3", "--ramp", "10",
            "--settle", "1s", "--duration", "10s", "--threads", "1", "--timeout", "5s",
            "--label", "floe-hls", "--json", json.toString(),
            "--pid", String.valueOf(ProcessHandle.current().pid())});
        assertThat(LoadGen.run(o)).isZero();
        String line = Files.readString(json, StandardCharsets.UTF_8).trim();

        assertThat(number(line, "connected_at_end")).as(line).isEqualTo(3);
        assertThat(number(line, "failed")).as(line).isZero();
        assertThat(number(line, "stalls")).as(line).isZero();
        assertThat(number(line, "underrun_listeners")).as(line).isZero();
        assertThat(number(line, "players_started")).as(line).isEqualTo(3);
        assertThat(number(line, "out_of_order")).as(line).isZero();
        assertThat(number(line, "skips")).as(line).isZero();
        // each starts with three segments and gets at least one more in the 11 s after
        assertThat(number(line, "segments")).as(line).isGreaterThanOrEqualTo(3 * 4);
        assertThat(number(line, "playlists")).as(line).isGreaterThanOrEqualTo(3 * 3);
        // every player kept up with the source over the window (128 kbit/s; segments arrive
        // whole, so a 10 s window holds two or three of them)
        assertThat(line).containsPattern("\"rate_kbps\":\\{\"n\":3,\"min\":[1-9]");
        // Floe counts an HLS listener per address and agent: the three players (one agent
        // each) and this test's own playlist fetches
        assertThat(get(base + "/status-json.xsl")).contains("\"floe_hls_listeners\":4");
      } finally {
        ffmpeg.destroy();
        if (!ffmpeg.waitFor(5, TimeUnit.SECONDS)) {
          ffmpeg.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    }
  }
}
