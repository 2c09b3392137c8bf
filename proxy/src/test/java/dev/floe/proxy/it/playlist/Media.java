package dev.floe.proxy.it.playlist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.Tools;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Tagged MP3 tones made with ffmpeg for playlist tests. */
public final class Media {
  private Media() {}

  /** A mono 22.05 kHz sine of {@code seconds} at {@code kbps}, tagged with {@code title}. */
  public static Path tone(Path dir, String name, String title, int hz, int seconds, int kbps)
      throws Exception {
    Path out = dir.resolve(name);
    Process p = new ProcessBuilder(Tools.ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi",
        "-i", "sine=f=" + hz + ":d=" + seconds + ":sample_rate=22050", "-ac", "1",
        "-c:a", "libmp3lame", "-b:a", kbps + "k", "-id3v2_version", "3",
        "-metadata", "title=" + title, "-metadata", "artist=Tester", out.toString())
        .inheritIO().start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg made " + name).isTrue();
    assertThat(p.exitValue()).isZero();
    return out;
  }
}
