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
 * A chain of real Floe processes: icecast2 (ffmpeg MP3 source) &rarr; origin O &rarr; relays A
 * and B &rarr; edge E with {@code upstreams = [A, B]}. A is killed (SIGKILL) and later restarted:
 * E moves to B and back to A, while a player on E keeps its one connection and hears one
 * contiguous run of the stream, byte for byte what a player on O hears.
 */
class FloeChainTest {
  private static final Logger log = LoggerFactory.getLogger(FloeChainTest.class);
  private static final Duration LIVE = Duration.ofSeconds(20);
  private static final String MOUNT = "/live";
  private static final int KIB = 1024;

  @Test
  void edgeListenerHearsOneContiguousStreamWhileItsUpstreamDiesAndReturns() {
    Path dir = TestDirs.create("floe-chain");
    try (IcecastServer ice = IcecastServer.start(dir.resolve("ice"));
        FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.MP3, ice.url(MOUNT))
            .workDir(dir).start()) {
      ice.awaitMount(MOUNT, LIVE);
      try (FloeProcess o = FloeProcess.relay(dir.resolve("O"), MOUNT,
          List.of(ice.url(MOUNT)), "")) {
        o.awaitLive(LIVE);
        try (AudioRecorder reference = AudioRecorder.open(o.port(), MOUNT);
            FloeProcess a = FloeProcess.relay(dir.resolve("A"), MOUNT, List.of(o.url(MOUNT)), "");
            FloeProcess b = FloeProcess.relay(dir.resolve("B"), MOUNT, List.of(o.url(MOUNT)), "");
            FloeProcess e = FloeProcess.relay(dir.resolve("E"), MOUNT,
                List.of(a.url(MOUNT), b.url(MOUNT)),
                "switch-timeout = 2s, probe-interval = 2s")) {
          List<FloeProcess> all = List.of(o, a, b, e);
          assertThat(reference.status()).isEqualTo(200);
          e.awaitLive(LIVE);
          awaitOn(all, "E on A", () -> e.statusNumber("floe_upstream_index") == 0L);
          try (AudioRecorder player = AudioRecorder.open(e.port(), MOUNT)) {
            assertThat(player.status()).isEqualTo(200);
            long burst = 64 * KIB;
            awaitOn(all, "player has 32 KiB past its burst",
                () -> player.audioBytes() >= burst + 32 * KIB);

            a.kill();
            awaitOn(all, "E switched to B", () -> e.statusNumber("floe_upstream_index") == 1L);
            assertThat(e.statusString("floe_upstream")).isEqualTo(b.url(MOUNT));
            long afterSwitch = player.audioBytes();
            awaitOn(all, "player gets 48 KiB more from B",
                () -> player.audioBytes() >= afterSwitch + 48 * KIB);

            a.restart();
            a.awaitLive(LIVE);
            awaitOn(all, "E moved back to A", () -> e.statusNumber("floe_upstream_index") == 0L);
            assertThat(e.statusString("floe_upstream")).isEqualTo(a.url(MOUNT));
            long afterReturn = player.audioBytes();
            awaitOn(all, "player gets 48 KiB more from A again",
                () -> player.audioBytes() >= afterReturn + 48 * KIB);

            assertThat(player.connected()).as("the player's one connection is open").isTrue();
            assertThat(player.readError()).isNull();
            String status = e.statusJson();
            log.info("E status: {}", status);
            assertThat(FloeProcess.number(status, "floe_switches"))
                .as("floe_switches on E\n%s", e.logTail(4000)).isGreaterThanOrEqualTo(2L);
            assertThat(FloeProcess.number(status, "floe_gap_bytes"))
                .as("floe_gap_bytes on E\n%s", e.logTail(4000)).isZero();
            assertThat(FloeProcess.number(status, "listeners")).isEqualTo(1L);

            byte[] heard = player.audio();
            player.close();
            // The reference on O is at least as far along (O's live edge is never behind E's);
            // 48 KiB more make sure it covers the player's last byte.
            long refNow = reference.audioBytes();
            awaitOn(all, "reference passes the player's end",
                () -> reference.audioBytes() >= refNow + 48 * KIB);
            assertThat(reference.full()).isFalse();
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
