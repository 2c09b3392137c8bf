package dev.floe.proxy.it.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.Ffprobe;
import dev.floe.proxy.it.support.FloeServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A station's HLS as players see it: an ffmpeg source on {@code /live}, titles changed through
 * {@code /admin/metadata} every 15 s, and ffmpeg reading {@code /live.m3u8} for 60 s of audio
 * without an error; ffprobe reads the titles from the segments' ID3 tags; the HLS listener is
 * counted; the headers (cache, CORS) are right; an Ogg mount answers 415.
 */
class HlsPlaybackTest {
  private static final Duration LIVE = Duration.ofSeconds(30);
  private static final String CONFIG = "server { source-password = \"srcpw\","
      + " admin-password = \"adminpw\", sources-create-mounts = true }";

  @Test
  void ffmpegPlaysTheHlsPlaylistFor60SecondsAndTheSegmentsCarryTheTitles() throws Exception {
    try (FloeServer floe = FloeServer.start(CONFIG);
        FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/live"))
            .password("srcpw").start()) {
      await("/live live").atMost(LIVE).failFast(() -> !src.isAlive())
          .until(() -> floe.mount("/live") != null && floe.mount("/live").buffer() != null);
      Hls.setTitle(floe.port(), "/live", "First Song");
      String playlistUrl = floe.url("/live.m3u8");
      // ffmpeg starts three segments behind the live edge: let the window have them
      await("three segments").atMost(LIVE).failFast(() -> !src.isAlive())
          .until(() -> Hls.segments(Hls.text(Hls.get(playlistUrl))).size() >= 3);

      HttpResponse<byte[]> playlist = Hls.get(playlistUrl);
      assertThat(playlist.statusCode()).isEqualTo(200);
      assertThat(playlist.headers().firstValue("Content-Type"))
          .hasValue("application/vnd.apple.mpegurl");
      assertThat(playlist.headers().firstValue("Cache-Control")).hasValue("max-age=1");
      assertThat(playlist.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
      String text = Hls.text(playlist);
      assertThat(text).startsWith("#EXTM3U\n").contains("#EXT-X-PROGRAM-DATE-TIME:")
          .contains("#EXT-X-MEDIA-SEQUENCE:").doesNotContain("#EXT-X-ENDLIST");
      String first = Hls.segments(text).get(0);
      assertThat(first).matches("live\\.hls/[0-9a-f]{16}-[0-9]+-[0-9a-f]{8}\\.mp3");
      HttpResponse<byte[]> seg = Hls.get(floe.url("/" + first));
      assertThat(seg.statusCode()).isEqualTo(200);
      assertThat(seg.headers().firstValue("Cache-Control"))
          .hasValue("public, max-age=31536000, immutable");
      assertThat(seg.headers().firstValue("Content-Type")).hasValue("audio/mpeg");
      assertThat(new String(seg.body(), 0, 3, java.nio.charset.StandardCharsets.ISO_8859_1))
          .isEqualTo("ID3");
      assertThat(Ffprobe.audio(floe.url("/" + first), Duration.ofSeconds(20)).codecName())
          .isEqualTo("mp3");

      List<String> titles = new ArrayList<>(List.of("First Song"));
      try (FfmpegPlayer player = FfmpegPlayer.builder(playlistUrl)
              .maxDuration(Duration.ofSeconds(60)).start();
          Hls.PacketProbe probe = new Hls.PacketProbe(playlistUrl, 60)) {
        for (String title : List.of("Second Song", "Third Song", "Fourth Song")) {
          await("15 s of playback before " + title).atMost(Duration.ofSeconds(40))
              .failFast(() -> !player.isAlive() && player.decodedDuration().toSeconds() < 59)
              .until(() -> player.decodedDuration().toSeconds()
                  >= 15L * titles.size() - 5);
          Hls.setTitle(floe.port(), "/live", title);
          titles.add(title);
        }
        // ffmpeg is one listener (the test's own fetches, another agent, expire after 30 s)
        await("the HLS listener counted").atMost(Duration.ofSeconds(30))
            .until(() -> floe.get("/status-json.xsl").body().contains("\"floe_hls_listeners\":1"));
        assertThat(floe.get("/metrics").body()).contains("floe_hls_listeners{mount=\"/live\"} 1");
        assertThat(player.awaitExit(Duration.ofSeconds(60))).as(player.stderr()).isZero();
        assertThat(player.decodeErrors()).as(player.stderr())
            .allMatch(HlsPlaybackTest::demuxerDtsArtifact);
        assertThat(player.decodedDuration()).isGreaterThanOrEqualTo(Duration.ofSeconds(59));
        // ffprobe, which reads without muxing, reads 60 s with no error at all
        List<Double> pts = probe.pts(Duration.ofSeconds(60));
        assertThat(probe.stderr()).isEmpty();
        assertThat(pts.get(pts.size() - 1) - pts.get(0)).isGreaterThan(59.0);
        // ffmpeg 5.1's HLS demuxer notices a changed ID3 title but does not pass it on
        assertThat(player.stderr()).contains("Changing ID3 metadata");
      }

      // The titles as ffprobe reads them from the segments' ID3 tags, oldest first.
      List<String> seen = new ArrayList<>();
      for (String uri : Hls.segments(Hls.text(Hls.get(playlistUrl)))) {
        String t = Ffprobe.title(floe.url("/" + uri), Duration.ofSeconds(20));
        if (!t.isEmpty() && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(t))) {
          seen.add(t);
        }
      }
      // the back buffer (4 MiB, 4 min) still holds every segment: each title, in order (the
      // segments before the first title have none)
      assertThat(seen).containsExactlyElementsOf(titles);
    }
  }

