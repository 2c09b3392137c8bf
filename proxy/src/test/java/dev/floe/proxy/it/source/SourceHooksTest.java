package dev.floe.proxy.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A mount's Icecast settings with a real ffmpeg encoder: its own source user name
 * ({@code <username>}), {@code on-connect}/{@code on-disconnect} programs run with the mount as
 * argument, and the stream description that replaces the encoder's.
 */
class SourceHooksTest {
  private static final Duration LIVE = Duration.ofSeconds(15);

  private static Path script(Path dir, String name, Path log) {
    return TestDirs.script(dir, name, "echo \"$1\" >> '" + log + "'");
  }

  @Test
  void theMountsUserHooksAndDescriptionApply() throws Exception {
    Path dir = TestDirs.create("source-hooks");
    Path connected = dir.resolve("connected.log");
    Path disconnected = dir.resolve("disconnected.log");
    String hocon = """
        mounts = [ { path = "/studio", password = "pw", source-user = "dj",
          on-connect = "%s", on-disconnect = "%s",
          stream-name = "Studio One", stream-genre = "Jazz" } ]
        """.formatted(script(dir, "on.sh", connected), script(dir, "off.sh", disconnected));
    try (FloeServer floe = FloeServer.start(hocon)) {
      try (FfmpegSource wrongUser = FfmpegSource.builder(FfmpegSource.Format.MP3,
          floe.url("/studio")).user("source").password("pw").start()) {
        assertThat(wrongUser.awaitExit(LIVE)).as("refused with user source").isNotZero();
      }
      assertThat(connected).doesNotExist();

      try (FfmpegSource dj = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/studio"))
          .user("dj").password("pw").iceName("Encoder's name").iceGenre("Noise").start()) {
        await().atMost(LIVE).until(() -> floe.mount("/studio").hasSource()
            && floe.mount("/studio").buffer() != null);
        await("on-connect ran").atMost(LIVE).until(() -> Files.exists(connected)
            && Files.readString(connected).equals("/studio\n"));
        assertThat(disconnected).doesNotExist();
        try (RawListener l = RawListener.builder(floe.port(), "/studio").icyMetadata(false)
            .open()) {
          assertThat(l.status()).isEqualTo(200);
          assertThat(l.headers()).containsEntry("icy-name", "Studio One")
              .containsEntry("icy-genre", "Jazz");
        }
      }
      await("on-disconnect ran").atMost(LIVE).until(() -> Files.exists(disconnected)
          && Files.readString(disconnected).equals("/studio\n"));
      assertThat(Files.readString(connected)).isEqualTo("/studio\n");
    }
  }
}
