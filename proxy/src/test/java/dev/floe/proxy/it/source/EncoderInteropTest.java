package dev.floe.proxy.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.LogCapture;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.RawSource;
import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.it.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** ezstream (libshout: OPTIONS, poke, challenge, then PUT) and a SHOUTcast v1 source into Floe. */
class EncoderInteropTest {
  private static final Duration LIVE = Duration.ofSeconds(20);

  @Test
  void ezstreamStreamsIntoFloeAndAPlayerDecodes() throws Exception {
    Path dir = TestDirs.create("ezstream");
    Path mp3 = dir.resolve("tone.mp3");
    Files.write(mp3, RawSource.mp3());
    Files.writeString(dir.resolve("playlist.m3u"), mp3 + "\n");
    try (FloeServer floe = FloeServer.start(
        "server { source-password = \"ezpw\", sources-create-mounts = true }");
        LogCapture logs = LogCapture.capture()) {
      Path config = dir.resolve("ezstream.xml");
      Files.writeString(config, """
          <?xml version="1.0" encoding="UTF-8"?>
          <ezstream>
            <servers><server>
              <protocol>HTTP</protocol><hostname>127.0.0.1</hostname><port>%d</port>
              <password>ezpw</password><tls>May</tls>
            </server></servers>
            <streams><stream>
              <mountpoint>/ez.mp3</mountpoint><format>MP3</format>
              <stream_name>ezstream test</stream_name>
            </stream></streams>
            <intakes><intake><filename>%s</filename></intake></intakes>
          </ezstream>
          """.formatted(floe.port(), dir.resolve("playlist.m3u")));
      Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
      Path log = dir.resolve("ezstream.log");
      Process ez = new ProcessBuilder(Tools.require("ezstream", "ezstream").toString(), "-v",
          "-c", config.toString()).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      try {
        await().atMost(LIVE).until(() -> floe.mount("/ez.mp3") != null
            && floe.mount("/ez.mp3").buffer() != null
            && floe.mount("/ez.mp3").buffer().newest() > 32 * 1024);
        assertThat(logs.lines()).as("libshout probed, was challenged, then used PUT")
            .anySatisfy(l -> assertThat(l).contains("source challenge").contains("/ez.mp3"))
            .anySatisfy(l -> assertThat(l).contains("source PUT /ez.mp3 HTTP/1.1 accepted"));
        try (RawListener raw = RawListener.builder(floe.port(), "/ez.mp3").open()) {
          assertThat(raw.headers()).containsEntry("icy-name", "ezstream test");
        }
        try (FfmpegPlayer player = FfmpegPlayer.start(floe.url("/ez.mp3"), true,
            Duration.ofSeconds(5))) {
          assertThat(player.awaitExit(Duration.ofSeconds(30))).isZero();
          assertThat(player.decodeErrors()).isEmpty();
          assertThat(player.decodedDuration()).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        }
        assertThat(ez.isAlive()).as(Files.readString(log)).isTrue();
      } finally {
        ez.destroy();
        if (!ez.waitFor(5, TimeUnit.SECONDS)) {
          ez.destroyForcibly();
        }
      }
    }
  }

  @Test
  void shoutcastV1SourceFeedsTheShoutcastMountAndAPlayerDecodes() throws IOException {
    int scPort = dev.floe.proxy.it.support.Ports.free();
    try (FloeServer floe = FloeServer.start("server { source-password = \"scpw\","
        + " sources-create-mounts = true, shoutcast-port = " + scPort + " }");
        LogCapture logs = LogCapture.capture()) {
      try (RawSource bad = new RawSource(scPort)) {
        bad.send("nope\r\n");
        assertThat(bad.readAll()).isEqualTo("invalid password\r\n");
      }
      assertThat(logs.has("invalid password")).isTrue();
      byte[] mp3 = RawSource.mp3();
      try (RawSource sc = new RawSource(scPort)) {
        sc.send("scpw\r\r\n");
        assertThat(sc.readHead()).isEqualTo("OK2\r\nicy-caps:11\r\n\r\n");
        sc.send("icy-name:SC Radio\r\nicy-genre:Rock\r\nicy-pub:1\r\nicy-br:128\r\n"
            + "content-type:audio/mpeg\r\n\r\n");
        sc.pace(mp3, 0, mp3.length, () -> { });
        await().atMost(LIVE).until(() -> floe.mount("/stream") != null
            && floe.mount("/stream").buffer() != null
            && floe.mount("/stream").buffer().newest() > 32 * 1024);
        try (RawListener raw = RawListener.builder(floe.port(), "/stream").open()) {
          assertThat(raw.headers()).containsEntry("icy-name", "SC Radio")
              .containsEntry("icy-br", "128").containsEntry("content-type", "audio/mpeg");
        }
        try (FfmpegPlayer player = FfmpegPlayer.start(floe.url("/stream"), true,
            Duration.ofSeconds(5))) {
          assertThat(player.awaitExit(Duration.ofSeconds(30))).isZero();
          assertThat(player.decodeErrors()).isEmpty();
          assertThat(player.decodedDuration()).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        }
        assertThat(sc.writeError()).isNull();
      }
    }
  }
}