  /**
   * ffmpeg 5.1's read-ahead, not the segments: its MP3 demuxer reads raw packets of 1,024 bytes
   * whatever the frames, and its HLS demuxer ({@code hls.c}) takes a segment's ID3 timestamp
   * when that read opens the segment, so the up to 3 frames of the previous segment still in the
   * MPEG audio parser get the new segment's timestamp. Where fewer frames are caught so than at
   * the boundary before, the timestamps step back by 1 to 3 frames and the {@code null} muxer
   * logs "Application provided invalid, non monotonically increasing dts to muxer" (at error
   * level) and drops those frames' PCM; about one boundary in five or ten. It happens with
   * segments cut from a file with sample-exact timestamps too, ffprobe (which does not mux)
   * reads the same playlist with no error, ffmpeg's ADTS demuxer (frame by frame) gives none,
   * and segments cannot end on ffmpeg's 1,024-byte read grid. Only a step back of at most 3
   * frames (of 1,152 samples, plus rounding) is this.
   */
  static boolean demuxerDtsArtifact(String line) {
    Matcher m = DTS_STEP.matcher(line);
    return m.find() && Long.parseLong(m.group(1)) - Long.parseLong(m.group(2)) <= 3 * 1152 + 2;
  }

  private static final Pattern DTS_STEP = Pattern.compile(
      "non monotonically increasing dts to muxer in stream \\d+: (\\d+) >= (\\d+)");

  @Test
  void anAacMountIsOfferedAsAdtsSegmentsThatFfmpegPlays() {
    try (FloeServer floe = FloeServer.start(CONFIG);
        FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.AAC, floe.url("/aac"))
            .password("srcpw").start()) {
      String playlistUrl = floe.url("/aac.m3u8");
      await("three segments").atMost(LIVE).failFast(() -> !src.isAlive())
          .until(() -> Hls.get(playlistUrl).statusCode() == 200
              && Hls.segments(Hls.text(Hls.get(playlistUrl))).size() >= 3);
      String first = Hls.segments(Hls.text(Hls.get(playlistUrl))).get(0);
      assertThat(first).endsWith(".aac");
      HttpResponse<byte[]> seg = Hls.get(floe.url("/" + first));
      assertThat(seg.headers().firstValue("Content-Type")).hasValue("audio/aac");
      assertThat(Ffprobe.audio(floe.url("/" + first), Duration.ofSeconds(20)).codecName())
          .isEqualTo("aac");
      try (FfmpegPlayer player = FfmpegPlayer.builder(playlistUrl)
          .maxDuration(Duration.ofSeconds(20)).start()) {
        assertThat(player.awaitExit(Duration.ofSeconds(40))).as(player.stderr()).isZero();
        assertThat(player.decodeErrors()).as(player.stderr()).isEmpty();
        assertThat(player.decodedDuration()).isGreaterThanOrEqualTo(Duration.ofSeconds(19));
      }
    }
  }

  @Test
  void anOggMountAnswers415AndAnUnknownSegment404() {
    try (FloeServer floe = FloeServer.start(CONFIG);
        FfmpegSource mp3 = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/live"))
            .password("srcpw").start();
        FfmpegSource ogg = FfmpegSource.builder(FfmpegSource.Format.OPUS, floe.url("/ogg"))
            .password("srcpw").start()) {
      await("mounts live").atMost(LIVE)
          .until(() -> floe.mount("/ogg") != null && floe.mount("/ogg").info() != null
              && floe.mount("/live") != null && floe.mount("/live").info() != null);
      HttpResponse<byte[]> r = Hls.get(floe.url("/ogg.m3u8"));
      assertThat(r.statusCode()).isEqualTo(415);
      assertThat(Hls.text(r)).contains("HLS is offered for MP3 and AAC mounts only");
      HttpResponse<byte[]> none = Hls.get(floe.url("/live.hls/0000000000000000-1-00000000.mp3"));
      assertThat(none.statusCode()).isEqualTo(404);
      assertThat(Hls.get(floe.url("/nomount.m3u8")).statusCode()).isEqualTo(404);
    }
  }
}
