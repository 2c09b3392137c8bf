package dev.floe.proxy.it.resume;

import static dev.floe.proxy.it.support.FloeProcess.awaitOn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.AudioRecorder;
import dev.floe.proxy.it.support.Contiguity;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.TestDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splicing plain Icecast upstreams (no positions): icecast2 ice0 (ffmpeg MP3 source) is relayed
 * by icecast2 ice1 and ice2, which pass the source's MP3 bytes through unchanged; a Floe E pulls
 * {@code upstreams = [ice1, ice2]}. ice1 is restarted: E must splice onto ice2 and back onto ice1
 * by matching the bursts against what it holds, so that its player stays connected and hears
 * exactly what a player on ice0 hears, without a gap or a repeat.
 */
class IcecastSpliceTest {
  private static final Logger log = LoggerFactory.getLogger(IcecastSpliceTest.class);
  private static final Duration LIVE = Duration.ofSeconds(20);
  private static final String MOUNT = "/live";
  private static final int KIB = 1024;

  @Test
  void restartingAnIcecastRelayIsSplicedGaplessly() {
    Path dir = TestDirs.create("icecast-splice");
    try (IcecastServer ice0 = IcecastServer.start(dir.resolve("ice0"));
        FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.MP3, ice0.url(MOUNT))
            .workDir(dir).start()) {
      ice0.awaitMount(MOUNT, LIVE);
      // The reference player connects before the relays, so it holds everything they pass on.
      try (AudioRecorder reference = AudioRecorder.open(ice0.port(), MOUNT);
          IcecastServer ice1 = IcecastServer.builder().relay(ice0.port(), MOUNT, MOUNT)
              .start(dir.resolve("ice1"));
          IcecastServer ice2 = IcecastServer.builder().relay(ice0.port(), MOUNT, MOUNT)
              .start(dir.resolve("ice2"))) {
        assertThat(reference.status()).isEqualTo(200);
        ice1.awaitMount(MOUNT, LIVE);
        ice2.awaitMount(MOUNT, LIVE);
        try (FloeProcess e = FloeProcess.relay(dir.resolve("E"), MOUNT,
            List.of(ice1.url(MOUNT), ice2.url(MOUNT)),
            "switch-timeout = 2s, probe-interval = 2s")) {
          e.awaitLive(LIVE);
          try (AudioRecorder player = AudioRecorder.open(e.port(), MOUNT)) {
            assertThat(player.status()).isEqualTo(200);
            awaitOn(List.of(e), "player has 32 KiB past its burst",
                () -> player.audioBytes() >= 96 * KIB);
            assertThat(e.statusNumber("floe_upstream_index")).isZero();

            ice1.restart();
            ice1.awaitMount(MOUNT, LIVE);
            log.info("ice1 restarted; E status: {}", e.statusJson());
            // E moved to ice2 when ice1 went away; it must come back to ice1.
            awaitOn(List.of(e), "E back on ice1",
                () -> e.statusNumber("floe_upstream_index") == 0L
                    && e.statusNumber("floe_switches") >= 2L);
            long back = player.audioBytes();
            awaitOn(List.of(e), "player gets 48 KiB more",
                () -> player.audioBytes() >= back + 48 * KIB);

            assertThat(player.connected()).as("the player's one connection is open").isTrue();
            assertThat(player.readError()).isNull();
            String status = e.statusJson();
            log.info("E status: {}", status);
            assertThat(FloeProcess.number(status, "floe_gaps"))
                .as("floe_gaps on E\n%s", e.logTail(4000)).isZero();
            assertThat(FloeProcess.number(status, "floe_gap_bytes")).isZero();

            byte[] heard = player.audio();
            player.close();
            long refNow = reference.audioBytes();
            awaitOn(List.of(e), "reference passes the player's end",
                () -> reference.audioBytes() >= refNow + 48 * KIB);
            assertThat(reference.connected()).isTrue();
            Contiguity.Result r = Contiguity.check(reference.audio(), heard);
            log.info("contiguity: {}", r.describe());
            assertThat(r.contiguous()).as("%s\n--- E log ---\n%s", r.describe(), e.logTail(6000))
                .isTrue();
          }
        }
      }
    }
  }
}
