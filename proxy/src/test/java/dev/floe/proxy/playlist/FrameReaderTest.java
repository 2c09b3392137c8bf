package dev.floe.proxy.playlist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.Tools;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameReaderTest {
  static Path demo(String name) throws Exception {
    return Path.of(FrameReaderTest.class.getResource("/demo/" + name).toURI());
  }

  /** Frames as {@code length@nanos} plus their bytes, feeding {@code bytes} in the pieces given. */
  private static List<String> frames(byte[] bytes, ByteArrayOutputStream audio, int... cuts) {
    FrameReader r = new FrameReader();
    List<String> out = new ArrayList<>();
    int from = 0;
    int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
    ends[cuts.length] = bytes.length;
    for (int end : ends) {
      while (from < end) {
        from += r.feed(bytes, from, end - from);
        while (r.next()) {
          out.add(r.frameLength() + "@" + r.frameNanos());
          audio.write(r.frameBytes(), r.frameOffset(), r.frameLength());
        }
      }
    }
    r.endOfInput();
    while (r.next()) {
      out.add(r.frameLength() + "@" + r.frameNanos());
      audio.write(r.frameBytes(), r.frameOffset(), r.frameLength());
    }
    return out;
  }

  @Test
  void shouldDropTheTagsAndSplitMp3FramesTheSameAtEveryCut() throws Exception {
    byte[] file = Files.readAllBytes(demo("01-rising.mp3"));
    byte[] head = Arrays.copyOf(file, 3000);
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    List<String> expected = frames(head, whole);
    assertThat(expected).hasSizeGreaterThan(10).allMatch(f -> f.endsWith("@26122448"));
    int tag = 10 + ((file[6] & 0x7F) << 21 | (file[7] & 0x7F) << 14 | (file[8] & 0x7F) << 7
        | file[9] & 0x7F);
    assertThat(whole.toByteArray()[0]).isEqualTo((byte) 0xFF);
    int info = 182; // the LAME Info frame (56 kbit/s) after the tag is dropped as well
    assertThat(new String(file, tag + 13, 4, java.nio.charset.StandardCharsets.ISO_8859_1))
        .isEqualTo("Info");
    assertThat(Arrays.copyOfRange(file, tag + info, tag + info + 100))
        .isEqualTo(Arrays.copyOf(whole.toByteArray(), 100));

    for (int cut = 1; cut < head.length; cut++) {
      ByteArrayOutputStream audio = new ByteArrayOutputStream();
      assertThat(frames(head, audio, cut)).as("cut at %d", cut).isEqualTo(expected);
      assertThat(audio.toByteArray()).as("cut at %d", cut).isEqualTo(whole.toByteArray());
    }
  }

  @Test
  void shouldTimeAWholeMp3ByItsFrames() throws Exception {
    long nanos = Item.scanDuration(demo("02-bells.mp3"));

    assertThat(nanos / 1e9).isBetween(15.0, 15.15); // ffprobe: 15.07 s
    assertThat(Tags.read(demo("02-bells.mp3")))
        .extracting(Tags::artist, Tags::title).containsExactly("Floe Demo", "Little Bells");
  }

  @Test
  void shouldTimeOggOpusAndAdtsFiles(@TempDir Path dir) throws Exception {
    for (String[] f : new String[][] {{"a.opus", "libopus", "ogg"}, {"a.aac", "aac", "adts"}}) {
      Path out = dir.resolve(f[0]);
      Process p = new ProcessBuilder(Tools.ffmpeg().toString(), "-v", "error", "-f", "lavfi",
          "-i", "sine=f=440:d=3", "-c:a", f[1], "-b:a", "32k", "-f", f[2], out.toString())
          .inheritIO().start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();

      assertThat(Item.scanDuration(out) / 1e9).as(f[0]).isBetween(2.95, 3.1);
      try (Item i = new Item(out)) {
        assertThat(i.next()).isTrue();
        assertThat(i.reader().kind().contentType())
            .isEqualTo(f[0].endsWith("opus") ? "audio/ogg" : "audio/aac");
      }
    }
  }
}
