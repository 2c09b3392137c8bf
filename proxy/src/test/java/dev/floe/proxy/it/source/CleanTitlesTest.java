package dev.floe.proxy.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.playlist.Media;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.ScriptedUpstream;
import dev.floe.proxy.it.support.TestDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Titles with control characters from every path a title takes into Floe (issue 16): an admin
 * {@code updinfo}, SHOUTcast's {@code admin.cgi}, an upstream's ICY block and a playlist file's
 * tag. Players get them with CR and LF as spaces and NUL removed, the status JSON holds no
 * control character, and the log has no forged line: a real {@code floe} process with an ffmpeg
 * source, a scripted upstream and real listeners.
 */
class CleanTitlesTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String FORGED = "00:00:00.000 WARN Router: forged";

  @Test
  void controlCharactersNeverReachAPlayerTheStatusOrTheLog() throws Exception {
    Path dir = TestDirs.create("clean-titles");
    Path music = dir.resolve("music");
    java.nio.file.Files.createDirectories(music);
    Media.tone(music, "a.mp3", "Four\r\n" + FORGED + " by a tag", 440, 20, 64);
    byte[] frames = ScriptedUpstream.mp3Frames(400);
    try (ScriptedUpstream up = ScriptedUpstream.start((n, head, out) -> {
          out.write(("ICY 200 OK\r\nicy-metaint:8192\r\ncontent-type:audio/mpeg\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
          out.write(ScriptedUpstream.withMetadata(frames, 8192,
              "Three\r\n" + FORGED + " by an upstream\u0000\u0000hidden"));
          out.flush();
        });
        FloeProcess floe = FloeProcess.start(dir, """
            server { source-password = "pw", admin-password = "adm" }
            mounts = [
              { path = "/stream" },
              { path = "/relay", upstreams = ["http://127.0.0.1:%d/stream"] },
              { path = "/list", playlist = "%s" }
            ]
            """.formatted(up.port(), music));
        FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/stream"))
            .password("pw").start()) {
      try (RawListener stream = listen(floe, "/stream");
          RawListener relay = listen(floe, "/relay");
          RawListener list = listen(floe, "/list")) {
        AdminCall one = AdminCall.get(floe.port(), "/admin/metadata?mount=/stream&mode=updinfo"
            + "&song=One%0D%0A00:00:00.000%20WARN%20Router:%20forged%20by%20admin%00x", "admin",
            "adm");
        assertThat(one.status()).as(one.toString()).isEqualTo(200);
        await().atMost(WAIT).until(() -> stream.titles().stream().anyMatch(t -> t.startsWith("One")));
        AdminCall two = AdminCall.get(floe.port(), "/admin.cgi?pass=pw&mode=updinfo"
            + "&song=Two%0A00:00:00.000%20WARN%20Router:%20forged%20by%20admin.cgi%07%00", null,
            null);
        assertThat(two.status()).as(two.toString()).isEqualTo(200);
        await().atMost(WAIT).until(() -> stream.titles().stream().anyMatch(t -> t.startsWith("Two")));
        await().atMost(WAIT).until(() -> relay.titles().stream().anyMatch(t -> t.startsWith("Three")));
        await().atMost(WAIT).until(() -> list.titles().stream().anyMatch(t -> t.contains("Four")));

        assertThat(stream.titles()).contains("One  " + FORGED + " by adminx",
            "Two " + FORGED + " by admin.cgi");
        assertThat(relay.titles()).contains("Three  " + FORGED + " by an upstreamhidden");
        assertThat(list.titles()).anyMatch(t -> t.contains("Four  " + FORGED + " by a tag"));
        for (RawListener l : List.of(stream, relay, list)) {
          assertThat(l.titles()).allMatch(t -> t.chars().allMatch(c -> c >= 0x20),
              "no control character in a title a player gets");
        }
        String status = floe.statusJson();
        assertThat(status).contains("forged by an upstreamhidden")
            .doesNotContain("\\r", "\\n", "\\u0000", "\\u0007");
        assertThat(floe.log().lines()).noneMatch(line -> line.startsWith(FORGED))
            .anyMatch(line -> line.contains("forged by admin.cgi"));
      }
    }
  }

  private static RawListener listen(FloeProcess floe, String mount) {
    return await().atMost(WAIT).ignoreExceptions().until(() -> {
      RawListener l = RawListener.builder(floe.port(), mount).icyMetadata(true).open();
      if (l.status() != 200) {
        l.close();
        return null;
      }
      return l;
    }, l -> l != null);
  }
}
