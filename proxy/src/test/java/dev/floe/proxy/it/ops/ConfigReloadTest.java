package dev.floe.proxy.it.ops;

import static dev.floe.proxy.it.support.FloeProcess.awaitOn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code systemctl reload floe} (SIGHUP) on a real Floe process: a mount is added, one removed,
 * one changed, and a listener on an untouched mount keeps playing on its one connection.
 */
class ConfigReloadTest {
  private static final Duration LIVE = Duration.ofSeconds(20);

  private static String mounts(String upstream, String... paths) {
    StringBuilder sb = new StringBuilder("mounts = [\n");
    for (String p : paths) {
      sb.append("  { path = \"").append(p).append("\", upstreams = [\"").append(upstream)
          .append("\"] }\n");
    }
    return sb.append("]\n").toString();
  }

  @Test
  void reloadAddsRemovesAndChangesMountsWithoutDisturbingOthers() {
    Path dir = TestDirs.create("config-reload");
    try (IcecastServer ice = IcecastServer.start(dir.resolve("ice"));
        FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.MP3, ice.url("/live"))
            .workDir(dir).start()) {
      ice.awaitMount("/live", LIVE);
      String up = ice.url("/live");
      try (FloeProcess floe = FloeProcess.start(dir.resolve("floe"), mounts(up, "/keep", "/gone",
          "/change"))) {
        List<FloeProcess> all = List.of(floe);
        awaitOn(all, "three mounts live", () -> floe.statusJson().split("\"floe_mount\"").length
            == 4);
        try (RawListener keep = RawListener.builder(floe.port(), "/keep").icyMetadata(true)
                .timeout(Duration.ofSeconds(60)).open();
            RawListener gone = RawListener.builder(floe.port(), "/gone").icyMetadata(true)
                .timeout(Duration.ofSeconds(60)).open();
            RawListener change = RawListener.builder(floe.port(), "/change").icyMetadata(true)
                .timeout(Duration.ofSeconds(60)).open()) {
          awaitOn(all, "listeners playing", () -> keep.audioBytes() > 64 * 1024
              && gone.audioBytes() > 0 && change.audioBytes() > 0);

          // /gone removed, /new added, /change gets a new metaint for new listeners.
          floe.reload(mounts(up, "/keep", "/new") + "mounts += { path = \"/change\", upstreams"
              + " = [\"" + up + "\"], metaint = 8192 }\n");
          awaitOn(all, "reload logged", () -> floe.log().contains("Reloaded"));
          assertThat(floe.log()).contains("added /new").contains("removed /gone")
              .contains("changed /change");
          awaitOn(all, "the removed mount's listener is closed", () -> !gone.connected());
          assertThat(gone.readError()).as("closed cleanly, not reset").isNull();
          assertThat(floe.log()).contains("mount removed from the configuration");

          awaitOn(all, "/new is live", () -> floe.statusJson().contains("/new"));
          try (RawListener fresh = RawListener.builder(floe.port(), "/new").icyMetadata(true)
              .open()) {
            assertThat(fresh.status()).isEqualTo(200);
          }
          try (RawListener changed = RawListener.builder(floe.port(), "/change")
              .icyMetadata(true).open()) {
            assertThat(changed.metaint()).isEqualTo(8192);
          }

          long before = keep.audioBytes();
          long changeBefore = change.audioBytes();
          awaitOn(all, "the untouched and the changed mounts' listeners keep playing",
              () -> keep.audioBytes() > before + 32 * 1024
                  && change.audioBytes() > changeBefore + 32 * 1024);
          assertThat(keep.connected()).isTrue();
          assertThat(change.connected()).isTrue();
          assertThat(keep.readError()).isNull();

          // A broken file is refused with every problem named; the running config stays.
          floe.reload("mounts = [ { path = \"/keep\", upstreams = [\"" + up + "\"],"
              + " metaint = \"lots\" } ]\n");
          awaitOn(all, "refusal logged", () -> floe.log().contains("Reload of"));
          assertThat(floe.log()).contains("refused").contains("mounts[0].metaint");
          assertThat(floe.statusJson()).contains("/new");
          assertThat(keep.connected()).isTrue();
        }
      }
    }
  }
}
