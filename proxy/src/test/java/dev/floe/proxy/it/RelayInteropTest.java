package dev.floe.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real icecast2 with a real ffmpeg source upstream, Floe relaying it, and real ffmpeg players
 * through Floe.
 */
class RelayInteropTest {
  private static final Duration LIVE = Duration.ofSeconds(15);
  private static IcecastServer ice;

  @BeforeAll
  static void startIcecast() {
    ice = IcecastServer.start(TestDirs.create("relay-interop"));
  }

  @AfterAll
  static void stopIcecast() {
    if (ice != null) {
      ice.close();
    }
  }

  @Test
  void mp3DecodesCleanlyAndTitlesSetUpstreamArriveThroughFloe() {
    try (FfmpegSource src = FfmpegSource.mp3(ice.url("/mp3"))) {
      ice.awaitMount("/mp3", LIVE);
      ice.setMetadata("/mp3", "First Song");
      try (FloeServer floe = FloeServer.relay(ice.url("/mp3"), "/mp3", "")) {
        await().atMost(LIVE).until(() -> floe.mount("/mp3").live());
        try (FfmpegPlayer player = FfmpegPlayer.start(floe.url("/mp3"), true,
            Duration.ofSeconds(12))) {
          await().atMost(Duration.ofSeconds(20)).until(() -> player.icyTitles().contains("First Song"));
          String second = "Rock'n'Roll; Live";
          ice.setMetadata("/mp3", second);
          await().atMost(Duration.ofSeconds(20)).until(() -> player.icyTitles().contains(second));
          assertThat(player.awaitExit(Duration.ofSeconds(30))).isZero();
          assertThat(player.decodeErrors()).isEmpty();
          assertThat(player.decodedDuration()).isGreaterThanOrEqualTo(Duration.ofSeconds(11));
        }
      }
    }
  }

  /**
   * A player that joins a running stream gets a burst cut at a frame (or Ogg page) boundary, with
   * the Ogg header pages first, so it decodes from its very first byte.
   */
  @ParameterizedTest
  // VORBIS: libvorbis makes ~33 kbit/s of the test tone, 47 s to run past three bursts.
  @EnumSource(value = FfmpegSource.Format.class, names = "VORBIS", mode = EnumSource.Mode.EXCLUDE)
  void lateJoinerDecodesFromItsFirstByte(FfmpegSource.Format format) {
    String mount = "/late-" + format.name().toLowerCase();
    try (FfmpegSource src = FfmpegSource.builder(format, ice.url(mount)).start()) {
      ice.awaitMount(mount, LIVE);
      try (FloeServer floe = FloeServer.relay(ice.url(mount), mount, "")) {
        // Late: the stream has run well past the burst, so the burst starts mid-stream.
        await().atMost(Duration.ofSeconds(30))
            .until(() -> floe.mount(mount).buffer() != null
                && floe.mount(mount).buffer().newest() > 3 * 64 * 1024);
        try (RawListener raw = RawListener.builder(floe.port(), mount).icyMetadata(false)
            .captureBytes(4096).open()) {
          await().atMost(LIVE).until(() -> raw.captured().length >= 4096);
          byte[] head = raw.captured();
          switch (format) {
            case MP3 -> assertThat(isMp3Sync(head)).as("MP3 frame sync at byte 0: %s",
                hex(head)).isTrue();
            case AAC -> assertThat(isAdtsSync(head)).as("ADTS sync at byte 0: %s", hex(head))
                .isTrue();
            case OPUS -> {
              assertThat(new String(head, 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("OggS");
              assertThat(new String(head, StandardCharsets.ISO_8859_1)).contains("OpusHead")
                  .contains("OpusTags");
            }
          }
        }
        try (FfmpegPlayer player = FfmpegPlayer.start(floe.url(mount), false,
            Duration.ofSeconds(6))) {
          assertThat(player.awaitExit(Duration.ofSeconds(30))).isZero();
          assertThat(player.decodeErrors()).isEmpty();
          // ffmpeg reports "Skipping N bytes of junk" when a stream does not start on a frame.
          assertThat(player.stderr()).doesNotContainPattern("Skipping [1-9][0-9]* bytes of junk");
          assertThat(player.decodedDuration()).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        }
      }
    }
  }

  private static boolean isMp3Sync(byte[] b) {
    return (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0 && (b[1] & 0x06) != 0;
  }

  private static boolean isAdtsSync(byte[] b) {
    return (b[0] & 0xFF) == 0xFF && (b[1] & 0xF6) == 0xF0;
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : Arrays.copyOf(b, Math.min(8, b.length))) {
      s.append(String.format("%02x ", x));
    }
    return s.toString();
  }
}
