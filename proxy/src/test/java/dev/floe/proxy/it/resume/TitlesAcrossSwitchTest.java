package dev.floe.proxy.it.resume;

import static dev.floe.proxy.it.support.FloeProcess.awaitOn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.AudioRecorder;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.TestDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Titles set at the station while an edge switches upstreams (and back) reach the edge's player
 * in order, each once: the player's sequence of titles is exactly the reference player's.
 */
class TitlesAcrossSwitchTest {
  private static final Duration LIVE = Duration.ofSeconds(20);
  private static final String MOUNT = "/live";

  @Test
  void noTitleIsLostOrRepeatedAcrossSwitches() {
    Path dir = TestDirs.create("titles-switch");
    try (IcecastServer ice = IcecastServer.start(dir.resolve("ice"));
        FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.MP3, ice.url(MOUNT))
            .workDir(dir).start()) {
      ice.awaitMount(MOUNT, LIVE);
      ice.setMetadata(MOUNT, "Title 0");
      try (FloeProcess o = FloeProcess.relay(dir.resolve("O"), MOUNT, List.of(ice.url(MOUNT)),
          "")) {
        o.awaitLive(LIVE);
        try (AudioRecorder reference = AudioRecorder.open(o.port(), MOUNT);
            FloeProcess a = FloeProcess.relay(dir.resolve("A"), MOUNT, List.of(o.url(MOUNT)), "");
            FloeProcess b = FloeProcess.relay(dir.resolve("B"), MOUNT, List.of(o.url(MOUNT)), "");
            FloeProcess e = FloeProcess.relay(dir.resolve("E"), MOUNT,
                List.of(a.url(MOUNT), b.url(MOUNT)), "switch-timeout = 2s, probe-interval = 2s")) {
          List<FloeProcess> all = List.of(o, a, b, e);
          e.awaitLive(LIVE);
          try (AudioRecorder player = AudioRecorder.open(e.port(), MOUNT)) {
            awaitOn(all, "player hears Title 0",
                () -> player.listener().titles().contains("Title 0"));
            ice.setMetadata(MOUNT, "Title 1 before the switch");
            awaitOn(all, "player hears Title 1",
                () -> player.listener().titles().contains("Title 1 before the switch"));

            a.kill();
            ice.setMetadata(MOUNT, "Title 2 during the switch");
            awaitOn(all, "E switched to B", () -> e.statusNumber("floe_upstream_index") == 1L);
            awaitOn(all, "player hears Title 2",
                () -> player.listener().titles().contains("Title 2 during the switch"));

            a.restart();
            a.awaitLive(LIVE);
            awaitOn(all, "E moved back to A", () -> e.statusNumber("floe_upstream_index") == 0L);
            ice.setMetadata(MOUNT, "Title 3 after moving back");
            awaitOn(all, "player hears Title 3",
                () -> player.listener().titles().contains("Title 3 after moving back"));
            awaitOn(all, "reference hears Title 3",
                () -> reference.listener().titles().contains("Title 3 after moving back"));

            List<String> heard = player.listener().titles();
            List<String> ref = reference.listener().titles();
            int from = ref.indexOf(heard.get(0));
            assertThat(from).as("player's first title %s in %s", heard.get(0), ref)
                .isNotNegative();
            assertThat(heard).as("titles on E vs on O").isEqualTo(ref.subList(from, ref.size()));
            assertThat(heard).containsSubsequence("Title 1 before the switch",
                "Title 2 during the switch", "Title 3 after moving back");
            assertThat(heard).doesNotHaveDuplicates();
            assertThat(player.connected()).isTrue();
          }
        }
      }
    }
  }
}
