package dev.floe.proxy.playlist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The demo behind {@code floe} without arguments: the bundled playlist ({@code /demo/*.mp3},
 * three 15-second tone melodies made with ffmpeg, 32 kbit/s, with title and artist tags) is
 * copied to a temporary folder (deleted at exit) and served as the playlist mount {@code
 * /demo.mp3}.
 */
public final class Demo {
  static final List<String> FILES = List.of("demo.m3u", "01-rising.mp3", "02-bells.mp3",
      "03-drone.mp3");

  private Demo() {}

  /** Copies the demo files to a new temporary folder and returns it. */
  public static Path extract() throws IOException {
    Path dir = Files.createTempDirectory("floe-demo");
    dir.toFile().deleteOnExit();
    for (String name : FILES) {
      try (InputStream in = Demo.class.getResourceAsStream("/demo/" + name)) {
        if (in == null) {
          throw new IOException("demo file " + name + " is missing from the jar");
        }
        Path f = dir.resolve(name);
        Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
        f.toFile().deleteOnExit();
      }
    }
    return dir;
  }

  /** Writes the demo's configuration into {@code dir} and returns its path. */
  public static Path config(Path dir, String port) throws IOException {
    Path conf = dir.resolve("floe.conf");
    String playlist = dir.resolve("demo.m3u").toString().replace("\\", "\\\\");
    Files.writeString(conf, "floe {\n  server { port = " + port + " }\n"
        + "  mounts = [ { path = \"/demo.mp3\", playlist = \"" + playlist + "\" } ]\n}\n",
        StandardCharsets.UTF_8);
    conf.toFile().deleteOnExit();
    return conf;
  }
}
