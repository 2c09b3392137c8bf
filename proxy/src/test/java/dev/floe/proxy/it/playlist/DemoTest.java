package dev.floe.proxy.it.playlist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.Ffprobe;
import dev.floe.proxy.it.support.TestDirs;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code floe} with no arguments, as a real process: the demo mount plays. */
class DemoTest {
  @Test
  void shouldStartTheDemoAndPrintAUrlThatFfprobeReads() {
    try (FloeProcess floe = FloeProcess.demo(TestDirs.create("demo"))) {
      Matcher m = Pattern.compile("open (http://localhost:(\\d+)/demo\\.mp3) in a player")
          .matcher(floe.log());
      assertThat(m.find()).as(floe.logTail(3000)).isTrue();
      assertThat(Integer.parseInt(m.group(2))).isEqualTo(floe.port());

      Ffprobe.AudioStream audio = Ffprobe.audio(m.group(1).replace("localhost", "127.0.0.1"),
          Duration.ofSeconds(20));

      assertThat(audio.codecName()).isEqualTo("mp3");
      assertThat(audio.sampleRate()).isEqualTo(22050);
    }
  }
}
