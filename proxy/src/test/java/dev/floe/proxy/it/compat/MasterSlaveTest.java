package dev.floe.proxy.it.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Floe as an Icecast slave ({@code floe.master}, Icecast's {@code <master-server>}): a real
 * icecast2 master's mounts are relayed as they come and go on its stream list.
 */
class MasterSlaveTest {
  private static final Duration LIVE = Duration.ofSeconds(20);

  @Test
  void floeRelaysTheMountsItsMasterLists() {
    Path dir = TestDirs.create("master-slave");
    try (IcecastServer ice = IcecastServer.start(dir.resolve("ice"));
        FfmpegSource one = FfmpegSource.mp3(ice.url("/one"))) {
      ice.awaitMount("/one", LIVE);
      try (FloeProcess floe = FloeProcess.start(dir.resolve("floe"), """
            master { url = "http://127.0.0.1:%d", password = "%s", interval = 1s }
            """.formatted(ice.port(), ice.sourcePassword()))) {
        await("/one relayed").atMost(LIVE).until(() -> floe.statusJson().contains("/one"));
        try (RawListener l = RawListener.builder(floe.port(), "/one").icyMetadata(false)
            .open()) {
          assertThat(l.status()).isEqualTo(200);
          await().atMost(LIVE).until(() -> l.audioBytes() > 32_000);
        }
        try (FfmpegSource two = FfmpegSource.mp3(ice.url("/two"))) {
          ice.awaitMount("/two", LIVE);
          await("/two relayed").atMost(LIVE).until(() -> floe.statusJson().contains("/two"));
        }
        ice.awaitMountGone("/two", LIVE);
        await("/two dropped with the master's list").atMost(LIVE)
            .until(() -> !floe.statusJson().contains("/two"));
        assertThat(floe.statusJson()).contains("/one");
        assertThat(floe.log()).contains("master http://127.0.0.1:" + ice.port());
      }
    }
  }
}
