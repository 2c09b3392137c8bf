package dev.floe.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.admin.SourceHeaders.Header;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawSource;
import dev.floe.proxy.it.support.TestDirs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SourceHeaders} against icecast2 2.4.4: a source connects with given request headers,
 * a listener opens the mount, and the {@code icy-*}/{@code ice-*} lines of icecast2's response
 * head (in order, byte for byte) must equal {@code SourceHeaders.forListeners} of the source's
 * headers. ffmpeg sources are first pointed at a local socket to capture their exact headers.
 */
class SourceHeadersParityTest {
  private static final Duration LIVE = Duration.ofSeconds(15);
  private static IcecastServer ice;

  @BeforeAll
  static void start() {
    ice = IcecastServer.start(TestDirs.create("source-headers-parity"));
  }

  @AfterAll
  static void stop() {
    if (ice != null) {
      ice.close();
    }
  }

  private static List<String> ours(List<Header> sourceHeaders) {
    List<String> lines = new ArrayList<>();
    for (Header h : SourceHeaders.forListeners(sourceHeaders)) {
      lines.add(h.line());
    }
    return lines;
  }

  private static List<String> icecastListenerLines(String mount) {
    Wire.Response r = Wire.head(ice.port(), mount, "parity-listener");
    assertThat(r.status()).isEqualTo(200);
    return r.streamHeaderLines();
  }

  private static void awaitGone(String mount) {
    await(mount + " gone").atMost(LIVE).pollInterval(Duration.ofMillis(100))
        .until(() -> !ice.admin("/admin/listmounts").contains("mount=\"" + mount + "\""));
  }

  @Test
  void ffmpegSourcesMapAsOnIcecast() {
    int n = 0;
    List<java.util.function.Function<String, FfmpegSource.Builder>> variants = List.of(
        url -> FfmpegSource.builder(FfmpegSource.Format.MP3, url).iceName("Name A")
            .iceGenre("Genre").iceDescription("Desc").iceUrl("http://example.com/a")
            .icePublic(true),
        url -> FfmpegSource.builder(FfmpegSource.Format.MP3, url).iceName(null).icePublic(false),
        url -> FfmpegSource.builder(FfmpegSource.Format.MP3, url).legacySource(true)
            .iceGenre("Legacy"));
    for (java.util.function.Function<String, FfmpegSource.Builder> variant : variants) {
      String mount = "/ff" + (n++) + ".mp3";
      List<Header> captured = new ArrayList<>();
      try (Wire.Capture capture = new Wire.Capture();
          FfmpegSource probe = variant.apply("http://127.0.0.1:" + capture.port() + mount).start()) {
        List<String> head = capture.take();
        for (String line : head.subList(1, head.size())) {
          int colon = line.indexOf(':');
          captured.add(new Header(line.substring(0, colon), line.substring(colon + 1).trim()));
        }
      }
      try (FfmpegSource src = variant.apply(ice.url(mount)).start()) {
        ice.awaitMount(mount, LIVE);
        assertThat(ours(captured)).as(mount + " from " + captured)
            .isEqualTo(icecastListenerLines(mount)).isNotEmpty();
      }
      awaitGone(mount);
    }
  }

  @Test
  void handWrittenHeadersMapAsOnIcecast() {
    List<List<Header>> variants = List.of(
        List.of(h("ice-audio-info", "bitrate=128;channels=2;samplerate=44100"),
            h("ice-name", "With bitrate"), h("ice-public", "1"), h("ice-password", "secret"),
            h("icy-metaint", "8192")),
        List.of(h("ice-audio-info", "channels=2;samplerate=44100"), h("ice-bitrate", "96"),
            h("ice-description", "no bitrate in audio info")),
        List.of(h("ice-audio-info", "ice-samplerate=44100;ice-bitrate=192;ice-channels=2"),
            h("ice-bitrate", "192")),
        List.of(h("icy-name", "Icy name"), h("icy-pub", "1"), h("icy-br", "64"),
            h("icy-genre", "Jazz"), h("icy-url", "http://example.com/icy"),
            h("icy-description", "icy desc"), h("X-Other", "dropped")),
        List.of(h("ice-name", "first"), h("ICE-Genre", "Mixed Case"), h("ice-name", "second"),
            h("icy-public", "1"), h("ice-irc", "#floe")));
    int n = 0;
    for (List<Header> headers : variants) {
      String mount = "/raw" + (n++) + ".mp3";
      try (RawSource src = RawSource.live(ice.port(), mount, ice.sourcePassword(), headers)) {
        ice.awaitMount(mount, LIVE);
        assertThat(ours(headers)).as(mount + " from " + headers)
            .isEqualTo(icecastListenerLines(mount));
      }
      awaitGone(mount);
    }
  }

  private static Header h(String name, String value) {
    return new Header(name, value);
  }
}
