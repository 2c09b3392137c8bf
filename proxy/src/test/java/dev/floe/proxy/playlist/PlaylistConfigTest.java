package dev.floe.proxy.playlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.floe.proxy.config.ConfigLoader;
import dev.floe.proxy.config.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code playlist} key is validated once, and its problems name it. */
class PlaylistConfigTest {
  private static void load(String mount) throws InvalidConfigException {
    ConfigLoader.fromConfig(ConfigFactory.parseString("floe { mounts = [ { path = \"/pl\", "
        + mount + " } ] }"));
  }

  @Test
  void shouldNameThePlaylistKeyForAnEmptyList(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.m3u"), "# nothing\n");

    assertThatThrownBy(() -> load("playlist = \"" + empty + "\""))
        .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
            .singleElement().satisfies(p -> {
              assertThat(p.key()).isEqualTo("mounts[0].playlist");
              assertThat(p.reason()).contains("no playable entries");
            }));
  }

  @Test
  void shouldRefuseAPlaylistNextToUpstreams(@TempDir Path dir) throws Exception {
    Path list = Files.writeString(dir.resolve("a.m3u"), "a.mp3\n");

    assertThatThrownBy(() -> load("playlist = \"" + list + "\", upstream = \"http://h/x\""))
        .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
            .singleElement().satisfies(p -> assertThat(p.key()).isEqualTo("mounts[0].playlist")));
  }

  @Test
  void shouldKeepAValidPlaylist(@TempDir Path dir) throws Exception {
    Path list = Files.writeString(dir.resolve("a.m3u"), "a.mp3\n");

    assertThat(ConfigLoader.fromConfig(ConfigFactory.parseString("floe { mounts = [ { path ="
        + " \"/pl\", playlist = \"" + list + "\" } ] }")).mounts().get(0).playlist())
        .isEqualTo(list.toString());
  }
}
